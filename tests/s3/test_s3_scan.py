"""`pdsweep scan s3://bucket/prefix` end to end on SeaweedFS, with a read-only identity: backups with
nested members found, unchanged objects skipped on the rescan, changed and deleted ones handled,
excerpts re-read from the bucket, erasure left to the bucket's owner, an unusable bucket
stopping the scan before anything is called gone."""
from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner

from bucket_backups import backup_objects, expected_hits
from connectors.s3_client import client_for
from seaweed_server import BACKUP_BUCKET
from scanner.cli import cli

NAME, EMAIL, OTHER = "Rosalind Pemberton-Hale", "rosalind.pemberton@example-client.co.uk", "someone@example.org"


def run(args, expect=0):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


@pytest.fixture(scope="module")
def bucket(seaweed):
    """The backups under a fresh prefix; the admin writes them, the scanner may only read."""
    prefix = f"e2e-{uuid.uuid4().hex[:8]}"
    admin = seaweed.client()
    for key, body in backup_objects(NAME, EMAIL, OTHER).items():
        admin.put_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/{key}", Body=body)
    yield f"s3://{BACKUP_BUCKET}/{prefix}", prefix
    for obj in admin.list_objects_v2(Bucket=BACKUP_BUCKET, Prefix=prefix + "/").get("Contents", []):
        admin.delete_object(Bucket=BACKUP_BUCKET, Key=obj["Key"])


def scan(root, inventory):
    """The CLI, as a user runs it: the object is read in a worker process (access travels with the entry)."""
    client_for.cache_clear()
    return json.loads(run(["scan", root, "-i", inventory, "--no-ner", "-q", "-w", "1", "-f", "json"]).stdout)


def rescan(root, inventory):
    """The same scan in this process (the model already loaded: the test stays quick)."""
    from dataclasses import asdict

    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    client_for.cache_clear()
    summary = run_scan([root], ScanConfig(inventory=inventory, workers=1, detector=DetectorSettings(use_ner=False)))
    return {k: v for k, v in asdict(summary).items() if isinstance(v, (int, str, list))}


def find(inventory):
    return {r["location"] for r in json.loads(run(["find", "--email", EMAIL, "-i", inventory, "-f", "json"]).stdout)}


def test_scan_find_rescan_sar_and_erase_on_a_bucket(bucket, seaweed, s3_as, tmp_path):
    root, prefix = bucket
    inventory = str(tmp_path / "inventory")
    s3_as("scanner")
    first = scan(root + "/", inventory)
    assert first["roots"] == [root] and first["files"] == 5 and first["errors"] == 0, first
    assert find(inventory) == expected_hits(root)

    again = rescan(root, inventory)                                 # nothing changed: no object is read
    assert (again["files_unchanged"], again["files_read"], again["bytes_read"]) == (5, 0, 0)
    assert find(inventory) == expected_hits(root)

    admin = seaweed.client()
    admin.put_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/plain/letter.txt", Body=b"Renewal done, nothing kept.\n")
    admin.delete_object(Bucket=BACKUP_BUCKET, Key=f"{prefix}/site-b/old.zip")
    third = rescan(root, inventory)
    assert (third["files"], third["files_read"], third["files_unchanged"]) == (4, 1, 3) and third["gone"] >= 1
    assert find(inventory) == expected_hits(root) - {f"{root}/plain/letter.txt",
                                                     f"{root}/site-b/old.zip!/inner.zip!/notes.txt"}
    stored = _objects(admin, prefix)

    s3_as("acme")                          # credentials that may not list the bucket: the scan stops, exit 1,
    client_for.cache_clear()               # and nothing is called gone
    before = find(inventory)
    assert "access denied" in run(["scan", root, "-i", inventory, "--no-ner", "-q", "-w", "1"], expect=1).output
    assert find(inventory) == before
    s3_as("scanner")

    out = tmp_path / "pack"
    run(["sar", "--email", EMAIL, "--name", NAME, "-i", inventory, "--out", str(out), "-f", "json"])
    pack = json.loads((out / "index.json").read_text())
    copies = [c for g in pack["groups"] for c in g["copies"]]
    assert copies and {c["state"] for c in copies} == {"current"}, copies     # read again from the bucket
    excerpts = [e for g in pack["groups"] for e in g["excerpts"]]
    assert any(EMAIL in e for e in excerpts) and not any(OTHER in e for e in excerpts)

    plan = json.loads(run(["erase", "--email", EMAIL, "-i", inventory, "-f", "json"]).stdout)["actions"]
    by_outer = {a["path"]: a for a in plan}
    assert by_outer[f"{root}/mail/export.mbox"]["action"] == "manual"
    assert "S3 bucket" in by_outer[f"{root}/mail/export.mbox"]["reason"]
    backup = [a for a in plan if a["path"] == f"{root}/site-a/2024-05.tar.gz"]
    assert backup and all(a["action"] == "beyond-use" for a in backup), backup
    assert _objects(admin, prefix) == stored                        # scans, sar and erase wrote nothing


def _objects(admin, prefix) -> dict:
    listed = admin.list_objects_v2(Bucket=BACKUP_BUCKET, Prefix=prefix + "/")["Contents"]
    return {o["Key"]: (o["ETag"], o["LastModified"], o["Size"]) for o in listed}

