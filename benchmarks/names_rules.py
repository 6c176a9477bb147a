#!/usr/bin/env python3
"""Which word pairs the name index keys: recall against index size for three rules (issue 14).

    python benchmarks/names_rules.py [--subjects 20]

Extracts the text of every file of the names corpus (benchmarks/names_corpus.py) with the real
connectors, and of presidio-research, then keys it under each rule for a pair of capitalised
words: name-like (the rule shipped, detectors/name_index.py `plausible_pair`), every pair, and
known names only. Prints the share of subject files whose name is keyed (recall) and distinct
keys per MB of text (index size; every key that names nobody is a false key).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
from names_corpus import write_corpus  # noqa: E402

import detectors.name_index as ni  # noqa: E402
from connectors import Blob, ExploreContext, Limits, Location, explore  # noqa: E402
from detectors.normalise import query_forms  # noqa: E402

RESEARCH = os.path.join(os.path.dirname(HERE), "..", "shared", "benchmarks", "presidio-research",
                        "synth_dataset_v2.json")


def texts_of(path: str, tmp: str) -> str:
    blob = Blob(Location(path), os.path.getsize(path), path=path)
    return "\n".join(item.extract().text() for item in explore(blob, ExploreContext(Limits(), tmp))
                     if item.extract and item.status == "ok")


def keyed(text: str) -> set[str]:
    return {form for f in ni.name_index(text) for form in ni.pair_forms(f.text)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=20)
    ap.add_argument("--research", default=os.environ.get("PRESIDIO_RESEARCH_SET", RESEARCH))
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="names-rules-")
    subjects, planted = write_corpus(root, args.subjects, 11)
    docs = [(p, texts_of(p.path, root)) for p in planted]
    research = ([d["full_text"] for d in json.load(open(args.research))] if os.path.exists(args.research) else [])
    shipped = ni.plausible_pair
    rules = {"name-like (shipped)": shipped, "every capitalised pair": lambda a, b: a != b,
             "known names only": lambda a, b: a != b and all(ni.is_known_name_word(w.lstrip("+")) for w in (a, b))}
    print(f"{'rule':26}{'recall':>10}{'keys/MB names corpus':>24}{'keys/MB presidio-research':>28}")
    try:
        for label, rule in rules.items():
            ni.plausible_pair = rule
            subject_docs = [(p, t) for p, t in docs if not p.is_decoy]
            hits = sum(bool(set(query_forms("name", subjects[p.owner].full)) & keyed(t)) for p, t in subject_docs)
            keys = sum(len(keyed(t)) for _, t in docs) / max(sum(len(t) for _, t in docs), 1) * 1e6
            rkeys = (sum(len(keyed(t)) for t in research) / max(sum(map(len, research)), 1) * 1e6) if research else 0
            print(f"{label:26}{hits / len(subject_docs):>10.3f}{keys:>24.0f}{rkeys:>28.0f}")
    finally:
        ni.plausible_pair = shipped


if __name__ == "__main__":
    main()
