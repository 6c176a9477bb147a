"""Helpers shared by the core tests (a plain module: `conftest` names collide across folders)."""
from __future__ import annotations

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_DATA = os.path.join(ROOT, "sample_data")


def cli_json(args: list[str]):
    """Run the CLI in-process and parse its JSON output."""
    from click.testing import CliRunner

    from scanner.cli import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _outlook_fixtures() -> str:
    """The shared Outlook fixtures: ../shared beside the clone (as CI lays it), else /work/shared."""
    for base in (os.environ.get("PDSWEEP_SHARED"), os.path.join(ROOT, "..", "shared"), "/work/shared"):
        if base and os.path.isdir(os.path.join(base, "fixtures", "outlook")):
            return os.path.abspath(os.path.join(base, "fixtures", "outlook"))
    return "/work/shared/fixtures/outlook"


OUTLOOK_FIXTURES = _outlook_fixtures()
