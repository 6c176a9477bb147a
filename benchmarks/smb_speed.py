#!/usr/bin/env python3
"""MB/s over SMB on loopback vs the same tree on local disk (issue 10).

    python benchmarks/smb_speed.py --files 2000 --binary-mb 100 [--workers 2] [--ner]

Builds the mixed benchmark corpus (benchmarks/corpus.py), serves it with a
private smbd on 127.0.0.1 (tests/smb/samba_server.py; needs Samba installed,
.ci/samba-setup.sh), then measures, side by side in one run:

  read: walk and read every byte (SHA-256 of each outer file), local vs smb://;
  scan: the real `pdsweep scan` command, local vs smb:// (no NER unless --ner:
        NER runs at ~0.07 MB/s and would hide the transport entirely).

Both sides read from the page cache (the server's, for SMB), so the figures
compare protocol cost, not disks.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "smb"))
sys.path.insert(0, ROOT)
from corpus import build_corpus  # noqa: E402
from samba_server import SambaServer, samba_missing, served_directory  # noqa: E402


def read_all(root: str) -> tuple[int, int, float]:
    """(files, bytes, seconds) to walk `root` and hash every outer file."""
    from connectors import Blob, Location
    from connectors.filesystem import FileEntry, walk
    from connectors.smb import is_smb_uri, prepare_smb_root, smb_blob, walk_smb

    started = time.perf_counter()
    if is_smb_uri(root):
        entries = walk_smb(prepare_smb_root(root, prompt=False))
    else:
        entries = walk([root])
    files = size = 0
    for entry in entries:
        if not isinstance(entry, FileEntry):
            continue
        blob = smb_blob(entry) if is_smb_uri(entry.path) else Blob(Location(entry.path), entry.size,
                                                                  path=entry.path)
        blob.content_hash()
        files, size = files + 1, size + entry.size
    return files, size, time.perf_counter() - started


def timed_scan(root: str, inventory: str, workers: int, ner: bool, env: dict) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "scanner", "scan", root, "--inventory", inventory, "--workers", str(workers),
           "--quiet", "--format", "json"] + ([] if ner else ["--no-ner"])
    started = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return time.perf_counter() - started, json.loads(out.stdout)


def open_tree(root: str) -> None:
    """The Samba test user must be able to read what the corpus builder wrote."""
    for dirpath, _, names in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in names:
            os.chmod(os.path.join(dirpath, name), 0o644)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--binary-mb", type=int, default=100,
                    help="MB of binary files (read and hashed, no text)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ner", action="store_true", help="scan with spaCy NER (slow: NER-bound, not I/O-bound)")
    args = ap.parse_args()
    if samba_missing():
        sys.exit(f"smb_speed: {samba_missing()}")
    tree = served_directory(prefix="pdsweep-bench-smb-")
    work = served_directory(prefix="pdsweep-bench-inv-")
    try:
        stats = build_corpus(tree, args.files, binary_mb=args.binary_mb)
        open_tree(tree)
        print(f"corpus: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB")
        with SambaServer(share_path=tree) as server:
            env = dict(os.environ, PDSWEEP_SMB_PASSWORD=server.password,
                       TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
            os.environ["PDSWEEP_SMB_PASSWORD"] = server.password
            read_all(tree)                                    # warm the page cache for both sides
            rows = [("read", "local", *read_all(tree)), ("read", "smb", *read_all(server.uri()))]
            for name, root in (("local", tree), ("smb", server.uri())):
                seconds, summary = timed_scan(root, os.path.join(work, name), args.workers, args.ner, env)
                rows.append(("scan", name, summary["files"], summary["bytes_read"], seconds))
        report(rows, args)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def report(rows: list[tuple], args) -> None:
    speeds = {}
    for what, where, files, size, seconds in rows:
        speeds[what, where] = size / 1e6 / seconds
        print(f"{what:5s} {where:6s} {files:6d} files {size / 1e6:8.1f} MB {seconds:8.2f} s "
              f"{speeds[what, where]:8.1f} MB/s")
    scan_kind = f"pdsweep scan, {args.workers} worker(s), {'with' if args.ner else 'no'} NER"
    print(f"SMB loopback / local: read {speeds['read', 'smb'] / speeds['read', 'local']:.2f}x; "
          f"{scan_kind} {speeds['scan', 'smb'] / speeds['scan', 'local']:.2f}x")


if __name__ == "__main__":
    main()
