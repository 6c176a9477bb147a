"""`pdsweep report`: an HTML overview (or JSON figures) of the inventory."""
from __future__ import annotations

import click

from ..errors import UsageError
from ..inventory import open_inventory
from ..report import DEFAULT_RETENTION, compute_figures, parse_retention, write_report
from ..report.write import figures_json
from .fleet_options import fleet_options, open_fleet_reader
from ..labels import label_everything
from .options import format_option, handle_errors, inventory_option, key_option, resolve_inventory


@click.command("report")
@inventory_option
@key_option
@click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (mode 0600). Required for html; json goes to stdout without it.")
@click.option("--retention", default=DEFAULT_RETENTION, show_default=True,
              help="Retention period: locations last modified longer ago are listed as candidates for "
                   "deletion. A number and d, w, m or y: 90d, 18m, 2y.")
@format_option("html", "json", default="html")
@fleet_options
@handle_errors
def report_command(inventory, key_path, out_path, retention, fmt, fleet, tenant, s3_endpoint):
    """Summarise where personal data lives, how much, how old.

    Totals by entity type, a treemap and drill-down of folders and files,
    mail / shares / backups side by side, an age histogram with the locations
    older than the retention period (sizes, owners), content held in many
    places, and suppressed subjects that reappeared. One self-contained HTML
    file: no scripts, fonts or requests from the network, masked previews only.
    `--format json` gives the same figures.

    Example:

    \b
        pdsweep report --inventory /var/lib/pdsweep --out report.html --retention 18m
        pdsweep report --fleet s3://msp-fleet/pdsweep --tenant acme --out acme.html
    """
    period = parse_retention(retention)
    if fmt == "html" and not out_path:
        raise UsageError("--out is required for the html report (or use --format json)")
    if not fleet:   # files scanned with --ner deferred get their NER labels first: the same figures
        label_everything(resolve_inventory(inventory), key_path, notify=lambda line: click.echo(line, err=True))
    reader = (open_fleet_reader(fleet, tenant, None, s3_endpoint, need_key=False) if fleet
              else open_inventory(resolve_inventory(inventory)))
    try:
        fig = compute_figures(reader, period)
    finally:
        reader.close()
    if out_path:
        write_report(out_path, fig, fmt)
        click.echo(f"report written to {out_path}", err=True)
    else:
        click.echo(figures_json(fig), nl=False)
