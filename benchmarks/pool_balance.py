#!/usr/bin/env python3
"""Where 2 workers lose time against 1: each process's CPU, each worker's idle tail (issue 16).

    python benchmarks/pool_balance.py [--scale 2] [--workers 1 2] [--base /tmp/base17] [--runs 1]
                                      [--no-ner] [--corpus DIR] [--profile-parent] [--timeline 0.5]

Builds the mail_speed corpus (benchmarks/mail_corpus.py, `--scale` times 120 threads and 40 documents)
or takes `--corpus`, then scans it with the real CLI (`python -m scanner scan -w N`) from this tree
and, with --base, from a tree before the change, alternating trees run by run (the machine is
shared). While a scan runs, the CPU time of every process of its tree is sampled every 50 ms
(psutil, /proc: nothing in the product is changed or timed), and each process is given its role:
the CLI parent (walk, receiving results, writing Parquet), the forkserver (imports and model
load, once), the claims manager, and the workers (forked from the forkserver, in start order).
Printed per run: wall seconds; CPU seconds of each role; for each worker when it first and last
ran, its CPU, and how long it sat idle after its last work while another worker still ran (the
tail); the parent's CPU while workers ran (taken from them on a 2-core machine).

`--timeline S` prints, per run, the CPU seconds each role used in every S-second slice of the scan:
where start-up, the workers' run and the finish go, and which process is on the critical path.

`--profile-parent` runs the parent under cProfile (the workers are forked from the forkserver, so
not profiled) and prints the parent's top functions by cumulative time.
"""
from __future__ import annotations

import argparse
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import psutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from mail_corpus import build  # noqa: E402
from measure import become_subreaper  # noqa: E402

ACTIVE_CPU_S = 0.01      # a process "ran" in a 50 ms sample when its CPU rose by more than this


class Sampler:
    """CPU seconds of every process of a tree over time: {pid: [(t, cpu), ...]}, plus each one's parent
    and command line. The tree is re-listed every 0.25 s; known processes are read every 50 ms."""

    def __init__(self, root: psutil.Process, started: float):
        self.root, self.started = root, started
        self.samples: dict[int, list[tuple[float, float]]] = {}
        self.info: dict[int, tuple[int, str, float]] = {}   # pid: (ppid, cmdline, create_time)
        self.procs: dict[int, psutil.Process] = {root.pid: root}
        self.root_created = root.create_time()
        self.stop = threading.Event()

    def run(self) -> None:
        last_list = 0.0
        while not self.stop.is_set():
            now = time.perf_counter()
            if now - last_list > 0.25:
                self._list()
                last_list = now
            for pid, proc in list(self.procs.items()):
                try:
                    t = proc.cpu_times()
                except psutil.Error:
                    continue
                self.samples.setdefault(pid, []).append((now - self.started, t.user + t.system))
            time.sleep(0.05)

    def _list(self) -> None:
        try:
            children = self.root.children(recursive=True)
        except psutil.Error:
            return
        for p in children:
            if p.pid not in self.procs:
                try:
                    self.info[p.pid] = (p.ppid(), " ".join(p.cmdline()), p.create_time())
                except psutil.Error:
                    continue
                self.procs[p.pid] = p


def roles(sampler: Sampler, workers: int) -> dict[int, str]:
    """parent, forkserver, manager (a tree whose claims live in a Manager: the forkserver's first
    child, started before the workers), worker1..N (the rest, in start order), other (resource
    tracker...)."""
    out = {sampler.root.pid: "parent"}
    # Workers and the manager are forked from the server and share its command line: the server is
    # the first of them started.
    server = min(((c, pid) for pid, (_, cmd, c) in sampler.info.items() if "forkserver" in cmd),
                 default=(0, None))[1]
    if server is not None:
        out[server] = "forkserver"
        kids = sorted((c, pid) for pid, (ppid, _, c) in sampler.info.items() if ppid == server)
        managed = len(kids) > workers     # no worker was replaced in a benchmark's scan
        for n, (_, pid) in enumerate(kids):
            out[pid] = "manager" if managed and n == 0 else f"worker{n + (not managed)}"
    for pid in sampler.info:
        out.setdefault(pid, "other")
    return out


def activity(samples: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(CPU seconds, first and last time it ran) from a process's samples."""
    ran = [t for (t0, c0), (t, c) in zip(samples, samples[1:]) if c - c0 > ACTIVE_CPU_S]
    cpu = samples[-1][1] if samples else 0.0
    return cpu, (ran[0] if ran else 0.0), (ran[-1] if ran else 0.0)


def scan(tree: str, corpus: str, inventory: str, key: str, workers: int, ner: bool,
         profile: str | None) -> dict:
    args = [sys.executable] + (["-m", "cProfile", "-o", profile] if profile else []) + [
        "-m", "scanner", "scan", corpus, "-i", inventory, "--key", key, "-w", str(workers),
        "--quiet", "--format", "json"] + ([] if ner else ["--no-ner"])
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=tree, env=dict(os.environ, PYTHONPATH=tree), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    sampler = Sampler(psutil.Process(proc.pid), started)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    err = proc.communicate()[1]
    wall = time.perf_counter() - started
    sampler.stop.set()
    thread.join()
    while True:      # the forkserver outlives the CLI by a moment: reap it (we are its subreaper)
        try:
            os.wait()
        except ChildProcessError:
            break
    if proc.returncode != 0:
        raise SystemExit(f"scan failed in {tree}: {err[-2000:]}")
    out = {"wall": wall, "procs": {}, "born": {}}
    for pid, role in roles(sampler, workers).items():
        out["procs"][role] = activity(sampler.samples.get(pid, []))
        if pid in sampler.info:    # started how long after the CLI (process start times, not samples)
            out["born"][role] = sampler.info[pid][2] - sampler.root_created
    out["estimate"] = quiet_estimate(sampler, roles(sampler, workers), workers)
    out["series"] = {role: sampler.samples.get(pid, []) for pid, role in roles(sampler, workers).items()}
    spans = [v for k, v in out["procs"].items() if k.startswith("worker")]
    out["tail"] = max(v[2] for v in spans) - min(v[2] for v in spans) if spans else 0.0
    if spans:
        first, end = min(v[1] for v in spans), max(v[2] for v in spans)
        out["parent_during"] = cpu_at(sampler.samples.get(proc.pid, []), end) - cpu_at(
            sampler.samples.get(proc.pid, []), first)
    return out


def cpu_at(samples: list[tuple[float, float]], t: float) -> float:
    """CPU seconds a process had used by time t (its last sample at or before t)."""
    before = [c for at, c in samples if at <= t]
    return before[-1] if before else 0.0


def quiet_estimate(sampler: Sampler, role_of: dict[int, str], workers: int) -> dict[str, float]:
    """What the scan would take on an idle 2-core machine, from CPU seconds, which a shared machine's
    load changes far less than wall seconds: the parent's CPU until the forkserver started, then the
    longer of the parent's CPU and the server's until the first worker was forked (they run side by
    side), then the workers' CPU split evenly (plus the parent's CPU meanwhile, on the same two
    cores), then the parent's CPU after the last worker's work. The even split leaves out the idle
    tail (printed apart: under load it is stretched too)."""
    by_role = {role: sampler.samples.get(pid, []) for pid, role in role_of.items()}
    born = {role: sampler.info[pid][2] - sampler.root_created for pid, role in role_of.items() if pid in sampler.info}
    parent = by_role["parent"]
    kids = [r for r in by_role if r.startswith("worker") and by_role[r]]
    if not kids or "forkserver" not in born:
        return {}
    t_server, t_worker = born["forkserver"], min(born[k] for k in kids)
    end = max(activity(by_role[k])[2] for k in kids)
    before = cpu_at(parent, t_server) + max(cpu_at(parent, t_worker) - cpu_at(parent, t_server),
                                            cpu_at(by_role["forkserver"], t_worker))
    during = cpu_at(parent, end) - cpu_at(parent, t_worker)
    after = parent[-1][1] - cpu_at(parent, end)
    work = (sum(by_role[k][-1][1] for k in kids) + (during if workers >= 2 else 0.0)) / workers
    return {"before": before, "work": work, "after": after, "total": before + work + after}


def timeline(series: dict[str, list[tuple[float, float]]], wall: float, step: float) -> None:
    """CPU seconds of each role in each `step`-second slice of the scan (from the 50 ms samples)."""
    shown = sorted(r for r, s in series.items() if s and s[-1][1] > 0.05)
    print(f"    timeline, CPU seconds of each process per {step:g} s:")
    print(f"    {'seconds':>13}: " + " | ".join(f"{r:>10}" for r in shown))
    t = 0.0
    while t < wall:
        row = [cpu_at(series[r], t + step) - cpu_at(series[r], t) for r in shown]
        print(f"    {t:5.1f}-{t + step:5.1f} s: " + " | ".join(f"{c:10.2f}" for c in row))
        t += step


def report(label: str, workers: int, r: dict, step: float | None = None) -> None:
    procs = r["procs"]
    workers_ = {k: v for k, v in procs.items() if k.startswith("worker")}
    cpu = {k: v[0] for k, v in procs.items()}
    print(f"{label} tree, {workers} worker(s): wall {r['wall']:.2f} s; CPU s: "
          + ", ".join(f"{k} {v:.2f}" for k, v in sorted(cpu.items())) + f"; all {sum(cpu.values()):.2f}")
    born = r["born"]
    print("    processes started after the CLI: " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(born.items(), key=lambda kv: kv[1])))
    if not workers_:
        return
    first = min(v[1] for v in workers_.values())
    end = max(v[2] for v in workers_.values())
    for name, (c, start, last) in sorted(workers_.items()):
        busy = last - start
        print(f"    {name}: ran {start:.2f}-{last:.2f} s, CPU {c:.2f} s ({c / max(busy, 0.01):.0%} of its span), "
              f"idle at the end {end - last:.2f} s")
    print(f"    workers' span {first:.2f}-{end:.2f} s ({end - first:.2f} s); before it {first:.2f} s, "
          f"after it {r['wall'] - end:.2f} s; parent CPU during it {r.get('parent_during', 0):.2f} s")
    e = r["estimate"]
    if e:
        print(f"    quiet 2-core estimate from CPU: {e['total']:.2f} s = before the workers {e['before']:.2f} "
              f"+ their CPU split evenly {e['work']:.2f} + after {e['after']:.2f}")
    if step:
        timeline(r["series"], r["wall"], step)


def keyed(inventory: str) -> set:
    """(location, entity type, kind, value key) of every finding: what `find` answers from."""
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        return {tuple(r) for r in reader.query("SELECT l.uri, f.entity_type, f.kind, f.value_key FROM locations l "
                                               "JOIN findings f USING (content_hash) WHERE l.status <> 'gone'")}
    finally:
        reader.close()


def summarise(results: dict, workers: list[int], labels: list[str]) -> None:
    """Medians per tree and worker count, the ratio of the most workers to one, and whether every
    scan stored the same keyed findings."""
    median = lambda xs: statistics.median(xs) if xs else float("nan")   # noqa: E731
    wall, est = {}, {}
    for (label, w), runs in results.items():
        wall[label, w] = median([r["wall"] for r in runs])
        est[label, w] = median([r["estimate"]["total"] for r in runs if r["estimate"]])
        tail = median([r["tail"] for r in runs])
        print(f"{label} tree, {w} worker(s): median wall {wall[label, w]:.2f} s, quiet 2-core estimate "
              f"{est[label, w]:.2f} s, first worker idle while the last ran {tail:.2f} s ({len(runs)} run(s))")
    one, most = min(workers), max(workers)
    if one != most:
        for label in labels:
            print(f"{label} tree, {most} workers / {one}: wall {wall[label, one] / wall[label, most]:.2f}x, "
                  f"quiet estimate {est[label, one] / est[label, most]:.2f}x")
    first_key = next(iter(results))
    first = results[first_key][0]["keyed"]
    print(f"keyed findings (location, type, kind, value key): {len(first)} in {first_key[0]} tree, "
          f"{first_key[1]} worker(s), run 1; against it:")
    for (label, w), runs in results.items():
        for n, r in enumerate(runs):
            print(f"    {label} tree, {w} worker(s), run {n + 1}: {len(r['keyed'])}, only there "
                  f"{len(r['keyed'] - first)}, missing there {len(first - r['keyed'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--base", help="code tree before the change, run alternately with this one")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--corpus", help="an existing corpus (mail_speed.py --keep DIR puts it in DIR/corpus)")
    ap.add_argument("--profile-parent", action="store_true")
    ap.add_argument("--timeline", type=float, metavar="S", help="print each role's CPU per S-second slice")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--filter", help="only profile rows whose path matches this regex")
    args = ap.parse_args()
    become_subreaper()
    work = tempfile.mkdtemp(prefix="pdsweep-pool-balance-")
    try:
        corpus = args.corpus or os.path.join(work, "corpus")
        if not args.corpus:
            build(corpus, 120 * args.scale, 40 * args.scale)
        trees = [("this", ROOT)] + ([("base", os.path.abspath(args.base))] if args.base else [])
        print(f"corpus {corpus}; {os.cpu_count()} cores; {'no NER' if args.no_ner else 'NER on'}; "
              f"load average {os.getloadavg()[0]:.1f}")
        results: dict[tuple[str, int], list[dict]] = {}
        for run in range(args.runs):
            for w in args.workers:
                for label, tree in trees:
                    inv = os.path.join(work, f"inv-{label}-{w}-{run}")
                    profile = inv + ".prof" if args.profile_parent else None
                    r = scan(tree, corpus, inv, os.path.join(work, "key"), w, not args.no_ner, profile)
                    r["keyed"] = keyed(inv)
                    results.setdefault((label, w), []).append(r)
                    report(label, w, r, args.timeline)
                    if profile:
                        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.filter or "", args.top)
        summarise(results, args.workers, [label for label, _ in trees])
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
