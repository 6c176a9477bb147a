"""Erasure where the values are not written plainly in the file's bytes: emails with quoted-printable
and base64 bodies and RFC 2047 headers, JSON with \\u escapes. After --apply and the rescan the subject
no longer matches, in any decoding, and the other person's data is still there."""
from __future__ import annotations

import email
import json
from email.message import EmailMessage
from email.policy import SMTP, default

import pytest
from click.testing import CliRunner

from builders import Person, make_person
from requests_checks import locations_of
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def _encoded_message(subject, other) -> bytes:
    """From the subject (an accented name, so the header is RFC 2047), to the other person; a long
    quoted-printable text part and a base64 HTML part, both naming both people."""
    msg = EmailMessage()
    msg["From"] = f"{subject.name}é <{subject.email}>"
    msg["To"] = f"{other.name} <{other.email}>"
    msg["Subject"] = f"Notes for {subject.name}é"
    msg["Message-ID"] = "<encoded.1@example.co.uk>"
    filler = "The account review is booked for Thursday and the papers are attached. " * 3
    text = (f"Dear {other.name},\n\n{filler}I have copied {subject.name} ({subject.email}) who asked "
            f"about the deposit; you can reach {other.name} on {other.email}.\n")
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(f"<p>{text}</p>", subtype="html", cte="base64")
    return msg.as_bytes(policy=SMTP)


def _decoded_everything(raw: bytes) -> str:
    """Every header and every text part, decoded."""
    msg = email.message_from_bytes(raw, policy=default)
    parts = [f"{k}: {v}" for k, v in msg.items()]
    parts += [p.get_content() for p in msg.walk() if p.get_content_maintype() == "text"]
    return "\n".join(parts)


def test_erase_reaches_values_hidden_by_transfer_encodings(tmp_path):
    subject, other = make_person(71), make_person(72)
    root = tmp_path / "share"
    root.mkdir()
    path = root / "encoded.eml"
    raw = _encoded_message(subject, other)
    assert b"=?utf-8?" in raw and b"Content-Transfer-Encoding: base64" in raw     # the encodings under test
    path.write_bytes(raw)
    (root / "keep.txt").write_text(f"{other.name} {other.email}\n")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(root)], config).status == "completed"
    assert str(path) in locations_of(config.inventory, email=subject.email)

    result = CliRunner().invoke(cli, ["erase", "--email", subject.email, "--name", subject.name,
                                      "-i", config.inventory, "--apply", "--yes", "--format", "json"])
    assert result.exit_code == 0, result.output

    after = _decoded_everything(path.read_bytes())
    assert subject.email not in after and subject.name not in after
    assert other.email in after and other.name in after                  # the other person's data stays
    assert locations_of(config.inventory, email=subject.email) == set()
    assert locations_of(config.inventory, email=other.email) == {str(path), str(root / "keep.txt")}
    parsed = email.message_from_bytes(path.read_bytes(), policy=default)
    assert parsed["Message-ID"] == "<encoded.1@example.co.uk>" and parsed["To"].addresses[0].addr_spec == other.email
    assert {p.get_content_type() for p in parsed.walk()} == {"multipart/alternative", "text/plain", "text/html"}


def test_erase_reaches_json_unicode_escapes(tmp_path):
    """Python's json.dumps (and many exporters) write non-ASCII as \\u escapes: "Si\\u00e2n"."""
    subject = Person(name="Siân Llewellyn", email="sian.llewellyn@example.co.uk", phone="", postcode="", address="")
    other = make_person(73)
    root = tmp_path / "share"
    root.mkdir()
    path = root / "contacts.json"
    path.write_text(json.dumps([{"name": subject.name, "email": subject.email, "note": f"met {subject.name}"},
                                {"name": other.name, "email": other.email}], indent=2))
    assert "\\u00e2" in path.read_text() and subject.name not in path.read_text()
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(root)], config).status == "completed"
    assert locations_of(config.inventory, name=subject.name) == {str(path)}

    result = CliRunner().invoke(cli, ["erase", "--email", subject.email, "--name", subject.name,
                                      "-i", config.inventory, "--apply", "--yes", "--format", "json"])
    assert result.exit_code == 0, result.output
    after = json.loads(path.read_text())
    assert subject.name not in json.dumps(after, ensure_ascii=False) and subject.email not in path.read_text()
    assert after[1] == {"name": other.name, "email": other.email}
    assert locations_of(config.inventory, name=subject.name) == set()
    assert locations_of(config.inventory, email=other.email) == {str(path)}
