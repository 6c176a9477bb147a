"""The `pdsweep` command: a thin layer over the scanner library.

Each command lives in its own module, imported only when that command runs: `find` and
`status` need neither the parsers, spaCy nor the daemon, and a rescan of an unchanged tree
is mostly interpreter start-up.
"""
from __future__ import annotations

import importlib
import os

import click

CONTEXT_SETTINGS = dict(help_option_names=["-h", "--help"], max_content_width=110)

COMMANDS = {
    "scan": "scan_cmd:scan_command",
    "find": "find_cmd:find_command",
    "detect": "detect_cmd:detect_command",
    "text": "text_cmd:text_command",
    "report": "report_cmd:report_command",
    "sar": "sar_cmd:sar_command",
    "erase": "erase_cmd:erase_command",
    "suppressed": "suppressed_cmd:suppressed_command",
    "watch": "watch_cmd:watch_command",
    "daemon": "daemon_cmd:daemon_command",
    "status": "status_cmd:status_command",
    "publish": "publish_cmd:publish_command",
    "label": "label_cmd:label_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="pdsweep")
def cli():
    """pdsweep: find personal data on file shares, mail exports and backups,
    and answer subject access and erasure requests from a keyed inventory."""
    # Presidio's email recogniser must never try to fetch the public suffix list.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def main() -> None:
    cli(prog_name="pdsweep")
