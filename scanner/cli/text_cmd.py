"""`pdsweep text`: print a location's extracted text, as the detectors see it."""
from __future__ import annotations

import json
import sys

import click

from connectors.source import SourceSettings

from ..show_text import location_text
from .options import handle_errors, smb_credentials_option


@click.command("text")
@click.argument("target", metavar="FILE|URI")
@click.option("--fields", "show_fields", is_flag=True,
              help="Also print the structural hints (column headers, mail header fields) as JSON lines "
                   "on stderr: label, value, offset in the text.")
@smb_credentials_option
@handle_errors
def text_command(target, show_fields, smb_credentials):
    """Print the extracted text of a file, or of one nested member, exactly as the detectors see it.

    Tells "not extracted" from "not detected": if a value is in the text below
    and `pdsweep detect` does not find it, the detectors missed it; if it is
    not in the text, the extractor did. A location with no text of its own (an
    archive, a mailbox) lists its members instead. Like `detect`, this prints
    plaintext: it shows you your own input. Exit 1 when the location was
    skipped, failed or is not there (the status and reason are printed).

    Example:

    \b
        pdsweep text letter.docx
        pdsweep text "backup.zip!/home/sales/clients.xlsx"
        pdsweep text "export.mbox!/<abc.123@example.co.uk>!/invoice.docx" --fields
    """
    shown = location_text(target, sources=SourceSettings(credentials_file=smb_credentials))
    if shown.status != "ok":
        click.echo(f"pdsweep: {shown.uri}: {shown.status}: {shown.reason}", err=True)
        sys.exit(1)
    if shown.text is None:
        click.echo(f"pdsweep: {shown.uri} has no text of its own; its members:", err=True)
        for uri in shown.members:
            click.echo(f"  {uri}", err=True)
        sys.exit(1)
    click.echo(shown.text, nl=not shown.text.endswith("\n"))
    if show_fields:
        for f in shown.fields:
            hint = dict(label=f.label, value=f.value, start=f.start)
            click.echo(json.dumps(hint, ensure_ascii=False), err=True)
