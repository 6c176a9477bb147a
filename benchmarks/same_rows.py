#!/usr/bin/env python3
"""Does this tree store the very rows another stores? Every row of a scan, compared (issue 16).

    python benchmarks/same_rows.py --base /tmp/speed-base [--corpus DIR] [--no-ner] [--workers 1]

Scans the mail_speed corpus (benchmarks/mail_corpus.py, or --corpus) with each tree's CLI
(`python -m scanner scan`, run in the tree) into its own inventory, both with one HMAC key file, so
keyed values are comparable. Then compares whole rows: every location row (all columns but the
scan's id, the time it was seen and the write sequence), every content row and every finding row.
Prints the counts and how many rows only one side has; exit status 1 if any.
(mail_speed.py compares the keyed (location, type, kind, value key) set and `find` answers; this is
the stricter check a change to parsing or row building must pass.)
"""
from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import tempfile

import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VARYING = {"locations": ("scan_id", "seen_at", "seq"), "contents": (), "findings": ()}


def scan(tree: str, corpus: str, inventory: str, key: str, ner: bool, workers: int) -> None:
    cmd = [sys.executable, "-m", "scanner", "scan", corpus, "--inventory", inventory, "--key", key,
           "--workers", str(workers), *([] if ner else ["--no-ner"])]
    subprocess.run(cmd, cwd=tree, check=True, env=dict(os.environ, PYTHONPATH=tree),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rows(inventory: str, table: str) -> list[tuple]:
    out = []
    for part in sorted(glob.glob(os.path.join(inventory, table, "*.parquet"))):
        for row in pq.read_table(part).to_pylist():
            out.append(tuple(sorted((k, repr(v)) for k, v in row.items() if k not in VARYING[table])))
    return sorted(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--base", required=True, help="code tree before the change")
    ap.add_argument("--unicode", action="store_true",
                    help="build the corpus as real clients write it (mail_corpus.py)")
    ap.add_argument("--corpus", help="an existing mail_speed corpus (default: build one)")
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        corpus = args.corpus
        if not corpus:
            sys.path[:0] = [HERE, ROOT]
            from mail_corpus import build

            corpus = os.path.join(work, "corpus")
            build(corpus, 120, 40, unicode=args.unicode)
        key = os.path.join(work, "key")     # written by the first scan, read by the second
        inventories = {name: os.path.join(work, f"inv-{name}") for name in ("this", "base")}
        for name, tree in (("this", ROOT), ("base", os.path.abspath(args.base))):
            scan(tree, corpus, inventories[name], key, not args.no_ner, args.workers)
        failed = False
        print(f"{'no NER' if args.no_ner else 'NER on'}, {args.workers} worker(s), one key for both trees")
        for table in VARYING:
            mine, theirs = rows(inventories["this"], table), rows(inventories["base"], table)
            only_mine, only_theirs = len(set(mine) - set(theirs)), len(set(theirs) - set(mine))
            failed |= bool(only_mine or only_theirs) or len(mine) != len(theirs)
            print(f"  {table}: this {len(mine)}, base {len(theirs)}, only in this {only_mine}, "
                  f"only in base {only_theirs}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
