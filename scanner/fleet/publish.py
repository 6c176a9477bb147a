"""`pdsweep publish`: a snapshot of one host's inventory into the tenant's fleet dataset.

Layout, under DEST (a directory or an s3:// prefix), Hive-partitioned:

    tenant=T/host=H/locations/data.parquet     one object per table: what DuckDB, Spark
    tenant=T/host=H/findings/data.parquet      and Trino read with a glob
    tenant=T/host=H/contents/data.parquet
    tenant=T/host=H/scans/data.parquet
    tenant=T/host=H/_current.json              the pointer: which objects make up the snapshot,
                                               with their SHA-256 (pdsweep's fleet reader)
    tenant=T/host=H/_snapshots/<id>/...        staging, only while a publish runs

S3 has no rename and no multi-object transaction, so a publish is three steps,
each made of operations that are atomic one object at a time:

1. upload the new tables to `_snapshots/<id>/` (no reader looks there: `_`
   paths are outside every glob, and Spark and Hive skip them);
2. replace `_current.json` to name them: the commit. A reader that follows the
   pointer sees the previous snapshot before this PUT and the new one after;
3. copy each table over `<table>/data.parquet` (server-side), replace the
   pointer to name those copies, delete the staging objects.

A `kill -9` before step 2 leaves the previous snapshot untouched (its stray
staging objects are removed by the next publish); after it, the pointer names
a complete snapshot. pdsweep's reader checks every object against the
pointer's SHA-256 and re-reads the pointer on a mismatch, so it never mixes two
snapshots. A glob reader sees each (host, table) object whole, old or new,
never a torn or duplicated file; but during step 3 (or after a kill within it,
until the next publish) one host's tables may come from two consecutive
snapshots. Queries that must be exact across tables go through pdsweep, or
pin `snapshot` (every row carries its snapshot id).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import uuid
from datetime import datetime, timezone

from ..errors import UsageError
from ..inventory import open_inventory
from ..keys import load_or_create_secret
from ..inventory.schema import TABLES
from .tenancy import TenantMismatch, check_tenant_name, inventory_tenant, key_id

POINTER = "_current.json"
STAGING = "_snapshots"
FORMAT = 1
_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")


def host_prefix(tenant: str, host: str) -> str:
    return f"tenant={tenant}/host={host}/"


def view_key(table: str) -> str:
    return f"{table}/data.parquet"


def check_host_name(host: str) -> str:
    if not _HOST.match(host or ""):
        raise UsageError(f"--host {host!r}: use letters, digits, '.', '-' or '_' (it becomes host=NAME/)")
    return host


def publish(inventory: str, store, tenant: str, host: str | None = None, key_path: str | None = None,
            step=None) -> dict:
    """Publish the inventory's current state as tenant/host's snapshot; the new pointer.

    `step(name)` is called between the steps (progress; the crash tests kill the process there).
    """
    check_tenant_name(tenant)
    secret = load_or_create_secret(key_path or os.path.join(inventory, "key"), create=False)
    kid = _check_tenant(inventory, tenant, key_id(secret))
    step = step or (lambda name: None)
    workdir = tempfile.mkdtemp(prefix="pdsweep-publish-")
    try:
        reader = open_inventory(inventory)
        try:
            host = check_host_name(host or _last_host(reader) or socket.gethostname())
            _check_fleet_key(store, tenant, host, kid)
            snapshot = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
            tables = {t: _export(reader, t, host, snapshot, os.path.join(workdir, f"{t}.parquet")) for t in TABLES}
        finally:
            reader.close()
        base = host_prefix(tenant, host)
        staging = f"{STAGING}/{snapshot}"
        for table in tables:
            store.put_file(base + f"{staging}/{table}.parquet", os.path.join(workdir, f"{table}.parquet"))
            step(f"staged {table}")
        pointer = dict(format=FORMAT, tenant=tenant, host=host, snapshot=snapshot, key_id=kid,
                       published=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       tables={t: dict(meta, key=f"{staging}/{t}.parquet") for t, meta in tables.items()})
        store.put_bytes(base + POINTER, _json(pointer))          # the commit
        step("committed")
        for table in tables:
            store.copy(base + f"{staging}/{table}.parquet", base + view_key(table))
            step(f"placed {table}")
        pointer["tables"] = {t: dict(meta, key=view_key(t)) for t, meta in tables.items()}
        store.put_bytes(base + POINTER, _json(pointer))
        step("repointed")
        _tidy(store, base)
        return pointer
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _check_tenant(inventory: str, tenant: str, kid: str) -> str:
    """A stamped inventory publishes only as its own tenant, with its own key."""
    stamp = inventory_tenant(inventory)
    if stamp is not None and stamp["tenant"] != tenant:
        raise TenantMismatch(f"inventory {inventory} belongs to tenant {stamp['tenant']!r}, not {tenant!r}")
    if stamp is not None and stamp["key_id"] != kid:
        raise TenantMismatch(f"inventory {inventory} is keyed with key id {stamp['key_id']}, not this key ({kid})")
    return kid


def _check_fleet_key(store, tenant: str, host: str, kid: str) -> None:
    """All hosts of a tenant share one key, or their inventories could not be queried together."""
    for other in store.list_dirs(f"tenant={tenant}/"):
        name = other.partition("=")[2]
        raw = store.get_bytes(host_prefix(tenant, name) + POINTER) if name != host else None
        if raw and json.loads(raw).get("key_id") != kid:
            raise TenantMismatch(f"host {name} of tenant {tenant!r} published with key id "
                                 f"{json.loads(raw).get('key_id')}; this inventory's key is {kid}: "
                                 "a tenant's hosts share one key file")


def _last_host(reader) -> str | None:
    rows = reader.query("SELECT host FROM scans ORDER BY ended DESC NULLS LAST LIMIT 1")
    return rows[0][0] if rows and rows[0][0] else None


def _export(reader, table: str, host: str, snapshot: str, path: str) -> dict:
    """One table of the current state as one Parquet file, `host` set to the partition's, and the
    snapshot id on every row; its size, rows and SHA-256."""
    replace = f" REPLACE ('{host}' AS host)" if "host" in TABLES[table].names else ""
    reader.db.execute(f"COPY (SELECT *{replace}, '{snapshot}' AS snapshot FROM {table}) "
                      f"TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    rows = reader.query(f"SELECT count(*) FROM {table}")[0][0]
    return dict(sha256=file_sha256(path), size=os.path.getsize(path), rows=rows)


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _tidy(store, base: str) -> None:
    """Staging objects (this publish's, and any a killed publish left) and strays beside the tables."""
    keep = {base + POINTER} | {base + view_key(t) for t in TABLES}
    store.delete([k for k in store.list(base) if k not in keep])


def _json(obj) -> bytes:
    return json.dumps(obj, indent=1, sort_keys=True).encode()
