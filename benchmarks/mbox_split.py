#!/usr/bin/env python3
"""Splitting an mbox into its messages: MB/s of this tree beside another, and the same members (issue 16).

    python benchmarks/mbox_split.py [--base /tmp/speed-base] [--corpus DIR] [--copies 4] [--runs 3]

The messages of the mail_speed corpus (benchmarks/mail_corpus.py, or --corpus) written --copies times
into one mbox (`From ` lines, body lines that start `From ` escaped `>From `). Each tree splits it
with its own MboxContainer in its own process (PYTHONPATH=tree), alternating, best CPU of --runs;
both must give the same members: name, size and content hash (the bytes the scan reads) of each.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def child(path: str) -> dict:
    """Runs inside the tree measured."""
    import time

    from connectors import Blob, ExploreContext, Limits, Location
    from connectors.containers.mbox import MboxContainer

    size = os.path.getsize(path)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()
        mailbox = Blob(Location(path), size, path=path)
        members = [(m.location.name, m.size, m.content_hash())
                   for m in MboxContainer().members(mailbox, ExploreContext(Limits(), tmp))]
        seconds = time.process_time() - started
    digest = hashlib.sha256(json.dumps(members).encode()).hexdigest()
    return {"seconds": seconds, "members": len(members), "digest": digest}


def write_mbox(corpus: str, path: str, copies: int) -> None:
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith(".eml"))
    with open(path, "wb") as out:
        for _ in range(copies):
            for p in paths:
                with open(p, "rb") as f:
                    data = f.read().replace(b"\nFrom ", b"\n>From ")
                out.write(b"From sender@example.com Wed May  1 09:30:00 2024\n" + data + b"\n\n")


def measure(tree: str, path: str) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", path], cwd=tree, check=True,
                         env=dict(os.environ, PYTHONPATH=tree), capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(child(sys.argv[2])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", help="code tree before the change, measured side by side")
    ap.add_argument("--corpus", help="an existing mail_speed corpus (default: build one)")
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    trees = {"this": ROOT, **({"base": os.path.abspath(args.base)} if args.base else {})}
    with tempfile.TemporaryDirectory() as work:
        corpus = args.corpus
        if not corpus:
            sys.path[:0] = [HERE, ROOT]
            from mail_corpus import build

            corpus = os.path.join(work, "corpus")
            build(corpus, 120, 40)
        path = os.path.join(work, "all.mbox")
        write_mbox(corpus, path, args.copies)
        size = os.path.getsize(path) / 1e6
        best: dict[str, dict] = {}
        for _ in range(args.runs):
            for name, tree in trees.items():
                got = measure(tree, path)
                if name not in best or got["seconds"] < best[name]["seconds"]:
                    best[name] = got
    print(f"one mbox of {size:.1f} MB; CPU s to split it into members, best of {args.runs}; "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, got in best.items():
        print(f"  {name}: {got['members']} messages, {got['seconds']:.3f} s "
              f"({size / got['seconds']:.1f} MB/s)")
    if "base" in best:
        same = best["base"]["digest"] == best["this"]["digest"]
        print(f"  speed-up: {best['base']['seconds'] / best['this']['seconds']:.2f}x; "
              f"members (name, size, content hash) {'identical' if same else 'DIFFERENT'}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
