"""Every subject-request command has -h and an Example."""
import pytest
from click.testing import CliRunner

from scanner.cli import cli


@pytest.mark.parametrize("command", ["sar", "erase", "suppressed"])
def test_help_has_an_example(command):
    result = CliRunner().invoke(cli, [command, "-h"])
    assert result.exit_code == 0 and "Example:" in result.output and f"pdsweep {command}" in result.output


def test_erase_without_identifiers_is_a_usage_error(tmp_path):
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    (tmp_path / "empty.txt").write_text("nothing here\n")
    inventory = str(tmp_path / "inv")
    run_scan([str(tmp_path / "empty.txt")], ScanConfig(inventory=inventory, workers=1,))
    result = CliRunner().invoke(cli, ["erase", "-i", inventory])
    assert result.exit_code == 2 and "at least one identifier" in result.output
