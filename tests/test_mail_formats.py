"""Mail containers: a synthetic person found at exact URIs in mbox, eml, msg and pst."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builders import (explore_path, make_docx, make_eml, make_mbox, make_person, person_lines,
                      zip_bytes)
from connectors.containers import container_for
from connectors.containers.rfc822 import looks_like_message
from core_helpers import OUTLOOK_FIXTURES

OUTLOOK = Path(OUTLOOK_FIXTURES)
MSG_ID = "<abc.123@example.co.uk>"


@pytest.fixture
def person():
    return make_person(4)


@pytest.fixture
def mbox(tmp_path, person):
    docx = make_docx(f"Invoice for {person.name}\n{person.email}\n")
    first = make_eml(person, {"invoice.docx": docx}, message_id=MSG_ID)
    second = make_eml(make_person(5), body="From the desk of nobody in particular\n", message_id=None)
    path = tmp_path / "export.mbox"
    make_mbox(path, [first, second])
    return path


def test_mbox_message_body_found_at_its_message_id(mbox, tmp_path, person):
    seen = explore_path(mbox, tmp_path / "tmp")
    message = seen[f"{mbox}!/{MSG_ID}"]
    assert message.status == "ok" and message.mime == "message/rfc822"
    assert f"Dear {person.name}" in message.text and person.phone in message.text


def test_mbox_docx_attachment_found_at_its_file_name(mbox, tmp_path, person):
    seen = explore_path(mbox, tmp_path / "tmp")
    attachment = seen[f"{mbox}!/{MSG_ID}!/invoice.docx"]
    assert attachment.status == "ok"
    assert person.name in attachment.text and person.email in attachment.text


def test_mbox_splits_messages_and_undoes_from_escaping(mbox, tmp_path):
    seen = explore_path(mbox, tmp_path / "tmp")
    messages = [s for s in seen.values() if s.mime == "message/rfc822"]
    assert len(messages) == 2
    assert any("From the desk of nobody" in m.text for m in messages)   # ">From" written, "From" read
    assert seen[str(mbox)].status == "ok" and seen[str(mbox)].mime == "application/mbox"


def test_mbox_message_without_message_id_is_numbered(tmp_path, person):
    raw = make_eml(person).replace(b"Message-ID:", b"X-Old-Id:")
    path = tmp_path / "plain.mbox"
    make_mbox(path, [make_eml(person), raw])
    seen = explore_path(path, tmp_path / "tmp")
    assert f"Dear {person.name}" in seen[f"{path}!/message-2"].text


def test_mbox_duplicate_message_ids_get_distinct_locations(tmp_path, person):
    path = tmp_path / "dupes.mbox"
    make_mbox(path, [make_eml(person, message_id=MSG_ID), make_eml(person, message_id=MSG_ID)])
    seen = explore_path(path, tmp_path / "tmp")
    assert f"{path}!/{MSG_ID}" in seen and f"{path}!/{MSG_ID} (2)" in seen


def test_mbox_is_streamed_many_messages(tmp_path, person):
    path = tmp_path / "big.mbox"
    make_mbox(path, [make_eml(person, message_id=f"<m{i}@example.co.uk>") for i in range(300)])
    seen = explore_path(path, tmp_path / "tmp")
    assert sum(1 for s in seen.values() if s.mime == "message/rfc822") == 300
    assert person.email in seen[f"{path}!/<m299@example.co.uk>"].text


def test_eml_attachment_found(tmp_path, person):
    path = tmp_path / "letter.eml"
    path.write_bytes(make_eml(make_person(9), {"clients.txt": person_lines(person).encode()}))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].mime == "message/rfc822"
    assert person.email in seen[f"{path}!/clients.txt"].text


def test_eml_address_fields_carry_names_and_addresses_at_their_offsets(tmp_path, person):
    path = tmp_path / "letter.eml"
    path.write_bytes(make_eml(person, html=f"<p>Hello <b>{person.name}</b></p><script>x()</script>"))
    message = explore_path(path, tmp_path / "tmp")[str(path)]
    to_fields = [f for f in message.fields if f.label == "To"]
    assert {f.value for f in to_fields} == {person.name, person.email}
    for f in message.fields:
        assert message.text[f.start:f.start + len(f.value)] == f.value
    assert {f.label for f in message.fields} == {"From", "To"}
    assert f"Hello {person.name}" in message.text and "x()" not in message.text   # HTML body as text


def test_attached_message_and_zip_are_explored(tmp_path, person):
    inner = make_eml(person, {"cv.txt": person_lines(person).encode()}, message_id="<inner@x.co.uk>")
    outer = make_eml(make_person(2), {"forwarded.eml": inner,
                                      "bundle.zip": zip_bytes({"a/notes.txt": person_lines(person).encode()})})
    path = tmp_path / "outer.eml"
    path.write_bytes(outer)
    seen = explore_path(path, tmp_path / "tmp")
    assert person.email in seen[f"{path}!/forwarded.eml"].text
    assert person.email in seen[f"{path}!/forwarded.eml!/cv.txt"].text
    assert person.email in seen[f"{path}!/bundle.zip!/a/notes.txt"].text


def test_unnamed_attachments_are_numbered_and_clashes_deduplicated(tmp_path, person):
    from email import policy
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = f"{person.name} <{person.email}>"
    msg.set_content("see attached")
    msg.add_attachment(b"one", maintype="application", subtype="octet-stream")
    msg.add_attachment(b"two", maintype="application", subtype="octet-stream", filename="a.bin")
    msg.add_attachment(b"three", maintype="application", subtype="octet-stream", filename="a.bin")
    path = tmp_path / "m.eml"
    path.write_bytes(msg.as_bytes(policy=policy.SMTP))
    seen = explore_path(path, tmp_path / "tmp")
    assert {f"{path}!/attachment-1", f"{path}!/a.bin", f"{path}!/a.bin (2)"} <= set(seen)


def test_pgp_encrypted_part_is_recorded_encrypted(tmp_path, person):
    raw = (f"From: {person.name} <{person.email}>\r\nTo: x@example.co.uk\r\nSubject: s\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";"
           " boundary=b\r\n\r\n--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
           "--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--b--\r\n")
    path = tmp_path / "secret.eml"
    path.write_bytes(raw.encode())
    seen = explore_path(path, tmp_path / "tmp")
    assert [s.status for s in seen.values() if s.uri != str(path)] == ["encrypted"]
    assert person.email in seen[str(path)].text   # the headers are still read


def test_eml_that_libmagic_calls_text_is_still_a_message(tmp_path, person):
    raw = (f"MIME-Version: 1.0\nFrom: {person.name} <{person.email}>\nSubject: hello\n\nbody\n").encode()
    assert looks_like_message(raw)
    assert not looks_like_message(b"Name: Jane\nFrom: here\n\nnot mail")
    assert not looks_like_message(b"From: Jane\nTo: Bob\nPhone: 01482 420150\n\nnotes")   # a text note
    assert not looks_like_message(b"From: a\nno blank line ends this header block")
    path = tmp_path / "m.eml"
    path.write_bytes(raw)
    seen = explore_path(path, tmp_path / "tmp")
    assert person.email in seen[str(path)].text


@pytest.mark.parametrize("name, expected", [
    ("qwerty_3.msg", ["Charles.Lowe@freehills.com", "johnno@nowhere.com", "Charles Lowe", "9322 4181"]),
    ("contact-plain.msg", ["email@emailland.com", "0404 123 456"]),
    ("Swetlana Novikova.msg", ["support@scalabium.com", "Novikova, Swetlana"]),
])
def test_msg_fixture_headers_body_and_properties(tmp_path, name, expected):
    path = tmp_path / name
    shutil.copy(OUTLOOK / name, path)
    item = explore_path(path, tmp_path / "tmp")[str(path)]
    assert item.status == "ok" and item.mime == "application/vnd.ms-outlook"
    for value in expected:
        assert value in item.text


def test_msg_recipient_fields(tmp_path):
    path = tmp_path / "q.msg"
    shutil.copy(OUTLOOK / "qwerty_3.msg", path)
    item = explore_path(path, tmp_path / "tmp")[str(path)]
    fields = {(f.label, f.value) for f in item.fields}
    assert ("Cc", "johnno@nowhere.com") in fields and ("Bcc", "Lowe, Charles") in fields


def test_pst_message_found_at_its_uri(tmp_path):
    path = tmp_path / "mail.pst"
    shutil.copy(OUTLOOK / "attachAndInline.pst", path)
    seen = explore_path(path, tmp_path / "tmp")
    assert container_for("application/vnd.ms-outlook", _blob(path)).__class__.__name__ == "PstContainer"
    message = seen[f"{path}!/message-1"]     # the message sits in the store's top folder, no Message-ID
    assert message.mime == "message/rfc822" and "xmailuser@xmailserver.test" in message.text
    assert seen[f"{path}!/message-1!/attach.png"].mime == "image/png"
    assert seen[str(path)].status == "ok"


def test_pst_200_recipients_are_in_text_and_fields(tmp_path):
    path = tmp_path / "200-recipients.pst"
    shutil.copy(OUTLOOK / "200-recipients.pst", path)
    message = explore_path(path, tmp_path / "tmp")[f"{path}!/message-1"]
    addresses = {f"xmailuser{i}@xmailserver.test" for i in range(1, 201)}
    assert addresses <= {f.value for f in message.fields if f.label == "To"}
    assert all(a in message.text for a in addresses)


def test_pst_embedded_message_is_read_from_its_property_context(tmp_path):
    path = tmp_path / "msgInMsg.pst"
    shutil.copy(OUTLOOK / "msgInMsg.pst", path)
    seen = explore_path(path, tmp_path / "tmp")
    assert "I have attachments!" in seen[f"{path}!/message-1"].text
    embedded = seen[f"{path}!/message-1!/Microsoft Outlook テスト メッセージ"]   # attachment display name
    assert embedded.mime == "message/rfc822" and embedded.status == "ok"
    assert "Microsoft Outlook から自動送信されたものです" in embedded.text              # its body
    assert ("From", "xmailuser@xmailserver.test") in {(f.label, f.value) for f in embedded.fields}
    assert seen[f"{path}!/message-1!/green.png"].mime == "image/png"


@pytest.mark.parametrize("junk", [b"", b"\x00" * 64, b"\xc6\x09\xec\xbc" + b"\xff" * 60, bytes(range(256)) * 4])
def test_embedded_property_parser_refuses_junk_with_valueerror(junk):
    import struct

    from connectors.containers.pst_embedded import embedded_properties

    with pytest.raises((ValueError, struct.error)):
        embedded_properties(junk)


def _blob(path):
    from connectors import Blob, Location

    return Blob(Location(str(path)), path.stat().st_size, path=str(path))


def test_mbox_long_lines_and_crlf_do_not_split_or_lose_text(tmp_path, person):
    long_line = b"x" * (3 * 1024 * 1024) + b"From nowhere " + person.email.encode()   # one 3 MB line
    first = (b"From: a@example.co.uk\r\nMessage-ID: <long@x.co.uk>\r\n\r\n" + long_line + b"\r\n\r\n")
    second = f"From: b@example.co.uk\r\nMessage-ID: <crlf@x.co.uk>\r\n\r\nHello {person.name}\r\n".encode()
    path = tmp_path / "crlf.mbox"
    path.write_bytes(b"From x Wed May  1 09:30:00 2024\r\n" + first + b"From y Wed May  1 09:31:00 2024\r\n" + second)
    seen = explore_path(path, tmp_path / "tmp")
    assert set(seen) == {str(path), f"{path}!/<long@x.co.uk>", f"{path}!/<crlf@x.co.uk>"}
    assert seen[f"{path}!/<long@x.co.uk>"].text.rstrip().endswith(person.email)
    assert f"Hello {person.name}" in seen[f"{path}!/<crlf@x.co.uk>"].text


def test_msg_attachment_kinds(tmp_path):
    """extract-msg cannot write a .msg, and no fixture has attachments: drive the branch with
    attachment stand-ins whose embedded message is a real MSGFile."""
    import types

    import extract_msg
    from extract_msg.enums import AttachmentType

    from connectors import ExploreContext, Limits, Location
    from connectors.containers.budget import ContainerBudget
    from connectors.containers.msg import _attachment_blob

    budget = ContainerBudget(ExploreContext(Limits(), str(tmp_path)))
    where = Location("/x.msg").child("a")
    inner = extract_msg.openMsg(str(OUTLOOK / "qwerty_3.msg"), strict=False)
    embedded = _attachment_blob(types.SimpleNamespace(type=AttachmentType.MSG, data=inner), where, budget, None)
    assert embedded.mime_hint == "application/vnd.ms-outlook" and embedded.data[:4] == b"\xd0\xcf\x11\xe0"
    plain = _attachment_blob(types.SimpleNamespace(type=AttachmentType.DATA, data=b"hello"), where, budget, None)
    assert plain.data == b"hello" and plain.mime_hint is None
    web = _attachment_blob(types.SimpleNamespace(type=AttachmentType.WEB, data=None), where, budget, None)
    assert web.status == "skipped" and web.reason == "msg: web attachment not read"


def test_mailbox_bytes_are_not_counted_as_decompressed(tmp_path, person):
    """A mailbox larger than the decompression caps is read to the end: it cannot amplify."""
    from connectors import Limits

    path = tmp_path / "big.mbox"
    make_mbox(path, [make_eml(person, {"pad.txt": b"x" * 400_000}, message_id=f"<m{i}@x.co.uk>")
                     for i in range(5)])
    limits = Limits(max_container_bytes=1_000_000, max_total_bytes=1_000_000)
    seen = explore_path(path, tmp_path / "tmp", limits)
    assert seen[str(path)].status == "ok"
    assert person.email in seen[f"{path}!/<m4@x.co.uk>"].text
