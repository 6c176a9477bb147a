#!/usr/bin/env python3
"""Time `find` on a large synthetic inventory (issue 5: < 1 s on >= 5M findings, >= 1M locations).

    python benchmarks/find_speed.py [--findings 5000000] [--locations 1000000]

Builds the inventory through the real writer (same schema, same sorting and row groups as a
scan writes), then times the real `find_locations` for identifiers that are present and absent,
and the whole `pdsweep find` command (process start included) side by side.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyarrow as pa

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from scanner.find import find_locations, query_keys  # noqa: E402
from scanner.inventory import InventoryWriter, open_inventory  # noqa: E402
from scanner.inventory.schema import FINDINGS, LOCATIONS  # noqa: E402
from scanner.keys import Keyer, load_or_create_secret  # noqa: E402

ENTITY_KINDS = [("EMAIL_ADDRESS", "email"), ("PERSON", "name"), ("PHONE_NUMBER", "phone"),
                ("UK_POSTCODE", "postcode")]


def build(inventory: str, n_findings: int, n_locations: int, planted_email: str) -> None:
    keyer = Keyer(load_or_create_secret(os.path.join(inventory, "key")))
    n_contents = n_locations // 2     # half the locations are copies of another's content
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(n_contents)]
    with InventoryWriter(inventory) as writer:
        batch = 1_000_000
        for start in range(0, n_findings, batch):
            n = min(batch, n_findings - start)
            idx = range(start, start + n)
            etypes = [ENTITY_KINDS[i % 4] for i in idx]
            table = pa.table({
                "content_hash": [hashes[i % n_contents] for i in idx],
                "entity_type": [e for e, _ in etypes], "kind": [k for _, k in etypes],
                "value_key": [keyer.key(f"{k}:value-{i // 3}") for i, (_, k) in zip(idx, etypes)],
                "count": pa.array([1] * n, pa.int32()), "score": pa.array([0.9] * n, pa.float32()),
                "first_offset": [0] * n, "preview": ["x***"] * n, "detector": ["bench"] * n,
            }, schema=FINDINGS)
            _write_part(writer, "findings", table)
        planted = keyer.key(f"email:{planted_email}")
        _write_part(writer, "findings", pa.Table.from_pylist([dict(
            content_hash=hashes[12345], entity_type="EMAIL_ADDRESS", kind="email", value_key=planted, count=1,
            score=0.95, first_offset=10, preview="p***@example.org", detector="bench")], schema=FINDINGS))
        for start in range(0, n_locations, batch):
            n = min(batch, n_locations - start)
            idx = range(start, start + n)
            table = pa.table({
                "seq": list(idx), "uri": [f"/srv/share/d{i % 997}/file-{i}.txt" for i in idx],
                "path": [f"/srv/share/d{i % 997}/file-{i}.txt" for i in idx], "members": [[] for _ in idx],
                "parent_uri": pa.nulls(n, pa.string()), "content_hash": [hashes[i % n_contents] for i in idx],
                "name_key": [None] * n, "size": [1000] * n, "mtime_ns": [1_700_000_000 * 10**9] * n,
                "inode": list(idx), "owner": ["sales"] * n, "mime": ["text/plain"] * n, "container": [False] * n,
                "status": ["ok"] * n, "reason": [""] * n, "host": ["bench"] * n, "scan_id": ["s1"] * n,
                "detector": ["bench"] * n, "seen_at": pa.nulls(n, pa.timestamp("us", tz="UTC")),
            }, schema=LOCATIONS)
            _write_part(writer, "locations", table)


def _write_part(writer: InventoryWriter, table_name: str, table: pa.Table) -> None:
    from scanner.inventory.files import write_parquet_atomic
    from scanner.inventory.manifest import write_manifest
    from scanner.inventory.store import SORT_KEYS
    name = f"{table_name}/part-{writer.manifest.next_part:06d}.parquet"
    writer.manifest.next_part += 1
    write_parquet_atomic(os.path.join(writer.inventory, name), table, SORT_KEYS[table_name])
    writer.manifest.parts(table_name).append(name)
    write_manifest(writer.inventory, writer.manifest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--findings", type=int, default=5_000_000)
    ap.add_argument("--locations", type=int, default=1_000_000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pdsweep-find-")
    inventory = os.path.join(work, "inv")
    try:
        t = time.perf_counter()
        build(inventory, args.findings, args.locations, "planted@example.org")
        print(f"built {args.findings:,} findings over {args.locations:,} locations in {time.perf_counter() - t:.1f} s")
        keyer = Keyer(load_or_create_secret(os.path.join(inventory, "key"), create=False))
        for label, ids in [("present email", {"email": ["Planted@Example.org"]}),
                           ("absent email + name", {"email": ["nobody@example.org"], "name": ["Jane Smith"]})]:
            times = []
            for _ in range(3):
                t = time.perf_counter()
                reader = open_inventory(inventory)
                rows = find_locations(reader, query_keys(keyer, ids))
                reader.close()
                times.append(time.perf_counter() - t)
            print(f"find_locations, {label}: {len(rows)} location(s), best {min(times):.3f} s, "
                  f"worst {max(times):.3f} s (target < 1 s)")
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "scanner", "find", "--email", "planted@example.org",
                              "-i", inventory, "-f", "json"], capture_output=True, text=True, check=True)
        print(f"`pdsweep find` command incl. Python start-up: {time.perf_counter() - t:.3f} s, "
              f"{out.stdout.count('location')} location(s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
