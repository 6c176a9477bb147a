#!/usr/bin/env python3
"""What NER is handed on the mail_speed corpus, and what each way of running the model costs (issue 16).

    python benchmarks/ner_cost.py [--rounds 3] [--batches-file F] [--lines]

1. Captures the batches a 1-worker scan hands the detector (as detect_speed.py does; `--batches-file`
   shares them with it), runs this tree's Detector with NER on over them and records every piece that
   reaches `nlp.pipe`: what is left after the "names" scope, the EntityCache and the quoted-segment
   cache. Prints pieces, characters and tokens per corpus character, piece lengths, and how many of
   the pieces' characters are in lines that another piece repeats.
2. Times the model over those pieces in one process, alternating for `--rounds` rounds: thinc's
   blis ops (`NumpyOps`, as spaCy loads it) against `NumpyBlasOps` (detectors/ner_ops.py), each with
   `nlp.pipe` and with the tokenizer and the `ner` component called directly. CPU seconds, best of
   the rounds, and whether every piece's entities are identical to blis's `nlp.pipe`.
3. `--lines`: reads each multi-line piece line by line and counts the pieces whose entities change,
   the check that says whether NER's input may be cut finer than a run of lines.
"""
from __future__ import annotations

import argparse
import collections
import os
import pickle
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]


def batches_for(path: str | None) -> list:
    import detect_speed
    sys.modules["__main__"].Field = detect_speed.Field   # the pickled batches name __main__.Field
    if path and os.path.exists(path):
        with open(path, "rb") as f:
            return pickle.load(f)
    from mail_corpus import build
    work = tempfile.mkdtemp(prefix="pdsweep-ner-cost-")
    build(os.path.join(work, "corpus"), 120, 40)
    batches = detect_speed.capture(os.path.join(work, "corpus"), work)
    if path:
        with open(path, "wb") as f:
            pickle.dump(batches, f)
    return batches


def pieces_handed_to_ner(batches: list) -> list:
    """Every text the detector passes to nlp.pipe, in order, over a cold cache."""
    from detectors import DetectorSettings
    from detectors.detector import Detector
    detector = Detector(DetectorSettings(use_ner=True))
    handed = []
    nlp = detector.nlp
    original = nlp.pipe

    def recording(texts, **kwargs):
        texts = list(texts)
        handed.extend(texts)
        return original(texts, **kwargs)

    nlp.pipe = recording
    for batch in batches:
        detector.analyze_many(batch)
    return handed


def describe(pieces: list, corpus_chars: int, nlp) -> None:
    chars = sum(map(len, pieces))
    tokens = sum(len(nlp.make_doc(p)) for p in pieces)
    lengths = sorted(map(len, pieces))
    lines = collections.Counter(line for p in pieces for line in p.splitlines())
    repeated = sum(len(line) * (n - 1) for line, n in lines.items())
    multi_line = sum(1 for p in pieces if p.rstrip("\n").count("\n"))
    print(f"corpus {corpus_chars:,} characters; handed to nlp.pipe: {len(pieces):,} pieces, "
          f"{chars:,} characters ({chars / corpus_chars:.1%} of the corpus), {tokens:,} tokens")
    print(f"piece length: median {statistics.median(lengths):.0f}, 10th percentile "
          f"{lengths[len(lengths) // 10]}, 90th {lengths[9 * len(lengths) // 10]}, longest {lengths[-1]}; "
          f"{multi_line:,} pieces of more than one line")
    print(f"lines: {sum(lines.values()):,}, distinct {len(lines):,}; characters in lines another piece "
          f"repeats: {repeated:,} ({repeated / chars:.1%} of the pieces' characters)")


def entities(docs) -> list:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]


def time_ways(pieces: list, rounds: int) -> None:
    from thinc.api import NumpyOps
    from detectors.ner import BATCH_SIZE, load_ner
    from detectors.model import DetectorSettings
    from detectors.ner_ops import NumpyBlasOps
    nlp = load_ner(DetectorSettings().model)
    ner = nlp.get_pipe("ner")
    ops = {"blis (thinc NumpyOps)": NumpyOps(), "numpy BLAS (NumpyBlasOps)": NumpyBlasOps()}
    ways = {
        "nlp.pipe": lambda: entities(nlp.pipe(pieces, batch_size=BATCH_SIZE)),
        "tokenizer + ner.pipe": lambda: entities(ner.pipe((nlp.make_doc(p) for p in pieces),
                                                          batch_size=BATCH_SIZE)),
    }
    for layer in ner.model.walk():
        layer.ops = ops["blis (thinc NumpyOps)"]
    reference = ways["nlp.pipe"]()
    spent = collections.defaultdict(list)
    same = {}
    for _ in range(rounds):
        for ops_name, chosen in ops.items():
            for layer in ner.model.walk():
                layer.ops = chosen
            for way_name, run in ways.items():
                started = time.process_time()
                found = run()
                spent[ops_name, way_name].append(time.process_time() - started)
                same[ops_name, way_name] = found == reference
    base = min(spent["blis (thinc NumpyOps)", "nlp.pipe"])
    print(f"load average {os.getloadavg()[0]:.1f}; NER over the pieces, CPU seconds, best of {rounds}:")
    for (ops_name, way_name), seconds in spent.items():
        print(f"  {ops_name:27} {way_name:22} {min(seconds):.3f} s  {base / min(seconds):.2f}x  entities "
              + ("IDENTICAL" if same[ops_name, way_name] else "DIFFERENT"))


def lines_alone(pieces: list, nlp) -> None:
    import re
    multi = [p for p in pieces if p.rstrip("\n").count("\n")]
    changed = 0
    for piece, whole in zip(multi, entities(nlp.pipe(multi))):
        lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*\n?", piece) if m.group()]
        read = entities(nlp.pipe(t for _, t in lines))
        alone = [(off + s, off + e, label) for (off, _), found in zip(lines, read) for s, e, label in found]
        changed += alone != whole
    print(f"read line by line: {changed} of {len(multi)} multi-line pieces get other entities")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batches-file", help="the captured batches (detect_speed.py's); made when missing")
    ap.add_argument("--lines", action="store_true", help="also read each multi-line piece line by line")
    args = ap.parse_args()
    batches = batches_for(args.batches_file)
    pieces = pieces_handed_to_ner(batches)
    from detectors.model import DetectorSettings
    from detectors.ner import load_ner
    nlp = load_ner(DetectorSettings().model)
    describe(pieces, sum(len(text) for batch in batches for text, _ in batch), nlp)
    time_ways(pieces, args.rounds)
    if args.lines:
        lines_alone(pieces, nlp)


if __name__ == "__main__":
    main()
