#!/usr/bin/env python3
"""CPU seconds of the connector side alone (explore + extract, no detection) per stage, this tree beside
another (issue 16).

    python benchmarks/explore_profile.py [--base /tmp/speed-base] [--corpus DIR] [--copies N] [--runs 2]

Every outer file of the mail_speed corpus (benchmarks/mail_corpus.py, or --corpus) is explored through
the one dispatcher and the text of each distinct content read once, as a scan does minus the detector;
with --copies N the corpus is scanned as N backup copies of itself (each copy is explored again, its
locations must be listed, but its texts are known). Each
tree runs in its own process (PYTHONPATH=tree) with the format libraries imported up front, so the
figures are per-byte costs; stages are timed by wrapping the functions that own them (process CPU
time, so other sessions' load counts less than in wall time). Best of --runs per tree.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def child(roots: list[str]) -> dict[str, float]:
    """Runs inside the tree measured: CPU seconds per stage."""
    import time
    from collections import Counter

    import extract_msg, openpyxl, py7zr  # noqa: E401,F401  (up front in both trees: per-byte costs only)
    import connectors.containers
    import connectors.dispatch as dispatch
    import connectors.extractors
    import connectors.sniff as sniffing
    from connectors import Blob, ExploreContext, Limits, Location, explore
    from connectors.containers import rfc822

    spent: Counter = Counter()

    def timed(label, fn):
        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - started
        return run

    rfc822.parse = timed("mail: parse", rfc822.parse)
    rfc822.message_text = timed("mail: own text", rfc822.message_text)
    sniff = timed("sniff (libmagic and content checks)", sniffing.sniff)
    dispatch._formats = lambda: (sniff, connectors.containers, connectors.extractors)
    tmp = tempfile.mkdtemp()
    read: set[str] = set()          # as the scanner claims a content: its text is read once
    started = time.process_time()
    for root in roots:
        for path in sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs):
            for item in explore(Blob(Location(path), os.path.getsize(path), path=path), ExploreContext(Limits(), tmp)):
                if item.extract is None or item.status != "ok" or item.content_hash in read:
                    continue
                read.add(item.content_hash)
                t = time.process_time()
                for _ in item.extract().chunks:
                    pass
                if item.mime != "message/rfc822":
                    spent["extract " + item.mime.rsplit(".", 1)[-1].rsplit("/", 1)[-1]] += time.process_time() - t
    total = time.process_time() - started
    shutil.rmtree(tmp, ignore_errors=True)
    return {**spent, "walk, hash, members, dispatch (the rest)": total - sum(spent.values()), "total": total}


def measure(tree: str, roots: list[str], runs: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(runs):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", *roots], cwd=tree, check=True,
                             env=dict(os.environ, PYTHONPATH=tree), capture_output=True, text=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        if not best or figures["total"] < best["total"]:
            best = figures
    return best


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(child(sys.argv[2:])))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="code tree before the change, measured side by side")
    ap.add_argument("--corpus", help="an existing corpus (default: build the mail_speed corpus)")
    ap.add_argument("--copies", type=int, default=1, help="scan the corpus as N backup copies of itself")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pdsweep-explore-profile-")
    try:
        corpus = args.corpus
        if not corpus:
            sys.path[:0] = [HERE, ROOT]
            from mail_corpus import build
            corpus = os.path.join(work, "corpus")
            build(corpus)
        roots = [corpus] * args.copies   # the same tree again: what a copy costs, with nothing new in it
        trees = [("this", ROOT)] + ([("base", os.path.abspath(args.base))] if args.base else [])
        results = {label: measure(tree, roots, args.runs) for label, tree in trees}
        stages = sorted({k for r in results.values() for k in r if k != "total"},
                        key=lambda k: -results["this"].get(k, 0.0)) + ["total"]
        print(f"explore + extract, CPU s (best of {args.runs}), {args.copies} cop{'y' if args.copies == 1 else 'ies'} "
              f"of {corpus}; load average {os.getloadavg()[0]:.1f}")
        print("| stage | " + " | ".join(results) + (" | speed-up (base time / this time) |" if "base" in results else " |"))
        print("|---" * (len(results) + 1 + ("base" in results)) + "|")
        for stage in stages:
            cells = [f"{results[t].get(stage, 0.0):.3f}" for t in results]
            ratio = ""
            if "base" in results and results["this"].get(stage):
                ratio = f" | {results['base'].get(stage, 0.0) / results['this'][stage]:.2f}x"
            print(f"| {stage} | " + " | ".join(cells) + ratio + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
