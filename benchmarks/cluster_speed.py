#!/usr/bin/env python3
"""The local worker pool against a 2-worker Dask cluster on loopback, same corpus (issue 18).

    python benchmarks/cluster_speed.py [--files 1500] [--binary-mb 20] [--workers 2]

Builds the mixed corpus (benchmarks/corpus.py), starts a real `dask scheduler` and `--workers`
`dask worker` processes (one thread each) on loopback, then scans the corpus, each time into a
fresh inventory with the same key:
  1. the cluster, cold: the workers load the model during the scan (a WorkerPlugin, once per worker);
  2. `--repeats` times, interleaved: the local pool (`--workers` processes, as `pdsweep scan` runs it:
     spawn and model load included), and the cluster warm (the model already loaded: workers are
     long-lived services).
Prints MB/s of outer files read and files/s for each, and each cluster run as a ratio of the pool's
throughput (target >= 0.85), and checks that the inventories hold the same findings.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT, os.path.join(ROOT, "tests")]
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from corpus import build_corpus  # noqa: E402
from cluster.dask_processes import DaskCluster  # noqa: E402  (tests/cluster: the same loopback cluster)

from scanner.cluster import cluster_settings  # noqa: E402
from scanner.config import ScanConfig  # noqa: E402
from scanner.inventory import InventoryReader  # noqa: E402
from scanner.scan import run_scan  # noqa: E402


def timed_scan(root: str, config: ScanConfig) -> dict:
    started = time.perf_counter()
    summary = run_scan([root], config)
    seconds = time.perf_counter() - started
    assert summary.status == "completed", summary.status
    return dict(seconds=seconds, mb_s=summary.bytes_read / 1e6 / seconds,
                files_s=summary.files_read / seconds, files=summary.files_read, findings=summary.findings,
                inventory=config.inventory, workers=len(summary.worker_bytes))


def finding_keys(inventory: str) -> set:
    reader = InventoryReader(inventory)
    try:
        return set(reader.query("SELECT content_hash, entity_type, value_key FROM findings"))
    finally:
        reader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1500)
    parser.add_argument("--binary-mb", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="pool and warm-cluster runs, interleaved")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="pdsweep-cluster-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        stats = build_corpus(corpus, files=args.files, binary_mb=args.binary_mb)
        print(f"corpus: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB")
        key = os.path.join(work, "key-inventory")
        os.makedirs(key)

        def config(name: str, **kw) -> ScanConfig:
            return ScanConfig(inventory=os.path.join(work, name), key_path=os.path.join(key, "key"), **kw)

        cluster = DaskCluster(os.path.join(work, "dask"), hidden=None, workers=args.workers)
        os.makedirs(cluster.workdir)
        cluster.start()
        runs: dict[str, list[dict]] = {}
        try:
            settings = cluster_settings(cluster.address)
            runs["cluster cold"] = [timed_scan(corpus, config("cold", executor="dask", cluster=settings))]
            # Interleaved, so that a busy shared machine weighs on both alike; the best of each is compared.
            for i in range(args.repeats):
                runs.setdefault("pool", []).append(
                    timed_scan(corpus, config(f"pool-{i}", workers=args.workers, isolate_workers=True)))
                runs.setdefault("cluster warm", []).append(
                    timed_scan(corpus, config(f"warm-{i}", executor="dask", cluster=settings)))
        finally:
            cluster.stop()
        for name, tries in runs.items():
            print(f"{name:<14} seconds per run: " + ", ".join(f"{r['seconds']:.1f}" for r in tries))
        runs = {name: max(tries, key=lambda r: r["mb_s"]) for name, tries in runs.items()}
        pool = runs["pool"]
        print("best of each:")
        print(f"{'run':<14} {'seconds':>8} {'MB/s':>7} {'files/s':>8} {'findings':>9}  ratio to pool")
        for name in ("pool", "cluster cold", "cluster warm"):
            r = runs[name]
            ratio = r["mb_s"] / pool["mb_s"]
            verdict = "" if name == "pool" else f" ({'meets' if ratio >= 0.85 else 'BELOW'} 0.85)"
            print(f"{name:<14} {r['seconds']:8.1f} {r['mb_s']:7.2f} {r['files_s']:8.1f} {r['findings']:9d}  "
                  f"{ratio:.2f}x{verdict}")
        same = all(finding_keys(r["inventory"]) == finding_keys(pool["inventory"]) for r in runs.values())
        print(f"same finding keys in every inventory: {same}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
