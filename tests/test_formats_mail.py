"""Mail and text as other software writes them: TNEF attachments kept in MAPI properties (an
embedded OLE object, PR_ATTACH_DATA_BIN), and text files libmagic calls message/news."""
from __future__ import annotations

import struct

from builders import (ATT_ATTACH_REND_DATA, ATT_ATTACHMENT, TNEF_ATTACHMENT, explore_path, make_tnef,
                      tnef_attribute)
from format_writers import MARKS

IID_ISTORAGE = b"\x0b\x00\x00\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
PT_LONG, PT_OBJECT, PT_BINARY, PT_UNICODE = 0x0003, 0x000D, 0x0102, 0x001F
PR_ATTACH_DATA, PR_ATTACH_METHOD, PR_DISPLAY_NAME, PR_LONG_FILENAME = 0x3701, 0x3705, 0x3001, 0x3707


def _props(props) -> bytes:
    out = [struct.pack("<I", len(props))]
    for ptype, pid, value in props:
        out.append(struct.pack("<HH", ptype, pid))
        if ptype == PT_LONG:
            out.append(struct.pack("<i", value))
        else:
            out.append(struct.pack("<II", 1, len(value)) + value + b"\x00" * (-len(value) % 4))
    return b"".join(out)


def held_in_properties(name: str, data: bytes, method: int, ptype: int) -> bytes:
    """An attachment whose bytes are only in attAttachment (no attAttachData), as Outlook writes an
    embedded OLE object (method 6, PT_OBJECT) or Exchange a by-value file (PR_ATTACH_DATA_BIN)."""
    rend = tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_REND_DATA, struct.pack("<HiHHI", 1, -1, 0, 0, 0))
    value = IID_ISTORAGE + data if ptype == PT_OBJECT else data
    props = _props([(PT_LONG, PR_ATTACH_METHOD, method), (PT_UNICODE, PR_DISPLAY_NAME, (name + "\0").encode("utf-16-le")),
                    (PT_UNICODE, PR_LONG_FILENAME, (name + "\0").encode("utf-16-le")), (ptype, PR_ATTACH_DATA, value)])
    return rend + tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACHMENT, props)


def test_every_tnef_attachment_is_reached_wherever_its_bytes_are_kept(lo_written, tmp_path):
    text = f"Notes on {MARKS.name} <{MARKS.email}>\n".encode()
    winmail = (make_tnef({"a.txt": b"first file " + MARKS.listed.encode()}, body="See attached.")
               + held_in_properties("Budget.xls", lo_written["sheet-xls"], 6, PT_OBJECT)
               + held_in_properties("notes.txt", text, 1, PT_BINARY))
    path = tmp_path / "winmail.dat"
    path.write_bytes(winmail)
    seen = explore_path(path, tmp_path / "work")
    members = {uri.split("!/")[-1]: s for uri, s in seen.items() if "!/" in uri}
    assert set(members) == {"a.txt", "Budget.xls", "notes.txt"}
    assert {n: (s.status, s.reason) for n, s in members.items() if s.status != "ok"} == {}
    assert members["Budget.xls"].mime == "application/vnd.ms-excel" and MARKS.name in members["Budget.xls"].text
    assert MARKS.email in members["notes.txt"].text


def test_text_libmagic_calls_news_is_read_as_text(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_bytes(f"Path: /home/shared/minutes\nNewsgroups: staff\n\nAttendees: {MARKS.name}\n".encode())
    seen = explore_path(path, tmp_path / "work")[str(path)]
    assert (seen.mime, seen.status) == ("message/news", "ok")
    assert MARKS.name in seen.text


def property_context(props: list[tuple[int, int, object]]) -> bytes:
    """A PST property context ([MS-PST] 2.3.1 heap, 2.3.2 BTH) as an attached message's node holds it,
    hand-built: no writer of PST files runs here."""
    strings = [(tag, ptype, value) for tag, ptype, value in props if ptype == PT_UNICODE]
    string_hid = {tag: (3 + n) << 5 for n, (tag, _t, _v) in enumerate(strings)}
    records = b"".join(struct.pack("<HHI", tag, ptype, string_hid.get(tag, value if ptype == PT_LONG else 0))
                       for tag, ptype, value in sorted(props, key=lambda p: p[0]))
    items = [struct.pack("<BBBBI", 0xB5, 2, 6, 0, 2 << 5), records] + [v.encode("utf-16-le") for _t, _p, v in strings]
    offsets, body = [], b""
    for item in items:
        offsets.append(12 + len(body))
        body += item
    offsets.append(12 + len(body))
    page_map = struct.pack("<HH", len(items), 0) + struct.pack(f"<{len(offsets)}H", *offsets)
    return struct.pack("<HBBII", 12 + len(body), 0xEC, 0xBC, 1 << 5, 0) + body + page_map


def test_an_attached_pst_message_with_attachments_says_they_were_not_reached():
    from connectors.containers.pst_message import UNREACHABLE, _embedded

    def attached(flags: int):
        return _embedded("Fwd: CV", property_context([(0x0037, PT_UNICODE, "Fwd: CV of Ottilie Nested"),
                                                      (0x0E07, PT_LONG, flags)]), 1000)
    with_files, without = attached(0x01 | 0x10), attached(0x01)
    assert "Ottilie Nested" in with_files.message["Subject"]
    assert with_files.unreachable == UNREACHABLE and without.unreachable == ""


def test_an_attached_pst_message_is_read_with_what_it_holds(tmp_path):
    from core_helpers import OUTLOOK_FIXTURES

    seen = explore_path(f"{OUTLOOK_FIXTURES}/msgInMsg.pst", tmp_path / "work")
    inner = [s for uri, s in seen.items() if uri.endswith("!/Microsoft Outlook テスト メッセージ")]
    assert len(inner) == 1 and inner[0].status == "ok" and "xmailuser@xmailserver.test" in inner[0].text
    assert not [uri for uri in seen if uri.endswith("(its attachments)")]     # it has none
