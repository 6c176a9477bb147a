"""`pdsweep label`: run the NER pass a `scan --ner deferred` left for later."""
from __future__ import annotations

import click

from .options import handle_errors, inventory_option, key_option, resolve_inventory


@click.command("label")
@inventory_option
@key_option
@click.option("--workers", "-w", type=click.IntRange(1, 256), default=None,
              help="Worker processes. Default: the number of cores.")
@handle_errors
def label_command(inventory, key_path, workers):
    """Label the names in every file scanned with --ner deferred (NER now).

    A scan with --ner deferred leaves spaCy's NER pass for later: find, sar,
    erase and report run it first on the files their answer depends on.
    This runs it on all of them now (at night, or before many requests), as
    an incremental scan of just those files. Nothing waiting: nothing is read.

    Example:

        pdsweep label --inventory /var/lib/pdsweep
    """
    from ..labels import label_everything
    done = label_everything(resolve_inventory(inventory), key_path, notify=lambda line: click.echo(line, err=True),
                            workers=workers)
    click.echo(f"{done} file(s) labelled")
