#!/usr/bin/env python3
"""What reading quoted mail once (detectors/quoted.py) changes in the findings, and why (issue 16).

    python benchmarks/quoted_diff.py --base /tmp/base17 [--threads 120] [--documents 40] [--batches-file F]

On the mail_speed corpus (every (text, fields) a 1-worker scan hands the detector, captured as
detect_speed.py does), prints:
1. the segments: texts cut, segments, characters analysed and characters served from the cache;
2. the findings of this tree against `--base`, NER off and on, each difference classed by cause:
   the same span and type from another rule (score, recogniser), or a finding on one side only,
   on a quoted line (prefix ">") or elsewhere; and the keyed forms (what `find` matches: entity
   type, normalised value, per text) only in base and only here, by entity type;
3. the same with the segments cut but their prefixes kept ("cut only"), which separates what
   the segment boundaries change (evidence from elsewhere in the text) from what reading a quoted
   line without its prefix changes.
Values are printed masked.
"""
from __future__ import annotations

import argparse
import collections
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def detect(tree: str, batches_path: str, out_path: str, ner: bool, cut_only: bool) -> None:
    """In a child process: the tree's detector over every batch, findings as tuples to out_path."""
    sys.path[:0] = [tree, HERE]   # HERE: the batches hold detect_speed's Field tuples
    if cut_only:
        import detectors.quoted as quoted
        lines = quoted.lines
        quoted.lines = lambda text: [line._replace(kept=line.start, content=text[line.start : line.end])
                                     for line in lines(text)]
    from detectors import DetectorSettings
    from detectors.detector import Detector
    with open(batches_path, "rb") as f:
        batches = pickle.load(f)
    detector = Detector(DetectorSettings(use_ner=ner))
    started = time.process_time()
    results = [detector.analyze_many(batch) for batch in batches]
    seconds = time.process_time() - started
    with open(out_path, "wb") as f:
        pickle.dump({"seconds": seconds, "findings": [[tuple(f.__dict__.values()) for f in one]
                                                      for batch in results for one in batch]}, f)


def run(tree: str, batches_path: str, work: str, ner: bool, cut_only: bool = False) -> dict:
    out = os.path.join(work, f"{os.path.basename(tree)}-{ner}-{cut_only}.pkl")
    args = [sys.executable, os.path.abspath(__file__), "--child", tree, "--batches", batches_path,
            "--out", out]
    args += (["--ner"] if ner else []) + (["--cut-only"] if cut_only else [])
    subprocess.run(args, cwd=tree, check=True, env=dict(os.environ, PYTHONPATH=tree))
    with open(out, "rb") as f:
        return pickle.load(f)


def segment_figures(texts: list) -> None:
    from detectors.quoted import split
    seen, cut, segments, analysed, served = set(), 0, 0, 0, 0
    for text in texts:
        parts = split(text)
        if parts is None:
            analysed += len(text)
            continue
        cut += 1
        for part in parts:
            segments += 1
            if part.text in seen:
                served += len(part.text)
            else:
                analysed += len(part.text)
                seen.add(part.text)
    total = sum(map(len, texts))
    print(f"{len(texts):,} texts, {total / 1e6:.2f} M characters; {cut} cut into {segments:,} segments "
          f"({len(seen):,} distinct); characters analysed {analysed / 1e6:.2f} M, served from the cache "
          f"{served / 1e6:.2f} M ({served / total:.0%} of all text)")


def _on_quoted_line(text: str, at: int) -> bool:
    return text[text.rfind("\n", 0, max(at, 0)) + 1 :].startswith(">")


def _keyed(text: str, findings: list) -> set:
    from detectors.normalise import index_forms
    return {(f[0], form, _on_quoted_line(text, f[1])) for f in findings for form in index_forms(f[0], f[3])}


def classify(texts: list, base: list, this: list) -> None:
    from detectors.normalise import mask
    spans, sides, keys, examples = collections.Counter(), collections.Counter(), collections.Counter(), {}
    differing = 0
    for text, b, t in zip(texts, base, this):
        if set(b) == set(t):
            continue
        differing += 1
        only_b = {(f[0], f[1], f[2]): f for f in set(b) - set(t)}
        only_t = {(f[0], f[1], f[2]): f for f in set(t) - set(b)}
        for span in only_b.keys() & only_t.keys():
            x, y = only_b.pop(span), only_t.pop(span)
            same = "text same" if x[3] == y[3] else "text differs"
            spans[(x[0], f"{x[5]} {x[4]} -> {y[5]} {y[4]}", same)] += 1
        for side, rest in (("only in base", only_b), ("only here", only_t)):
            for f in rest.values():
                where = "on a quoted line" if _on_quoted_line(text, f[1]) else "elsewhere"
                sides[(side, f[0], f[5], where)] += 1
                examples.setdefault((side, f[0], f[5], where), mask(f[0], f[3]))
        kb, kt = _keyed(text, b), _keyed(text, t)
        for side, rest in (("only in base", {k[:2] for k in kb} - {k[:2] for k in kt}),
                           ("only here", {k[:2] for k in kt} - {k[:2] for k in kb})):
            for entity, _ in rest:
                keys[(side, entity)] += 1
    print(f"  {differing} of {len(texts):,} texts differ; findings {sum(map(len, base)):,} in base, "
          f"{sum(map(len, this)):,} here")
    for (entity, change, same), n in spans.most_common():
        print(f"  {n:5}  same span and type ({entity}), {change}, {same}")
    for key, n in sides.most_common():
        print(f"  {n:5}  {key[0]}: {key[1]} by {key[2]}, {key[3]} (e.g. {examples[key]})")
    for (side, entity), n in keys.most_common():
        print(f"  {n:5}  keyed form {side} (per text): {entity}")
    if not keys:
        print("      no keyed form differs: find answers the same from every text")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="a code tree before the change (required)")
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--batches-file", help="keep the captured batches here and reuse them when it exists")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--batches", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--ner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cut-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        detect(args.child, args.batches, args.out, args.ner, args.cut_only)
        return
    if not args.base:
        ap.error("--base is required")
    sys.path[:0] = [HERE, ROOT]
    work = tempfile.mkdtemp(prefix="pdsweep-quoted-diff-")
    try:
        compare_trees(os.path.abspath(args.base), args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare_trees(base: str, args, work: str) -> None:
    from detect_speed import capture
    from mail_corpus import build
    batches_path = args.batches_file or os.path.join(work, "batches.pkl")
    if not os.path.exists(batches_path):
        build(os.path.join(work, "corpus"), args.threads, args.documents)
        with open(batches_path, "wb") as f:
            pickle.dump(capture(os.path.join(work, "corpus"), work), f)
    with open(batches_path, "rb") as f:
        texts = [text for batch in pickle.load(f) for text, _ in batch]
    segment_figures(texts)
    for ner in (False, True):
        b, t = run(base, batches_path, work, ner), run(ROOT, batches_path, work, ner)
        print(f"NER {'on' if ner else 'off'}: detection CPU {b['seconds']:.2f} s in base, "
              f"{t['seconds']:.2f} s here ({b['seconds'] / t['seconds']:.2f}x)")
        classify(texts, b["findings"], t["findings"])
        if ner:
            print("NER on, segments cut but prefixes kept (what the boundaries alone change):")
            classify(texts, b["findings"], run(ROOT, batches_path, work, ner, cut_only=True)["findings"])

if __name__ == "__main__":
    main()
