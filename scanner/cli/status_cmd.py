"""`pdsweep status`: what the daemon on an inventory is doing, from another process."""
from __future__ import annotations

import json
import sys

import click

from ..daemon import read_status
from .options import format_option, handle_errors, inventory_option, resolve_inventory

NOT_RUNNING = 3     # as `systemctl status` / LSB: "program is not running"


@click.command("status")
@inventory_option
@format_option("table", "json", default="table")
@handle_errors
def status_command(inventory, fmt):
    """Show the daemon's state: roots, last crawl, queue length, errors.

    Reads the status file the daemon keeps in the inventory directory and
    checks that its process is alive. Exit 0 when it is running, 3 when it
    is not (the last status is still shown).

    Example:

        pdsweep status --inventory /var/lib/pdsweep --format json
    """
    status = read_status(resolve_inventory(inventory))
    if fmt == "json":
        click.echo(json.dumps(status, indent=2))
    else:
        _print(status)
    sys.exit(0 if status["running"] else NOT_RUNNING)


def _print(status: dict) -> None:
    running = "running" if status["running"] else "NOT running"
    echo = click.echo
    echo(f"pdsweep daemon {running} (pid {status.get('pid')}, {status.get('state')}); "
         f"started {status.get('started')}, status updated {status.get('updated')}")
    echo(f"  inventory: {status.get('inventory')}")
    echo(f"  queue: {status.get('queue', 0)} path(s); updates {status.get('updates', 0)}, "
         f"files read {status.get('files_read', 0)}, gone {status.get('gone', 0)}, "
         f"errors {status.get('errors', 0)}; last update {status.get('last_update') or '-'}")
    if status.get("suppressed"):
        echo(f"  WARNING: {status['suppressed']} location(s) hold data of erased subjects: "
             "see `pdsweep suppressed`")
    for root in status.get("roots", []):
        mode = root.get("observer") or ("watch" if root.get("watch") else "crawl only")
        echo(f"  root {root['path']} ({root.get('kind')}, {mode}): {root.get('state')}")
        crawl = root.get("last_crawl") or {}
        if crawl:
            echo(f"    last crawl {crawl.get('ended')} {crawl.get('status')}: {crawl.get('files')} files, "
                 f"read {crawl.get('files_read')}, gone {crawl.get('gone')}, {crawl.get('seconds')} s")
        if root.get("state") == "lost":
            retry = max(0, root.get("retry_in_s") or 0)
            echo(f"    unavailable: {root.get('last_error')}; retry in {retry:.0f} s")
        elif root.get("next_crawl_in_s") is not None:
            echo(f"    next crawl in {root['next_crawl_in_s']:.0f} s")
        if root.get("errors"):
            echo(f"    errors: {root['errors']} (last: {root.get('last_error')})")
