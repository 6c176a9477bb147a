"""The daemon's TOML config: what is accepted, and one clear line (exit 2) for what is not."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.daemon.config import DEFAULT_INTERVAL_S, load_daemon_config, parse_interval
from scanner.errors import UsageError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "contrib", "pdsweep.example.toml")


@pytest.mark.parametrize("value, seconds", [
    ("6h", 21600), ("30m", 1800), ("1d", 86400), ("90s", 90), ("90", 90), (" 2h ", 7200), ("1.5h", 5400),
    ("1w", 604800), (45, 45), (0.5, 0.5),
])
def test_intervals(value, seconds):
    assert parse_interval(value, "x") == seconds


@pytest.mark.parametrize("value", ["6 hours", "h", "-1h", "0", 0, -5, True, "1y", [], "6h30m"])
def test_bad_intervals(value):
    with pytest.raises(UsageError, match="^x: "):
        parse_interval(value, "x")


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "pdsweep.toml"
    path.write_text(text)
    return str(path)


def test_example_config_loads_with_defaults_filled_in():
    config = load_daemon_config(EXAMPLE)
    share, mail, smb, backups = config.roots
    assert (share.path, share.kind, share.watch, share.interval_s) == ("/srv/share", "share", True, None)
    assert (smb.path, smb.user, smb.credentials) == ("smb://fileserver/Finance", "svc-scan", "/etc/pdsweep/smb.cred")
    assert smb.watch and smb.excludes == ("smb://fileserver/Finance/Archive/Scratch",)
    assert config.smb_poll_interval_s == 300
    assert share.excludes == ("/srv/share/scratch",)
    assert (mail.watch, mail.interval_s) == (True, 86400)
    assert (backups.kind, backups.watch, backups.interval_s) == ("backup", False, 21600)
    assert config.scan.inventory == "/var/lib/pdsweep/inventory"
    assert config.scan.key_path == "/var/lib/pdsweep/key"
    assert config.scan.workers == 2 and config.scan.limits.doc_timeout_s == 120.0
    assert config.log_format == "json" and config.polling is None
    root_cfg = config.root_scan_config(share)
    assert root_cfg.excludes == ("/srv/share/tmp", "/srv/share/scratch")


def test_unwatched_root_defaults_to_six_hourly_crawls(tmp_path):
    config = load_daemon_config(_write(tmp_path, '[[roots]]\npath = "/srv/b"\nkind = "backup"\n'))
    assert config.roots[0].watch is False and config.roots[0].interval_s == DEFAULT_INTERVAL_S


@pytest.mark.parametrize("text, message", [
    ('inventory = "/x"', "roots: give at least one"),
    ('[[roots]]\nkind = "share"', r"roots\[0\]: path is required"),
    ('[[roots]]\npath = "relative/dir"', r"roots\[0\]: path must be absolute"),
    ('[[roots]]\npath = "/a"\nkind = "nas"', r"roots\[0\]: kind: expected one of share, mail, backup"),
    ('[[roots]]\npath = "/a"\nwatch = "yes"', r"roots\[0\]: watch: expected bool, got str"),
    ('[[roots]]\npath = "/a"\ninterval = "soon"', r"roots\[0\]: interval: expected a duration"),
    ('[[roots]]\npath = "/a"\npaht = "/b"', r"roots\[0\]: unknown key 'paht'"),
    ('[[roots]]\npath = "/a"\n[[roots]]\npath = "/a"', "the same path is listed twice"),
    ('workers = 0\n[[roots]]\npath = "/a"', "workers: must be at least 1"),
    ('workers = "2"\n[[roots]]\npath = "/a"', "workers: expected int, got str"),
    ('inventory = "/a/inv"\n[[roots]]\npath = "/a"', "inventory: must not be inside a root"),
    ('[limits]\ndoc_timeout = 5\n[[roots]]\npath = "/a"', "limits: unknown key 'doc_timeout'"),
    ('[limits]\nmax_depth = -1\n[[roots]]\npath = "/a"', "limits: max_depth: expected a positive number"),
    ('[detector]\nmin_score = 2\n[[roots]]\npath = "/a"',
     "detector: min_score: expected a number from 0 to 1"),
    ('log_format = "xml"\n[[roots]]\npath = "/a"', "log_format: expected"),
    ('roots = "/a"', "roots: give at least one"),
    ('[[roots]\npath = "/a"', "not valid TOML"),
])
def test_config_errors_are_one_clear_line(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(UsageError, match=message) as info:
        load_daemon_config(path)
    assert str(info.value).startswith(path) and "\n" not in str(info.value)


def test_daemon_command_reports_a_bad_config_with_exit_2(tmp_path):
    path = _write(tmp_path, '[[roots]]\npath = "/a"\nkind = "nas"\n')
    result = CliRunner().invoke(cli, ["daemon", "--config", path])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"pdsweep: {path}: roots[0]: kind: expected one of share, "
                                                  "mail, backup, got 'nas'"]


def test_daemon_check_accepts_the_example(tmp_path):
    """--check opens the SMB credentials file it names: here a private one of our own."""
    cred = tmp_path / "smb.cred"
    cred.write_text("username=svc-scan\npassword=Pw-not-real\n")
    cred.chmod(0o600)
    with open(EXAMPLE) as f:
        text = f.read()
    assert "/etc/pdsweep/smb.cred" in text
    path = _write(tmp_path, text.replace("/etc/pdsweep/smb.cred", str(cred)))
    result = CliRunner().invoke(cli, ["daemon", "--config", path, "--check"])
    assert result.exit_code == 0 and "4 root(s)" in result.output, result.output
    result = CliRunner().invoke(cli, ["daemon", "--config", EXAMPLE, "--check"])
    assert result.exit_code == 2 and "cannot open the SMB credentials file" in result.output


def test_missing_config_file(tmp_path):
    result = CliRunner().invoke(cli, ["daemon", "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 2 and "cannot read config" in result.output


def test_every_command_has_help_with_an_example():
    for command in ("watch", "daemon", "status"):
        result = CliRunner().invoke(cli, [command, "-h"])
        assert result.exit_code == 0 and "Example:" in result.output
