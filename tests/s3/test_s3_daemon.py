"""s3:// roots in the daemon: no change feed, so re-crawled on their interval (a real daemon process)."""
from __future__ import annotations

import os
import sys
import uuid

import pytest

from connectors.s3_client import client_for
from seaweed_server import BACKUP_BUCKET
from scanner.daemon.config import daemon_config_from_dict
from scanner.errors import UsageError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "daemon"))
from daemon_process import DaemonProcess, find, wait_for  # noqa: E402


def test_an_s3_root_is_crawled_on_its_interval_never_watched(tmp_path):
    base = {"inventory": str(tmp_path / "inv")}
    root = daemon_config_from_dict(dict(base, roots=[{"path": "s3://backups/nightly/", "kind": "backup",
                                                      "exclude": ["tmp", "s3://backups/nightly/old"]}])).roots[0]
    assert (root.path, root.watch, root.excludes) == ("s3://backups/nightly", False,
                                                      ("s3://backups/nightly/tmp", "s3://backups/nightly/old"))
    assert root.interval_s and root.is_remote
    with pytest.raises(UsageError, match="no change feed"):
        daemon_config_from_dict(dict(base, roots=[{"path": "s3://backups/nightly", "watch": True}]))


def test_the_daemon_recrawls_a_bucket(seaweed, s3_as, tmp_path):
    prefix = f"daemon-{uuid.uuid4().hex[:8]}"
    admin = seaweed.client()
    admin.put_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/a.txt", Body=b"Call Ada Quennell on ada.q@example-d.co.uk\n")
    s3_as("scanner")
    client_for.cache_clear()
    inventory = str(tmp_path / "inv")
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{inventory}"\ntenant = "acme"\nworkers = 1\n[detector]\nuse_ner = false\n'
                      f'[[roots]]\npath = "s3://{BACKUP_BUCKET}/{prefix}"\nkind = "backup"\ninterval = "1s"\n')
    daemon = DaemonProcess(["daemon", "--config", str(config)], inventory)
    try:
        daemon.wait_ready(timeout=90.0, state="idle")      # nothing watched: idle between crawls
        assert find(inventory, email="ada.q@example-d.co.uk") == {f"s3://{BACKUP_BUCKET}/{prefix}/a.txt"}
        admin.put_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/b.txt", Body=b"Ada again: ada.q@example-d.co.uk\n")
        admin.delete_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/a.txt")
        wait_for(lambda: find(inventory, email="ada.q@example-d.co.uk") == {f"s3://{BACKUP_BUCKET}/{prefix}/b.txt"},
                 timeout=30.0)
    finally:
        rc, _ = daemon.stop()
        for key in ("a.txt", "b.txt"):
            admin.delete_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/{key}")
    assert rc == 0, daemon.log()


def test_watch_refuses_a_bucket_and_says_what_to_do_instead(tmp_path):
    from click.testing import CliRunner

    from scanner.cli import cli

    result = CliRunner().invoke(cli, ["watch", "s3://backups/nightly", "--inventory", str(tmp_path / "inv")])
    assert result.exit_code == 2 and "no change feed" in result.output and "pdsweep daemon" in result.output
