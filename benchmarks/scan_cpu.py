#!/usr/bin/env python3
"""CPU seconds of a whole scan of the mail_speed corpus, this tree beside a tree before (issue 16).

    python benchmarks/scan_cpu.py --base /tmp/base18 [--base-python PY] [--rounds 4] [--no-ner] [--workers 1]
                                  [--corpus DIR]

On a shared machine wall seconds stretch with everyone else's load; CPU seconds much less so. This
runs the real CLI (`scan --workers N`) of each tree in turn, for --rounds rounds, as a child
subreaper, so every process of a scan (the CLI, the forkserver, its workers) is reaped here and its
CPU counted. Prints each run, the best and the median per tree, and base / this. It checks no
findings: `mail_speed.py --base` does that on the same corpus. `--base-python`: the base tree's
interpreter, e.g. a virtual environment with other library releases (as in mail_speed.py).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE]
from measure import become_subreaper, children_cpu  # noqa: E402


def scan_cpu(tree: str, corpus: str, inventory: str, workers: int, extra: list,
             python: str = sys.executable) -> float:
    """CPU seconds of the CLI's scan and of every process it started (reaped here, as their subreaper)."""
    args = [python, "-m", "scanner", "scan", corpus, "-i", inventory, "--key", inventory + ".key",
            "-w", str(workers), "--quiet", "--format", "json", *extra]
    _, cpu = children_cpu(lambda: subprocess.run(args, cwd=tree, env=dict(os.environ, PYTHONPATH=tree),
                                                 stdout=subprocess.DEVNULL, check=True))
    return cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="a code tree before the change")
    ap.add_argument("--base-python", default=sys.executable, help="the base tree's interpreter (default: this one)")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-ner", action="store_true", help="scan with --no-ner")
    ap.add_argument("--unicode", action="store_true",
                    help="build the corpus as real clients write it (mail_corpus.py)")
    ap.add_argument("--corpus", help="an existing corpus (default: mail_speed's, 120 threads, 40 documents)")
    args = ap.parse_args()
    become_subreaper()
    trees = {"this": ROOT, "base": os.path.abspath(args.base)}
    work = tempfile.mkdtemp(prefix="pdsweep-scan-cpu-")
    try:
        corpus = args.corpus
        if corpus is None:
            from mail_corpus import build
            corpus = os.path.join(work, "corpus")
            build(corpus, 120, 40, unicode=args.unicode)
        cpu = {label: [] for label in trees}
        for r in range(args.rounds):
            for label, tree in trees.items():     # alternate the trees: the machine's load is shared
                inventory = os.path.join(work, f"inv-{label}-{r}")
                python = args.base_python if label == "base" else sys.executable
                seconds = scan_cpu(tree, corpus, inventory, args.workers, ["--no-ner"] if args.no_ner else [], python)
                cpu[label].append(seconds)
                shutil.rmtree(inventory, ignore_errors=True)
                os.remove(inventory + ".key")
                print(f"round {r + 1} {label}: {seconds:.2f} CPU s (load {os.getloadavg()[0]:.1f})",
                      flush=True)
        mode = "no NER" if args.no_ner else "NER on"
        for label, seconds in cpu.items():
            print(f"{label:4} {mode}, {args.workers} worker(s): best {min(seconds):.2f}, "
                  f"median {statistics.median(seconds):.2f} CPU s of all the scan's processes")
        print(f"base / this: best {min(cpu['base']) / min(cpu['this']):.2f}x, "
              f"median {statistics.median(cpu['base']) / statistics.median(cpu['this']):.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
