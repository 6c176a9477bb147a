#!/usr/bin/env python3
"""What one more pool worker costs at start-up, side by side with a code tree before (issue 16).

    python benchmarks/pool_startup.py --base /tmp/base-pool [--files 240] [--workers 1 2 4] [--runs 2]

Scans a small generated tree (one-line files: the work is tiny, start-up is most of it) with the
real CLI and each worker count, as a child subreaper so that every process of the scan (workers,
the forkserver, the claims manager) is reaped here and its CPU counted. Prints wall seconds and
CPU seconds of the whole process tree, the median of --runs, for each tree, then the CPU one more
worker adds ((CPU at N workers - CPU at 1) / (N - 1)) and this tree's figure as a ratio of base's.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "benchmarks")]
from measure import become_subreaper, children_cpu  # noqa: E402


def make_tree(root: str, files: int) -> None:
    os.makedirs(root)
    for i in range(files):
        with open(os.path.join(root, f"f{i:04d}.txt"), "w") as f:
            f.write(f"Dear Emma Holt{i}, call 01482 420150 or write to emma{i}@example.org.\n")


def scan_cpu(tree: str, corpus: str, inventory: str, workers: int) -> tuple[float, float]:
    """Wall seconds of the CLI, CPU seconds of it and of every process it started (reaped here)."""
    args = [sys.executable, "-m", "scanner", "scan", corpus, "-i", inventory, "--key", inventory + ".key", "-w", str(workers),
            "--quiet", "--format", "json"]

    def run() -> float:
        started = time.perf_counter()
        subprocess.run(args, cwd=tree, env=dict(os.environ, PYTHONPATH=tree), stdout=subprocess.DEVNULL,
                       check=True)
        return time.perf_counter() - started

    return children_cpu(run)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True, help="a code tree before the change")
    ap.add_argument("--files", type=int, default=240)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    become_subreaper()
    trees = {"this": ROOT, "base": os.path.abspath(args.base)}
    with tempfile.TemporaryDirectory(prefix="pool-startup-") as work:
        corpus = os.path.join(work, "tree")
        make_tree(corpus, args.files)
        cpu = {}
        for w in args.workers:
            for label, tree in trees.items():     # alternate the trees: the machine's load is shared
                runs = [scan_cpu(tree, corpus, os.path.join(work, f"inv-{label}-{w}-{r}"), w) for r in range(args.runs)]
                wall, cpu[(label, w)] = (statistics.median(x) for x in zip(*runs))
                print(f"{label} tree, {w} worker(s): wall {wall:.2f} s, CPU of all its processes {cpu[(label, w)]:.2f} s")
        one = min(args.workers)
        for w in (w for w in args.workers if w > one):
            extra = {label: (cpu[(label, w)] - cpu[(label, one)]) / (w - one) for label in trees}
            print(f"CPU per worker beyond {one} (at {w}): this {extra['this']:.2f} s, base {extra['base']:.2f} s "
                  f"(base / this {extra['base'] / max(extra['this'], 0.01):.1f}x)")
        print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
