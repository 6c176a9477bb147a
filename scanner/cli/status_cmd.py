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
    from rich.console import Console
    from rich.table import Table

    console = Console()
    running = "running" if status["running"] else "NOT running"
    console.print(f"[bold]pdsweep daemon {running}[/] (pid {status.get('pid')}, {status.get('state')}), "
                  f"started {status.get('started')}, status updated {status.get('updated')}")
    console.print(f"  inventory: {status.get('inventory')}")
    console.print(f"  queue: {status.get('queue', 0)} path(s); updates: {status.get('updates', 0)}, "
                  f"files read: {status.get('files_read', 0)}, gone: {status.get('gone', 0)}, "
                  f"errors: {status.get('errors', 0)}; last update {status.get('last_update') or '-'}")
    table = Table("root", "kind", "mode", "state", "last crawl", "files", "read", "gone", "next crawl",
                  "errors")
    for root in status.get("roots", []):
        crawl = root.get("last_crawl") or {}
        mode = root.get("observer") or ("watch" if root.get("watch") else "crawl")
        nxt = root.get("next_crawl_in_s")
        table.add_row(root["path"], root.get("kind", ""), mode, root.get("state", ""),
                      crawl.get("ended", "-"), str(crawl.get("files", "-")),
                      str(crawl.get("files_read", "-")), str(crawl.get("gone", "-")),
                      "-" if nxt is None else f"in {nxt:.0f} s", _errors(root))
    console.print(table)


def _errors(root: dict) -> str:
    return f"{root.get('errors', 0)}" + (f" ({root['last_error']})" if root.get("last_error") else "")
