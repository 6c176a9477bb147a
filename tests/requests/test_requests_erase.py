"""Erasure end to end on real files of every editable format, plus a zip member and a PDF (beyond use)."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from requests_checks import file_hashes, locations_of
from scanner.cli import cli
from scanner.inventory import open_inventory
from scanner.requests.apply import apply_plan
from scanner.requests.audit import audit_path, read_log
from scanner.requests.plan import build_plan
from scanner.requests.subject import load_subject

pytestmark = pytest.mark.slow

EDITED = {"notes.txt": "redact", "clients.csv": "redact", "people.json": "redact", "people.xml": "redact",
          "page.html": "redact", "letter.eml": "redact", "report.docx": "redact", "sheet.xlsx": "redact",
          "minutes.odt": "redact", "only-subject.txt": "delete",
          "mail.mbox!/<to.subject@example.co.uk>": "redact"}   # it names its sender too: redacted, not removed
BEYOND_USE = {"backup.zip!/home/old-notes.txt", "statement.pdf"}


def _plan(share, **options):
    s = share["subject"]
    subject = load_subject(share["inventory"], None, {"name": [s.name], "email": [s.email]})
    reader = open_inventory(share["inventory"])
    try:
        return subject, build_plan(reader, subject, **options)
    finally:
        reader.close()


def _relative(share, uri: str) -> str:
    return os.path.relpath(uri, share["root"]) if "!/" not in uri else \
        os.path.relpath(uri.split("!/")[0], share["root"]) + "!/" + uri.split("!/", 1)[1]


def test_plan_gives_each_location_its_action_and_changes_nothing(scanned_share):
    before = file_hashes(scanned_share["root"])
    _, plan = _plan(scanned_share, retention=(35, "d"))
    actions = {_relative(scanned_share, a["location"]): a for a in plan["actions"]}
    assert {k: a["action"] for k, a in actions.items()} == {**EDITED, **{k: "beyond-use" for k in BEYOND_USE}}
    assert actions["only-subject.txt"]["confirm"] is True
    zip_action = actions["backup.zip!/home/old-notes.txt"]
    assert zip_action["archive_date"] and zip_action["expiry"] > zip_action["archive_date"]
    assert file_hashes(scanned_share["root"]) == before


def test_apply_leaves_only_beyond_use_and_keeps_the_other_person(scanned_share, detector):
    s, o, inv = scanned_share["subject"], scanned_share["other"], scanned_share["inventory"]
    other_before = locations_of(inv, name=o.name, email=o.email)
    assert {_relative(scanned_share, u) for u in locations_of(inv, email=s.email)} == set(EDITED) | BEYOND_USE
    subject, plan = _plan(scanned_share)
    report = apply_plan(plan, subject, detector, scanned_share["config"])

    assert {r["outcome"] for r in report["results"]} == {"applied", "recorded"}
    assert {v["outcome"] for v in report["verification"]} == {"verified"}
    for kind in ({"name": s.name}, {"email": s.email}, {"name": s.name, "email": s.email}):
        assert {_relative(scanned_share, u) for u in locations_of(inv, **kind)} == BEYOND_USE
    assert locations_of(inv, name=o.name, email=o.email) == other_before
    assert locations_of(inv, email=o.email) == other_before
    root = scanned_share["root"]
    assert not (root / "only-subject.txt").exists()
    assert s.email not in (root / "notes.txt").read_text() and o.email in (root / "notes.txt").read_text()
    mailbox = (root / "mail.mbox").read_bytes()
    assert s.email.encode() not in mailbox and b"<to.subject@example.co.uk>" in mailbox


def test_audit_log_and_register_hold_no_plaintext(scanned_share, detector):
    s = scanned_share["subject"]
    subject, plan = _plan(scanned_share)
    apply_plan(plan, subject, detector, scanned_share["config"])
    inv = scanned_share["inventory"]
    entries = read_log(inv)
    assert {e["outcome"] for e in entries} >= {"begin", "applied", "recorded", "verified"}
    assert all(set(e) == {"time", "request_id", "action", "location", "value_keys", "outcome", "reason"}
               for e in entries)
    assert all(set(e["value_keys"]) <= set(subject.keys) for e in entries)
    for name in ("erasure-audit.jsonl", "suppression.jsonl"):
        data = open(os.path.join(inv, name), "rb").read().lower()
        for value in (s.name, s.email, s.email.split("@")[0], *s.name.split()):
            assert value.lower().encode() not in data, (name, "holds plaintext")
    assert os.stat(audit_path(inv)).st_mode & 0o077 == 0


def test_a_file_changed_since_the_plan_is_refused_and_untouched(scanned_share, detector):
    subject, plan = _plan(scanned_share)
    notes = scanned_share["root"] / "notes.txt"
    changed = notes.read_text() + "A late addition.\n"
    notes.write_text(changed)
    report = apply_plan(plan, subject, detector, scanned_share["config"])
    outcome = {r["location"]: r for r in report["results"]}[str(notes)]
    assert outcome["outcome"] == "refused" and "changed since the plan" in outcome["reason"]
    assert notes.read_text() == changed
    assert any(e["location"] == str(notes) and e["outcome"] == "refused" for e in read_log(
        scanned_share["inventory"]))


def test_csv_and_xlsx_rows_can_be_removed_whole(scanned_share, detector):
    import openpyxl

    o = scanned_share["other"]
    subject, plan = _plan(scanned_share, rows_mode="remove")
    apply_plan(plan, subject, detector, scanned_share["config"])
    rows = (scanned_share["root"] / "clients.csv").read_text().splitlines()
    assert rows == ["Name,Email", f"{o.name},{o.email}"]
    sheet = openpyxl.load_workbook(scanned_share["root"] / "sheet.xlsx").active
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [("Name", "Email"), (o.name, o.email)]


def test_cli_plan_json_then_apply_saved_plan(scanned_share):
    s, inv = scanned_share["subject"], scanned_share["inventory"]
    runner = CliRunner()
    planned = runner.invoke(cli, ["erase", "--email", s.email, "--name", s.name, "-i", inv, "-f", "json",
                                  "--backup-retention", "6w"])
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.output)
    assert s.email not in planned.output      # the plan holds keys, not values
    plan_file = scanned_share["root"].parent / "plan.json"
    plan_file.write_text(planned.output)
    declined = runner.invoke(cli, ["erase", "--plan", str(plan_file), "-i", inv, "--apply"], input="n\n")
    assert declined.exit_code == 1 and (scanned_share["root"] / "only-subject.txt").exists()
    applied = runner.invoke(cli, ["erase", "--plan", str(plan_file), "-i", inv, "--apply", "--yes", "-f", "json"])
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.output)["applied"]["request_id"] == plan["request_id"]
    assert {_relative(scanned_share, u) for u in locations_of(inv, email=s.email)} == BEYOND_USE


def test_read_only_file_is_put_beyond_use(scanned_share):
    notes = scanned_share["root"] / "notes.txt"
    os.chmod(notes, 0o444)
    _, plan = _plan(scanned_share)
    action = {a["location"]: a for a in plan["actions"]}[str(notes)]
    assert action["action"] == "beyond-use" and "read-only" in action["reason"]


def test_a_failure_mid_apply_leaves_the_file_whole_and_is_audited(scanned_share, detector, monkeypatch):
    import scanner.requests.apply as apply_module

    def disk_full(raw, values):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(apply_module, "redact_docx", disk_full)
    report_path = scanned_share["root"] / "report.docx"
    before = report_path.read_bytes()
    subject, plan = _plan(scanned_share)
    report = apply_plan(plan, subject, detector, scanned_share["config"])
    outcome = {r["location"]: r for r in report["results"]}[str(report_path)]
    assert outcome["outcome"] == "failed" and "unchanged" in outcome["reason"]
    assert report_path.read_bytes() == before
    logged = [e["outcome"] for e in read_log(scanned_share["inventory"]) if e["location"] == str(report_path)]
    assert logged == ["begin", "failed"]


def test_a_writer_that_never_rereads_leaves_the_edits_unverified(scanned_share, detector, monkeypatch):
    """Another process holds the inventory and does not re-read the edited files (a long scan elsewhere):
    the edits are made, and each is reported `unverified`, not `verified` and not a crash."""
    from scanner.inventory import InventoryWriter
    from scanner.requests import apply as apply_module

    monkeypatch.setattr(apply_module, "VERIFY_WAIT_S", 1.0)
    subject, plan = _plan(scanned_share)
    holder = InventoryWriter(scanned_share["inventory"])        # the lock, as the daemon would hold it
    try:
        report = apply_plan(plan, subject, detector, scanned_share["config"])
    finally:
        holder.close()
    assert {r["outcome"] for r in report["results"]} == {"applied", "recorded"}
    assert report["verification"] and {v["outcome"] for v in report["verification"]} == {"unverified"}
    assert {e["outcome"] for e in read_log(scanned_share["inventory"]) if e["action"] == "verify"} == {"unverified"}
