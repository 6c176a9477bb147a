#!/usr/bin/env python3
"""First scan vs rescan of an unchanged tree (issue 2: rescan <= 1/20 of the first scan).

    python benchmarks/rescan.py --files 5000 [--workers 2]

Both runs are the real `pdsweep scan` command, timed wall-clock, side by side in one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import build_corpus  # noqa: E402


def timed_scan(root: str, inventory: str, workers: int) -> tuple[float, dict]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "scanner", "scan", root, "--inventory", inventory,
                          "--workers", str(workers), "--quiet", "--format", "json"],
                         check=True, capture_output=True, text=True)
    return time.perf_counter() - started, json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pdsweep-bench-")
    try:
        stats = build_corpus(os.path.join(work, "tree"), args.files, binary_mb=20)
        print(f"corpus: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB")
        inventory = os.path.join(work, "inventory")
        first, s1 = timed_scan(os.path.join(work, "tree"), inventory, args.workers)
        second, s2 = timed_scan(os.path.join(work, "tree"), inventory, args.workers)
        print(f"first scan:  {first:8.2f} s  (files read {s1['files_read']}, locations {s1['locations']}, "
              f"unique contents analysed {s1['analysed']})")
        print(f"rescan:      {second:8.2f} s  (files read {s2['files_read']}, unchanged {s2['files_unchanged']})")
        print(f"rescan / first scan = 1/{first / second:.1f}  (target: at most 1/20)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
