"""Reading a tenant's fleet dataset: every host's current snapshot, as one inventory.

`FleetReader` offers what `InventoryReader` offers (`db`, `query`, `arrow`,
`close`, and the views `locations`, `findings`, `contents`, `scans`), so
`find`, `sar` and `report` run on it unchanged; its views hold every host of
one tenant, with `tenant` and `host` columns. Only `DEST/tenant=T/` is ever
listed or read: credentials scoped to that prefix are enough, and another
tenant's partitions are never touched.

Each host's snapshot is read through its pointer and checked object by object
against the SHA-256 the pointer names; an object replaced meanwhile (a publish
in progress) sends the reader back to the pointer, so a host is always read as
one whole snapshot, the previous or the new.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ..inventory.reader import DuckDBQueries
from ..inventory.schema import TABLES
from .publish import POINTER, file_sha256, host_prefix
from .store import FleetStoreError
from .tenancy import check_tenant_name

READ_ATTEMPTS = 6


@dataclass(frozen=True)
class HostSnapshot:
    host: str
    snapshot: str
    published: str
    key_id: str
    files: dict            # table -> local Parquet file


def read_host(store, tenant: str, host: str, workdir: str, attempts: int = READ_ATTEMPTS) -> HostSnapshot | None:
    """One host's snapshot, whole (None when the host has none yet)."""
    base = host_prefix(tenant, host)
    os.makedirs(workdir, mode=0o700, exist_ok=True)
    for attempt in range(attempts):
        raw = store.get_bytes(base + POINTER)
        if raw is None:
            return None
        pointer = json.loads(raw)
        files = {}
        for table, meta in pointer["tables"].items():
            local = os.path.join(workdir, f"{table}.parquet")
            if not store.get_file(base + meta["key"], local) or file_sha256(local) != meta["sha256"]:
                break           # replaced or removed by a publish since the pointer was read
            files[table] = local
        else:
            return HostSnapshot(host, pointer["snapshot"], pointer["published"], pointer["key_id"], files)
        time.sleep(0.1 * (attempt + 1))
    raise FleetStoreError(f"host {host}: its snapshot kept changing while it was read (a publish in progress?)")


class FleetReader(DuckDBQueries):
    def __init__(self, store, tenant: str):
        self.tenant = check_tenant_name(tenant)
        self.inventory = f"{store.label.rstrip('/')}/tenant={tenant}"
        self._workdir = tempfile.mkdtemp(prefix="pdsweep-fleet-")      # 0700: the snapshots hold keyed data
        try:
            names = [d.partition("=")[2] for d in store.list_dirs(f"tenant={tenant}/") if d.startswith("host=")]
            snapshots = [read_host(store, tenant, h, os.path.join(self._workdir, f"h{i}")) for i, h in enumerate(names)]
        except BaseException:
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise
        self.hosts = [s for s in snapshots if s is not None]
        self.db = duckdb.connect(":memory:")
        self.db.execute("SET threads TO 2")
        for table in TABLES:
            self._create_view(table)

    def _create_view(self, table: str) -> None:
        files = [h.files[table] for h in self.hosts if table in h.files]
        if files:
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            source = f"read_parquet([{listing}], union_by_name = true)"
        else:
            self.db.register(f"_{table}_empty", pa.Table.from_pylist([], schema=TABLES[table]))
            source = f"_{table}_empty"
        self.db.execute(f"CREATE VIEW {table} AS SELECT *, '{self.tenant}' AS tenant FROM {source}")

    def key_mismatches(self, kid: str) -> list[str]:
        """Hosts whose key is not the query's: nothing of theirs can match (a wrong --key or tenant)."""
        return [h.host for h in self.hosts if h.key_id != kid]

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self._workdir, ignore_errors=True)
