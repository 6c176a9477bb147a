"""`pdsweep detect`: show what the detectors find in files (plaintext, for tuning)."""
from __future__ import annotations

import os
import sys

import click

from connectors.source import SourceSettings, source_for
from detectors import DetectorSettings

from ..detect import detect_files, detect_text
from ..errors import UsageError
from .options import format_option, handle_errors, smb_credentials_option
from .output import print_rows


@click.command("detect")
@click.argument("files", nargs=-1, type=click.Path())
@format_option("json", "table", default="table")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Minimum score for every entity type (overrides the per-type defaults).")
@click.option("--no-ner", is_flag=True, help="Cheap recognisers only: no spaCy NER for names.")
@click.option("--model", default=DetectorSettings().model, show_default=True, help="spaCy model package.")
@smb_credentials_option
@handle_errors
def detect_command(files, fmt, min_score, no_ner, model, smb_credentials):
    """Print the personal data found in each file's extracted text (or stdin).

    Offsets are into the extracted text. This is the one command that prints
    values in plaintext: it shows you your own input. Nothing is stored.
    FILES may be smb://[user@]host[:port]/share/path URIs.

    Example:

        pdsweep detect letter.docx clients.csv --format json
    """
    for path in files:
        if source_for(path).capabilities.local_files and not os.path.exists(path):
            raise UsageError(f"no such file: {path}")
    from detectors import Detector   # loads spaCy: only when the command runs

    detector = Detector(DetectorSettings(model=model, use_ner=not no_ner, min_score=min_score))
    if files:
        rows = list(detect_files(list(files), detector,
                                 sources=SourceSettings(credentials_file=smb_credentials)))
    else:
        rows = detect_text(sys.stdin.read(), detector)
    print_rows(fmt, rows, ["file", "entity_type", "start", "end", "text", "score"])
