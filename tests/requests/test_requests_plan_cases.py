"""Plan actions for mail attachments and file names; the audit log keys a file name holding the subject."""
from __future__ import annotations

import pytest

from builders import make_docx, make_eml, make_mbox, make_person
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.requests.apply import apply_plan
from scanner.requests.audit import audit_path
from scanner.requests.plan import build_plan
from scanner.requests.subject import load_subject
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


@pytest.fixture
def mail_share(tmp_path):
    subject, other = make_person(41), make_person(42)
    share = tmp_path / "share"
    share.mkdir()
    letter = make_docx(f"Reference for {subject.name}, {subject.email}.")
    make_mbox(share / "box.mbox", [
        make_eml(other, {"reference.docx": letter}, body="Please see the attachment.\n", message_id="<att@x>"),
        make_eml(other, message_id="<keep@x>"),
    ])
    (share / "sent.eml").write_bytes(make_eml(other, {"reference.docx": letter}, body="Attached.\n",
                                              message_id="<sent@x>"))
    (share / f"{subject.name.replace(' ', '_')}_notes.txt").write_text(f"Met {other.name} today.\n")
    inventory = str(tmp_path / "inventory")
    run_scan([str(share)], ScanConfig(inventory=inventory, workers=1))
    return dict(subject=subject, other=other, share=share, inventory=inventory)


def _plan(share, **options):
    s = share["subject"]
    subject = load_subject(share["inventory"], None, {"name": [s.name], "email": [s.email]})
    reader = open_inventory(share["inventory"])
    try:
        return subject, build_plan(reader, subject, **options)
    finally:
        reader.close()


def test_attachments_and_file_names(mail_share, detector):
    share, s = mail_share["share"], mail_share["subject"]
    # The message names its sender and recipient too: its attachment is left to the user, unless
    # whole messages are asked for.
    _, default = _plan(mail_share)
    attachment = f"{share / 'box.mbox'}!/<att@x>!/reference.docx"
    assert {a["location"]: a["action"] for a in default["actions"]}[attachment] == "manual"
    subject, plan = _plan(mail_share, messages_mode="remove")
    actions = {a["location"]: a for a in plan["actions"]}
    named = str(share / f"{s.name.replace(' ', '_')}_notes.txt")
    assert actions[f"{share / 'box.mbox'}!/<att@x>"]["action"] == "remove-message"
    assert actions[f"{share / 'box.mbox'}!/<att@x>"]["confirm"] is True
    assert f"{share / 'box.mbox'}!/<att@x>!/reference.docx" in actions[f"{share / 'box.mbox'}!/<att@x>"][
        "matched_locations"]
    assert actions[f"{share / 'sent.eml'}!/reference.docx"]["action"] == "manual"
    assert actions[named]["action"] == "manual" and "file name" in actions[named]["reason"]

    apply_plan(plan, subject, detector, ScanConfig(inventory=mail_share["inventory"], workers=1))
    box = (share / "box.mbox").read_bytes()
    assert b"<att@x>" not in box and b"<keep@x>" in box
    log = open(audit_path(mail_share["inventory"]), "rb").read().lower()
    for value in (s.email, *s.name.lower().split()):
        assert value.lower().encode() not in log
    assert f'"{share}/name-'.lower().encode() in log     # that file is logged under its keyed name
