"""`--fleet DEST --tenant T` for the query commands (find, sar, report): read every host of one
tenant from a published fleet dataset instead of a local inventory."""
from __future__ import annotations

import click

from ..errors import UsageError
from .options import s3_endpoint_option

fleet_option = click.option(
    "--fleet", metavar="DEST", default=None,
    help="Query every host of --tenant in a published fleet dataset (a directory or s3://bucket/prefix, "
         "see `pdsweep publish`) instead of --inventory. Needs --tenant and the tenant's --key.")

fleet_tenant_option = click.option(
    "--tenant", default=None, metavar="NAME", help="With --fleet: the tenant whose hosts are queried; "
                                                  "only DEST/tenant=NAME/ is read.")


def fleet_options(f):
    return fleet_option(fleet_tenant_option(s3_endpoint_option(f)))


def open_fleet_reader(fleet: str, tenant: str | None, key_path: str | None, s3_endpoint: str | None,
                      need_key: bool = True):
    """The FleetReader for --fleet: its tenant's hosts, each read as one whole snapshot."""
    from ..fleet.reader import FleetReader
    from ..fleet.store import open_store

    if not tenant:
        raise UsageError("--fleet needs --tenant: a query reads one tenant's hosts only")
    if need_key and not key_path:
        raise UsageError("--fleet needs --key: the tenant's key file, shared by its hosts")
    return FleetReader(open_store(fleet, s3_endpoint), tenant)


def warn_other_keys(reader, secret: bytes) -> None:
    """Hosts keyed with another secret cannot match anything: say so rather than answer silently."""
    from ..fleet.tenancy import key_id

    mismatched = reader.key_mismatches(key_id(secret))
    if mismatched:
        click.echo(f"pdsweep: warning: this key ({key_id(secret)}) is not the key of tenant "
                   f"{reader.tenant!r} on host(s) {', '.join(mismatched)}: nothing of theirs can match", err=True)


def with_tenant(rows: list[dict], reader) -> list[dict]:
    tenant = getattr(reader, "tenant", None)
    if tenant is None:
        return rows
    return [dict(row, tenant=tenant) for row in rows]


def unreachable_elsewhere(this_host: str):
    """For a fleet `sar`: a file on another host's disk cannot be read from here (a path of the same
    name here is another file); object-store and share URIs (not absolute paths) can."""
    import os

    def reason(row: dict) -> str | None:
        if row.get("host") != this_host and os.path.isabs(row["path"]):
            return f"on host {row['host']}: read it there (pdsweep sar with that host's inventory)"
        return None
    return reason
