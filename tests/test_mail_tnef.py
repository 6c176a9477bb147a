"""Outlook TNEF (winmail.dat): attachments at exact URIs, alone, inside mail and through the whole stack."""
from __future__ import annotations

import struct

import pytest

from builders import (ATT_ATTACH_DATA, ATT_ATTACH_REND_DATA, ATT_ATTACH_TITLE, ATT_ATTACHMENT,
                      TNEF_ATTACHMENT, TNEF_SIGNATURE, explore_path, make_docx, make_eml, make_mbox,
                      make_person, make_tnef, person_lines, tnef_attribute, within)
from core_helpers import cli_json

PERSON = make_person(31)
SENDER = make_person(32)
MSG_ID = "<tnef.1@example.co.uk>"
NOTES = person_lines(PERSON).encode()


def winmail(**extra) -> bytes:
    docx = make_docx(f"Report for {PERSON.name}\n{PERSON.email}\n")
    return make_tnef({"report.docx": docx, "notes.txt": NOTES}, body=f"Dear {PERSON.name}, see attached.",
                     **extra)


def write(tmp_path, data: bytes, name: str = "winmail.dat"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def statuses(seen):
    return {uri: (s.status, s.reason) for uri, s in seen.items()}


def test_the_builder_round_trips_through_tnefparse():
    import tnefparse

    tnef = tnefparse.TNEF(winmail())
    assert [a.long_filename() for a in tnef.attachments] == ["report.docx", "notes.txt"]
    assert [a.name for a in tnef.attachments] == ["REPORT.DOC", "NOTES.TXT"]   # attAttachTitle, 8.3
    assert tnef.attachments[1].data == NOTES
    assert tnef.body == f"Dear {PERSON.name}, see attached.".encode()


def test_libmagic_names_it_and_it_is_a_tnef_container(tmp_path):
    from connectors import Blob, Location
    from connectors.containers import container_for
    from connectors.containers.tnef import TnefContainer
    from connectors.sniff import sniff

    blob = Blob(Location("/x/winmail.dat"), 0, data=winmail())
    assert sniff(blob) == "application/vnd.ms-tnef"
    assert isinstance(container_for(sniff(blob), blob), TnefContainer)


def test_winmail_dat_members_at_exact_uris(tmp_path):
    path = write(tmp_path, winmail())
    seen = explore_path(path, tmp_path / "tmp")
    assert set(seen) == {str(path), f"{path}!/report.docx", f"{path}!/notes.txt"}
    report = seen[f"{path}!/report.docx"]
    assert report.status == "ok" and report.mime.endswith("wordprocessingml.document")
    assert PERSON.name in report.text and PERSON.email in report.text
    assert PERSON.email in seen[f"{path}!/notes.txt"].text
    outer = seen[str(path)]
    assert outer.status == "ok" and outer.mime == "application/vnd.ms-tnef"
    assert f"Dear {PERSON.name}" in outer.text


@pytest.mark.parametrize("body", [
    dict(html=f"<html><body><p>Dear <b>{PERSON.name}</b></p><script>x()</script></body></html>"),
    dict(rtf=f"{{\\rtf1\\ansi Dear {{\\b {PERSON.name}}}\\par}}"),
])
def test_html_else_compressed_rtf_body_is_the_text(tmp_path, body):
    path = write(tmp_path, make_tnef({}, **body))
    outer = explore_path(path, tmp_path / "tmp")[str(path)]
    assert outer.status == "ok" and f"Dear {PERSON.name}" in outer.text and "x()" not in outer.text


def test_no_body_is_an_empty_text_not_an_error(tmp_path):
    path = write(tmp_path, make_tnef({"a.txt": b"x"}))
    outer = explore_path(path, tmp_path / "tmp")[str(path)]
    assert (outer.status, outer.text) == ("ok", "")


def test_attached_message_is_a_nested_member(tmp_path):
    inner = make_tnef({"cv.txt": NOTES}, body=f"Forwarded from {PERSON.name}")
    path = write(tmp_path, make_tnef({"a.txt": b"x"}, embedded={"Fwd: CV": inner}))
    seen = explore_path(path, tmp_path / "tmp")
    assert f"Forwarded from {PERSON.name}" in seen[f"{path}!/Fwd: CV"].text
    assert PERSON.email in seen[f"{path}!/Fwd: CV!/cv.txt"].text


def bare_attachment(data: bytes, title: bytes | None = None) -> bytes:
    """An attachment without attAttachment: no long file name, only the 8.3 title (if any)."""
    rend = tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_REND_DATA, struct.pack("<HiHHI", 1, -1, 0, 0, 0))
    title_attr = tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_TITLE, title) if title else b""
    return rend + title_attr + tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_DATA, data)


def test_clashing_names_get_a_number_and_unnamed_ones_a_position(tmp_path):
    data = make_tnef([("a.txt", b"one"), ("a.txt", b"two")]) + bare_attachment(b"three") + \
        bare_attachment(b"four", b"SHORT.TXT\x00")
    path = write(tmp_path, data)
    seen = explore_path(path, tmp_path / "tmp")
    assert set(seen) == {str(path), f"{path}!/a.txt", f"{path}!/a.txt (2)", f"{path}!/attachment-3",
                         f"{path}!/SHORT.TXT"}
    assert [seen[f"{path}!/{n}"].text for n in ("a.txt", "a.txt (2)", "attachment-3", "SHORT.TXT")] == \
        ["one", "two", "three", "four"]


def lying_length(data: bytes, name_data: bytes, delta: int) -> bytes:
    """The attAttachData of `name_data` claims `delta` bytes more (or fewer) than it holds."""
    header = bytes([TNEF_ATTACHMENT]) + struct.pack("<II", ATT_ATTACH_DATA, len(name_data))
    assert data.count(header) == 1
    return data.replace(header, header[:5] + struct.pack("<I", len(name_data) + delta))


def damaged(kind: str) -> bytes:
    good = winmail()
    if kind == "cut in half":
        return good[: len(good) // 2]
    if kind == "cut at the end":
        return good[:-3]
    if kind == "signature only":
        return TNEF_SIGNATURE + b"\x01"
    if kind == "length too long":
        return lying_length(good, NOTES, 10_000)
    if kind == "length too short":
        return lying_length(good, NOTES, -7)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["cut in half", "cut at the end", "signature only", "length too long",
                                  "length too short"])
def test_broken_tnef_is_an_error_with_a_reason(tmp_path, kind):
    path = write(tmp_path, damaged(kind))
    with within(30):
        seen = explore_path(path, tmp_path / "tmp")
    outer = seen[str(path)]
    assert outer.status == "error" and outer.reason.startswith("tnef: "), statuses(seen)
    for s in seen.values():
        assert s.status in ("ok", "error", "skipped")
        assert PERSON.email not in s.reason and PERSON.name not in s.reason and "notes" not in s.reason


@pytest.mark.parametrize("kind", ["cut at the end", "length too long", "length too short"])
def test_attachments_before_the_break_keep_their_text(tmp_path, kind):
    path = write(tmp_path, damaged(kind))
    seen = explore_path(path, tmp_path / "tmp")
    assert PERSON.email in seen[f"{path}!/report.docx"].text
    assert seen[str(path)].status == "error"


def test_a_bad_checksum_is_recorded_and_the_attachment_still_read(tmp_path):
    good = winmail()
    at = good.index(NOTES)
    path = write(tmp_path, good[:at] + b"X" + good[at + 1:])     # framing intact, one data byte changed
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].status == "error" and "checksum" in seen[str(path)].reason
    assert PERSON.email in seen[f"{path}!/notes.txt"].text


def test_hostile_attribute_and_property_counts_are_refused_quickly(tmp_path):
    many = TNEF_SIGNATURE + b"\x01\x00" + bare_attachment(b"a") + \
        tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_DATA, b"a") * 2000
    claims_billions = struct.pack("<I", 0xFFFFFFF0) + b"\x03\x00\x05\x37" * 4   # PR_ATTACH_METHOD x4
    props = TNEF_SIGNATURE + b"\x01\x00" + bare_attachment(b"a") + \
        tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACHMENT, claims_billions)
    with within(30):
        first = explore_path(write(tmp_path, many, "many.dat"), tmp_path / "tmp")
        second = explore_path(write(tmp_path, props, "props.dat"), tmp_path / "tmp")
    assert first[str(tmp_path / "many.dat")].reason.startswith("tnef: an attachment with more than")
    assert statuses(second)[f"{tmp_path / 'props.dat'}!/attachment-1"] == \
        ("error", "tnef: a property list of more than 65536 properties")


# --- through the whole stack: scan, inventory, find ----------------------------------------------

@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    root = tmp_path_factory.mktemp("tnef")
    mail = root / "mail"
    mail.mkdir()
    eml = make_eml(SENDER, {"winmail.dat": winmail()}, message_id=MSG_ID)
    assert eml.count(b"Content-Type: application/octet-stream") == 1
    make_mbox(mail / "mail.mbox", [eml.replace(b"Content-Type: application/octet-stream",
                                               b"Content-Type: application/ms-tnef")])
    write(mail, damaged("cut in half"), "truncated.dat")
    write(mail, damaged("length too long"), "lying.dat")
    write(mail, person_lines(SENDER).encode(), "contacts.txt")
    inv = root / "inv"
    run_scan([str(mail)], ScanConfig(inventory=str(inv), workers=1))
    return mail, inv


@pytest.mark.slow
def test_find_returns_the_docx_inside_winmail_dat_inside_the_mbox(scanned):
    mail, inv = scanned
    rows = cli_json(["find", "--email", PERSON.email, "--inventory", str(inv), "--format", "json"])
    nested = f"{mail}/mail.mbox!/{MSG_ID}!/winmail.dat"
    assert {r["location"] for r in rows} == {
        f"{nested}!/report.docx", f"{nested}!/notes.txt",
        f"{mail}/lying.dat!/report.docx"}     # read before the lying length; the truncated one holds none


@pytest.mark.slow
def test_broken_tnef_files_are_recorded_and_the_rest_of_the_scan_keeps_its_findings(scanned):
    from scanner.inventory import open_inventory

    mail, inv = scanned
    reader = open_inventory(str(inv))
    rows = {uri: (status, reason) for uri, status, reason in
            reader.query("SELECT uri, status, reason FROM locations")}
    reader.close()
    for name in ("truncated.dat", "lying.dat"):
        status, reason = rows[f"{mail}/{name}"]
        assert status == "error" and reason.startswith("tnef: ")
    assert rows[f"{mail}/mail.mbox!/{MSG_ID}!/winmail.dat"] == ("ok", "")
    found = cli_json(["find", "--email", SENDER.email, "--inventory", str(inv), "--format", "json"])
    assert f"{mail}/contacts.txt" in {r["location"] for r in found}
