"""The `pdsweep` command: a thin layer over the scanner library."""
from __future__ import annotations

import os

import click

from .daemon_cmd import daemon_command
from .detect_cmd import detect_command
from .erase_cmd import erase_command
from .find_cmd import find_command
from .report_cmd import report_command
from .sar_cmd import sar_command
from .scan_cmd import scan_command
from .status_cmd import status_command
from .suppressed_cmd import suppressed_command
from .watch_cmd import watch_command

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"], max_content_width=110)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="pdsweep")
def cli():
    """pdsweep: find personal data on file shares, mail exports and backups,
    and answer subject access and erasure requests from a keyed inventory."""
    # Presidio's email recogniser must never try to fetch the public suffix list.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


cli.add_command(scan_command)
cli.add_command(find_command)
cli.add_command(detect_command)
cli.add_command(report_command)
cli.add_command(sar_command)
cli.add_command(erase_command)
cli.add_command(suppressed_command)
cli.add_command(watch_command)
cli.add_command(daemon_command)
cli.add_command(status_command)


def main() -> None:
    cli(prog_name="pdsweep")
