#!/usr/bin/env python3
"""Speed on mail as real clients write it beside the all-ASCII corpus, this tree beside a base (issue 16).

    python benchmarks/unicode_speed.py --base /tmp/base19 [--rounds 2] [--threads 120] [--documents 40]

Builds the mail_speed corpus twice from the same seed (benchmarks/mail_corpus.py): as before, all ASCII,
and with `unicode=True` (typographic punctuation, no-break spaces, £ €, emoji, accented and non-Latin
names, quoted-printable and base64 in utf-8 and windows-1252, HTML-only newsletters). Then, for
--rounds rounds, alternating corpora, trees and NER on/off (the machine's load is shared), scans each
with the real CLI and one worker, and prints per cell the best MB/s of extracted text by wall time,
by CPU time of every process of the scan (the reliable figure on a loaded machine) and by that CPU
time less an empty scan's (start-up is paid once per scan: the steady state is the per-byte cost),
unicode ÷ ASCII per tree, and this ÷ base per corpus. Last, for each corpus and NER mode, checks that
both trees key the same (location, entity type, kind, value key) set and that `find --name --email` of
every planted person returns the same locations (and finds each somewhere).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from mail_corpus import build  # noqa: E402
from mail_speed import same_answers, scan, text_chars  # noqa: E402
from measure import become_subreaper, children_cpu  # noqa: E402

CORPORA = ("ASCII", "unicode")


def timed_scan(tree: str, corpus: str, inventory: str, key: str, ner: bool) -> tuple[float, float]:
    """Wall and CPU seconds of a 1-worker scan, CPU of every process it started (reaped here)."""
    (wall, _), cpu = children_cpu(lambda: scan(tree, corpus, inventory, key, 1, ner))
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="a code tree before the change")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--keep", help="build the corpora and inventories here and keep them")
    args = ap.parse_args()
    become_subreaper()
    trees = {"this": ROOT, "base": os.path.abspath(args.base)}
    work = args.keep or tempfile.mkdtemp(prefix="pdsweep-unicode-speed-")
    key = os.path.join(work, "key")
    try:
        people = {}
        for name in CORPORA:
            corpus = os.path.join(work, name)
            if not os.path.isdir(corpus):
                stats = build(corpus, args.threads, args.documents, unicode=name == "unicode")
                with open(corpus + ".json", "w") as f:
                    json.dump(stats, f)
            with open(corpus + ".json") as f:
                people[name] = [tuple(p) for p in json.load(f)["people"]]
        empty = os.path.join(work, "empty")
        os.makedirs(empty, exist_ok=True)
        runs, chars = {}, {}   # (corpus, tree, NER) -> [(wall, CPU, CPU less an empty scan's)]
        for r in range(args.rounds):
            for label, tree in trees.items():
                for ner in (True, False):
                    mode = "NER on " if ner else "no NER"
                    # Start-up (imports, the forkserver's preload) is paid once per scan, not per byte.
                    inventory = os.path.join(work, f"inv-empty-{label}-{ner}-{r}")
                    _, startup = timed_scan(tree, empty, inventory, key, ner)
                    for name in CORPORA:
                        inventory = os.path.join(work, f"inv-{name}-{label}-{'ner' if ner else 'noner'}-{r}")
                        wall, cpu = timed_scan(tree, os.path.join(work, name), inventory, key, ner)
                        chars[name] = text_chars(inventory)
                        runs.setdefault((name, label, ner), []).append((wall, cpu, cpu - startup))
                        print(f"round {r + 1} {name:7} {label:4} {mode}: {wall:.1f} s wall, {cpu:.1f} CPU s "
                              f"(an empty scan {startup:.1f}), load {os.getloadavg()[0]:.1f}", flush=True)
                        if r:
                            shutil.rmtree(inventory, ignore_errors=True)
        best = {cell: tuple(min(x[i] for x in got) for i in range(3)) for cell, got in runs.items()}
        for name in CORPORA:
            print(f"{name} corpus: {chars[name] / 1e6:.2f} M chars of extracted text")
        print("\nMB/s of extracted text, one worker, best of rounds: by wall time / by CPU time of all "
              "processes / by that CPU time less an empty scan's (steady state)")
        print("| corpus | tree | NER on | no NER |\n|---|---|---|---|")
        for name in CORPORA:
            for label in trees:
                row = [" / ".join(f"{chars[name] / x / 1e6:.3f}" for x in best[(name, label, ner)])
                       for ner in (True, False)]
                print(f"| {name} | {label} | {row[0]} | {row[1]} |")
        for ner in (True, False):
            mode = "NER on" if ner else "no NER"
            for label in trees:
                a, u = (best[(n, label, ner)] for n in CORPORA)
                ratios = ", ".join(f"{(chars['unicode'] / u[i]) / (chars['ASCII'] / a[i]):.2f}x {kind}"
                                   for i, kind in enumerate(("wall", "CPU", "steady CPU")))
                print(f"unicode / ASCII MB/s, {label}, {mode}: {ratios}")
            for name in CORPORA:
                t, b = best[(name, "this", ner)], best[(name, "base", ner)]
                ratios = ", ".join(f"{b[i] / t[i]:.2f}x {kind}"
                                   for i, kind in enumerate(("wall", "CPU", "steady CPU")))
                print(f"this / base, {name}, {mode}: {ratios}")
        for name in CORPORA:
            for ner in ("ner", "noner"):
                a, b = (os.path.join(work, f"inv-{name}-{t}-{ner}-0") for t in trees)
                same = same_answers(a, b, people[name], key)
                print(f"{name} {ner}: keyed findings this {same['this']}, base {same['base']}, "
                      f"only in this {same['only_this']}, only in base {same['only_base']}; "
                      f"find --name --email for {same['people']} people: {same['differ']} differ, "
                      f"{same['locations']} locations, {same['nowhere']} people found nowhere")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
