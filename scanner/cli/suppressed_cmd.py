"""`pdsweep suppressed`: locations matching an erased subject (a restored backup, a re-import)."""
from __future__ import annotations

import click

from ..inventory import open_inventory
from ..requests.suppression import suppressed_hits
from .options import format_option, handle_errors, inventory_option, resolve_inventory
from .output import print_rows

COLUMNS = ["location", "request_id", "erased", "matched", "beyond_use", "modified"]


@click.command("suppressed")
@inventory_option
@format_option("table", "json", "csv", default="table")
@click.option("--all", "include_beyond_use", is_flag=True,
              help="Also list the locations the erasure itself put beyond use.")
@handle_errors
def suppressed_command(inventory, fmt, include_beyond_use):
    """List locations that match a subject on the suppression register.

    `erase --apply` puts the erased subject's keys on the register. A
    location matching them afterwards - a restored backup, a re-imported
    export - must be erased again or put beyond use. Exit 0 either way.

    Example:

        pdsweep suppressed --inventory /var/lib/pdsweep --format json
    """
    reader = open_inventory(resolve_inventory(inventory))
    try:
        rows = suppressed_hits(reader, include_beyond_use)
    finally:
        reader.close()
    print_rows(fmt, rows, COLUMNS, title=f"{len(rows)} location(s) matching an erased subject")
