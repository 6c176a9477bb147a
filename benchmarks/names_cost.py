#!/usr/bin/env python3
"""What the name index costs: scan time, inventory size and keyed name rows per MB, before and after.

    python benchmarks/names_cost.py --base /tmp/names-base [--files 2000] [--rounds 2]

Builds the scan_speed corpus (benchmarks/corpus.py: letters, CSV, JSON/XML, HTML, DOCX/XLSX/PDF,
mbox, backups; most text names nobody) and scans it with each code tree, one worker, in turns
(`--rounds`), so machine load hits both alike. Reports wall seconds and CPU seconds of the scan
process tree (CPU is the fair figure on a shared machine), inventory bytes, findings rows and
NAME_INDEX rows per MB of text. Make the base tree with: git worktree add /tmp/names-base 35cfef3
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from corpus import build_corpus  # noqa: E402


def scan(root: str, corpus: str, inventory: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one scan by the code in `root`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scanner", "scan", corpus, "-i", inventory, "-w", "1", "--quiet"],
                          cwd=root, env=dict(os.environ, PYTHONPATH=root), capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"scan failed in {root}: {done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sizes(inventory: str) -> dict:
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        (chars,), = reader.query("SELECT coalesce(sum(chars), 0) FROM contents WHERE content_hash NOT LIKE 'name-%'")
        (rows, index), = reader.query("SELECT count(*), count(*) FILTER (entity_type = 'NAME_INDEX') FROM findings")
    finally:
        reader.close()
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(inventory) for f in fs if f != "key")
    return dict(chars=chars, rows=rows, index=index, bytes=size)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--after", default=ROOT, help="code tree with the change (default: this one)")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="names-cost-")
    try:
        corpus = os.path.join(work, "corpus")
        stats = build_corpus(corpus, args.files)
        trees = {"before": os.path.abspath(args.base), "after": os.path.abspath(args.after)}
        times = {label: [] for label in trees}
        for r in range(args.rounds):
            for label, root in trees.items():
                inventory = os.path.join(work, f"inv-{label}-{r}")
                times[label].append(scan(root, corpus, inventory))
        found = {label: sizes(os.path.join(work, f"inv-{label}-0")) for label in trees}
        print(f"## name index cost: scan_speed corpus, {stats['files']} files, "
              f"{found['after']['chars'] / 1e6:.2f} MB of unique text, 1 worker, {args.rounds} rounds")
        print(f"{'':30}{'before':>14}{'after':>14}{'after/before':>14}")
        best = {label: (min(w for w, _ in t), min(c for _, c in t)) for label, t in times.items()}
        rows = [("scan wall s (best)", lambda lb: best[lb][0], "{:.1f}"),
                ("scan CPU s (best)", lambda lb: best[lb][1], "{:.1f}"),
                ("inventory bytes", lambda lb: found[lb]["bytes"], "{:.0f}"),
                ("findings rows", lambda lb: found[lb]["rows"], "{:.0f}"),
                ("NAME_INDEX rows", lambda lb: found[lb]["index"], "{:.0f}"),
                ("NAME_INDEX rows per MB text", lambda lb: found[lb]["index"] / max(found[lb]["chars"], 1) * 1e6,
                 "{:.0f}")]
        for name, fn, fmt in rows:
            a, b = fn("before"), fn("after")
            ratio = f"{b / a:.3f}" if a else "-"
            print(f"{name:30}{fmt.format(a):>14}{fmt.format(b):>14}{ratio:>14}")
        print("all rounds (wall, CPU):", {lb: [(round(w, 1), round(c, 1)) for w, c in t] for lb, t in times.items()})
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
