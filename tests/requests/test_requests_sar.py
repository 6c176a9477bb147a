"""The access pack: fresh excerpts, third parties redacted, copies grouped, dates, permissions."""
from __future__ import annotations

import json
import os
import stat
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from click.testing import CliRunner

from builders import make_mbox, make_person
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.requests.sar import build_sar
from scanner.requests.subject import load_subject
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def _address(p) -> str:
    return f"{p.name} <{p.email}>"


def _message(sender, to, cc, body, msgid, reply_to=None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Cc"] = _address(sender), _address(to), ", ".join(_address(p) for p in cc)
    msg["Subject"] = "Re: the tenancy" if reply_to else "The tenancy"
    msg["Message-ID"] = msgid
    if reply_to:
        msg["In-Reply-To"] = reply_to
    msg.set_content(body)
    return msg.as_bytes(policy=SMTP)


@pytest.fixture
def thread(tmp_path):
    subject, a, b, c = (make_person(n) for n in (31, 32, 33, 34))
    assert len({p.email for p in (subject, a, b, c)}) == 4
    mbox = tmp_path / "share" / "thread.mbox"
    mbox.parent.mkdir()
    make_mbox(mbox, [
        _message(subject, a, [b], f"Dear {a.name},\n\nI spoke to {c.name} about the deposit; "
                                  f"you can write to {c.email}.\n\nRegards,\n{subject.name}\n", "<t1@example.co.uk>"),
        _message(a, subject, [b, c], f"Dear {subject.name},\n\nThanks. {b.name} will reply by Friday.\n\n"
                                     f"{a.name}\n", "<t2@example.co.uk>", reply_to="<t1@example.co.uk>"),
    ])
    inventory = str(tmp_path / "inventory")
    run_scan([str(mbox.parent)], ScanConfig(inventory=inventory, workers=1))
    return dict(subject=subject, others=(a, b, c), inventory=inventory, mbox=mbox, tmp=tmp_path)


def _sar(inventory, person, detector, **kw):
    identifiers = {"name": [person.name], "email": [person.email]}
    subject = load_subject(inventory, None, identifiers)
    reader = open_inventory(inventory)
    try:
        return build_sar(reader, subject, detector, identifiers, kw.pop("received", date(2025, 1, 31)), **kw)
    finally:
        reader.close()


def test_thread_excerpts_redact_three_other_people_not_the_subject(thread, detector):
    pack = _sar(thread["inventory"], thread["subject"], detector)
    copies = [c["location"] for g in pack["groups"] for c in g["copies"]]
    assert sorted(copies) == [f"{thread['mbox']}!/<t1@example.co.uk>", f"{thread['mbox']}!/<t2@example.co.uk>"]
    text = "\n".join(e for g in pack["groups"] for e in g["excerpts"])
    assert len([e for g in pack["groups"] for e in g["excerpts"]]) == 2      # one whole message each
    s = thread["subject"]
    assert s.name in text and s.email in text
    for other in thread["others"]:
        for value in (other.name, other.email, *other.name.split()):
            assert value not in text, "another person's data was disclosed"
    assert text.count("[REDACTED PERSON]") >= 5 and "[REDACTED EMAIL_ADDRESS]" in text


def test_cli_pack_files_dates_permissions_and_escaping(thread):
    s = thread["subject"]
    out = thread["tmp"] / "pack"
    result = CliRunner().invoke(cli, ["sar", "--name", s.name, "--email", s.email, "-i", thread["inventory"],
                                      "--out", str(out), "--received", "2025-01-31", "--extend", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    for name in ("index.html", "index.json"):
        assert stat.S_IMODE(os.stat(out / name).st_mode) == 0o600
    pack = json.loads((out / "index.json").read_text())
    assert pack["request"]["received"] == "2025-01-31" and pack["request"]["due"] == "2025-04-30"
    html = (out / "index.html").read_text()
    assert f"&lt;{s.email}&gt;" in html and f"<{s.email}>" not in html     # escaped, not markup
    assert "<script" not in html and "http" not in html                    # self-contained
    again = CliRunner().invoke(cli, ["sar", "--email", s.email, "-i", thread["inventory"], "--out", str(out)])
    assert again.exit_code == 2 and "not empty" in again.output


def test_identical_copies_grouped_and_changed_or_vanished_reported(scanned_share, detector):
    root, s, o = scanned_share["root"], scanned_share["subject"], scanned_share["other"]
    (root / "page.html").write_text(f"<p>{s.name} moved; write to {s.email}.</p>")
    (root / "people.xml").unlink()
    pack = _sar(scanned_share["inventory"], s, detector)
    by_location = {c["location"]: (g, c) for g in pack["groups"] for c in g["copies"]}
    notes, member = by_location[str(root / "notes.txt")], by_location[f"{root / 'backup.zip'}!/home/old-notes.txt"]
    assert notes[0] is member[0] and len(notes[0]["copies"]) == 2
    assert notes[0]["excerpts"] == [f"{s.name} can be reached at {s.email}."]
    assert by_location[str(root / "page.html")][1]["state"] == "changed"
    assert by_location[str(root / "people.xml")][1]["state"] == "vanished"
    csv_excerpts = by_location[str(root / "clients.csv")][0]["excerpts"]
    assert len(csv_excerpts) == 1 and s.email in csv_excerpts[0] and o.email not in csv_excerpts[0]
    assert pack["request"]["due"] == "2025-02-28"
