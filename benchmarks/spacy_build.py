#!/usr/bin/env python3
"""NER's CPU under different spaCy releases, on the very texts a scan hands it (issue 16).

    python benchmarks/spacy_build.py [--versions 3.8.7 3.8.18] [--rounds 3] [--batches-file F]

Why: spaCy 3.8.8 and later wheels run the same NER model at about twice the CPU of 3.8.7 for the
same entities. Their Python/Cython source differs by a few lines; the compiled parser takes and
drops the GIL far more often (transition_parser's machine code calls PyGILState_Ensure from 127
places against 52). pyproject.toml pins spaCy below 3.8.8 where a wheel of 3.8.7 exists.

For each version, a virtual environment that sees this interpreter's packages gets that spaCy
release from the package index (pip; a network or a local index is needed) and times pdsweep's own
NER (detectors.ner.load_ner: the shipped model, its numpy-BLAS ops) over the pieces a 1-worker scan
of the mail_speed corpus hands nlp.pipe (benchmarks/ner_cost.py). Rounds alternate between the
versions; CPU seconds, best of the rounds; entities compared piece by piece with the first version.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Run inside each environment: one round of NER over the pieces; prints CPU seconds and the entities.
CHILD = r"""
import json, pickle, sys, time
sys.path.insert(0, sys.argv[1])
import spacy
from detectors.model import DetectorSettings
from detectors.ner import BATCH_SIZE, load_ner
pieces = pickle.load(open(sys.argv[2], "rb"))
nlp = load_ner(DetectorSettings().model)
started = time.process_time()
found = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(pieces, batch_size=BATCH_SIZE)]
seconds = time.process_time() - started
print(json.dumps({"version": spacy.__version__, "seconds": seconds, "entities": found}))
"""


def environment(version: str, where: str) -> str:
    """A venv seeing this interpreter's packages, with spaCy `version` installed over them."""
    path = os.path.join(where, f"spacy-{version}")
    venv.create(path, system_site_packages=True, with_pip=True)
    python = os.path.join(path, "bin", "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-warn-conflicts",
                    f"spacy=={version}"],
                   check=True)
    return python


def one_round(python: str, pieces_file: str) -> dict:
    done = subprocess.run([python, "-c", CHILD, ROOT, pieces_file], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--versions", nargs="+", default=["3.8.7", "3.8.18"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batches-file", help="the captured batches (detect_speed.py's); made when missing")
    args = ap.parse_args()
    sys.path[:0] = [HERE, ROOT]
    import ner_cost

    with tempfile.TemporaryDirectory(prefix="pdsweep-spacy-build-") as work:
        pieces = ner_cost.pieces_handed_to_ner(ner_cost.batches_for(args.batches_file))
        pieces_file = os.path.join(work, "pieces.pkl")
        with open(pieces_file, "wb") as f:
            pickle.dump(pieces, f)
        print(f"{len(pieces):,} pieces, {sum(map(len, pieces)):,} characters handed to nlp.pipe")
        pythons = {v: environment(v, work) for v in args.versions}
        seconds = {v: [] for v in args.versions}
        found = {}
        for _ in range(args.rounds):
            for version, python in pythons.items():
                result = one_round(python, pieces_file)
                assert result["version"] == version, result["version"]
                seconds[version].append(result["seconds"])
                found[version] = result["entities"]
        first = args.versions[0]
        print(f"load average {os.getloadavg()[0]:.1f}; NER CPU seconds, best of {args.rounds}:")
        for version in args.versions:
            same = "IDENTICAL" if found[version] == found[first] else "DIFFERENT"
            print(f"  spaCy {version:8} {min(seconds[version]):.3f} s  "
                  f"{min(seconds[version]) / min(seconds[first]):.2f}x spaCy {first}'s CPU  entities {same}")


if __name__ == "__main__":
    main()
