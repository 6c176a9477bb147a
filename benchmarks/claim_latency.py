#!/usr/bin/env python3
"""What a pool worker waits for each content claim: a Manager dict against scanner.pool_claims (issue 16).

    python benchmarks/claim_latency.py [--workers 1 2] [--claims 1700] [--work-ms 3] [--rounds 2]

Starts --workers processes from a forkserver, as the pool does, each making --claims claims of
content hashes (half of them shared with the other workers, as copies of an attachment are) with
--work-ms of pure-Python work between two claims, about what a worker spends per content at the
issue's size (~10 s for ~1,700 claims). Each process reports the wall and CPU seconds spent inside
its claims. The Manager dict (the pool's claims before) and the claim table run alternately, in one
run, for --rounds rounds. Wall time is the point: a claim through the Manager waits for the
manager's process to get a core, which two busy workers on two cores seldom leave free.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from scanner.pool_claims import ClaimTable  # noqa: E402


def busy(seconds: float) -> None:
    end = time.process_time() + seconds
    x = 0
    while time.process_time() < end:
        x += sum(range(200))


def worker(claims, n: int, work_s: float, index: int, out) -> None:
    pid, wall, cpu, mine = os.getpid(), 0.0, 0.0, 0
    for k in range(n):
        busy(work_s)
        key = f"shared-{k}" if k % 2 else f"own-{index}-{k}"
        t, c = time.perf_counter(), time.process_time()
        mine += claims.setdefault(key, pid) == pid
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
    out.put((wall, cpu, mine))


def run(ctx, claims, workers: int, n: int, work_s: float) -> tuple[float, float, int]:
    out = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(claims, n, work_s, i, out)) for i in range(workers)]
    for p in procs:
        p.start()
    got = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return (statistics.mean(g[0] for g in got), statistics.mean(g[1] for g in got), sum(g[2] for g in got))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--claims", type=int, default=1700)
    ap.add_argument("--work-ms", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    ctx = mp.get_context("forkserver")
    print(f"{os.cpu_count()} cores; {args.claims} claims per worker, {args.work_ms:g} ms of work between two; "
          f"load average {os.getloadavg()[0]:.1f}")
    for r in range(args.rounds):
        for w in args.workers:
            with ctx.Manager() as manager:
                before = run(ctx, manager.dict(), w, args.claims, args.work_ms / 1000)
            table = ClaimTable.create()
            try:
                now = run(ctx, table, w, args.claims, args.work_ms / 1000)
            finally:
                table.remove()
            assert before[2] == now[2], "both must hand every content to exactly one worker"
            print(f"round {r + 1}, {w} worker(s): per worker, seconds waiting in claims (CPU): Manager dict "
                  f"{before[0]:.3f} ({before[1]:.3f}), {before[0] / args.claims * 1000:.3f} ms a claim; "
                  f"claim table {now[0]:.3f} ({now[1]:.3f}), {now[0] / args.claims * 1000:.3f} ms a claim; "
                  f"{before[0] / max(now[0], 1e-9):.0f}x; load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
