"""Builders for synthetic mail and archive inputs, shared by tests.

Everything is built from a faker en_GB person at test time; nothing is a
checked-in sample.
"""
from __future__ import annotations

import datetime
import email
import io
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import py7zr
from faker import Faker


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    postcode: str
    address: str


def make_person(seed: int = 0) -> Person:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    first, last = fake.first_name(), fake.last_name()
    return Person(name=f"{first} {last}", email=f"{first}.{last}@{fake.free_email_domain()}".lower(),
                  phone=fake.phone_number(), postcode=fake.postcode(),
                  address=fake.address().replace("\n", ", "))


def person_lines(person: Person) -> str:
    return f"{person.name}\n{person.email}\n{person.phone}\n{person.address}\n"


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_eml(person: Person, attachments: dict[str, bytes] | None = None, *, body: str | None = None,
             html: str | None = None, sender: str = "Records Team <records@example.co.uk>",
             message_id: str | None = None, subject: str = "Your account") -> bytes:
    """An RFC 822 message to `person`; attachments by file name (`.eml` bytes attach as messages)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"{person.name} <{person.email}>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.timezone.utc))
    msg["Message-ID"] = message_id or make_msgid(domain="example.co.uk")
    msg.set_content(body if body is not None else f"Dear {person.name},\nWe will call you on {person.phone}.\n")
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for name, data in (attachments or {}).items():
        if name.endswith(".eml"):
            inner = email.message_from_bytes(data, policy=policy.default)
            msg.add_attachment(inner, filename=name)
        else:
            msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes(policy=policy.SMTP)


def make_mbox(path, messages: list[bytes]) -> None:
    """An mboxrd file: `From ` separators, body lines starting with `From ` escaped."""
    with open(path, "wb") as f:
        for raw in messages:
            f.write(b"From MAILER-DAEMON Wed May  1 09:30:00 2024\n")
            for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
                if line.lstrip(b">").startswith(b"From "):
                    line = b">" + line
                f.write(line + b"\n")
            f.write(b"\n")


def make_zip(path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)


def make_tar(path, members: dict[str, bytes], mode: str = "w:gz") -> None:
    """`mode` as tarfile takes it: `w`, `w:gz`, `w:bz2`, `w:xz`."""
    with tarfile.open(path, mode) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1714555800
            t.addfile(info, io.BytesIO(data))


def make_7z(path, members: dict[str, bytes], password: str | None = None) -> None:
    with py7zr.SevenZipFile(path, "w", password=password) as z:
        for name, data in members.items():
            z.writestr(data, name)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@dataclass
class Seen:
    """One explored item, with its text read while it was still valid."""

    uri: str
    status: str
    reason: str
    mime: str
    text: str | None
    fields: list


def explore_path(path, tmpdir, limits=None) -> dict[str, Seen]:
    """Explore one outer file; items by URI, text extracted eagerly (as the scanner must)."""
    import os

    from connectors import Blob, ExploreContext, Limits, Location, explore
    from connectors.dispatch import safe_reason, status_of

    path = str(path)
    os.makedirs(tmpdir, mode=0o700, exist_ok=True)
    ctx = ExploreContext(limits or Limits(), str(tmpdir))
    blob = Blob(Location(path), os.path.getsize(path), path=path)
    seen: dict[str, Seen] = {}
    for item in explore(blob, ctx):
        text, fields, status, reason = None, [], item.status, item.reason
        if item.extract is not None:
            try:
                extracted = item.extract()
                text, fields = extracted.text(), extracted.fields
            except Exception as exc:   # as the scanner does: the text failed, the row stays
                status, reason = status_of(exc), safe_reason(exc)
        assert item.location.uri not in seen, f"duplicate location {item.location.uri}"
        seen[item.location.uri] = Seen(item.location.uri, status, reason, item.mime, text, fields)
    return seen


class within:
    """Fail a test that runs longer than `seconds` (a hang in a parser), using SIGALRM."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        import signal

        def _timeout(signum, frame):
            raise TimeoutError(f"took longer than {self.seconds}s")

        self.previous = signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc):
        import signal

        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)
        return False


def encrypt_flag_zip(data: bytes) -> bytes:
    """Set the 'encrypted' flag on every entry of a stored zip, as ZipCrypto writers do.

    zipfile cannot write encrypted archives; the flag is all a reader sees
    before it would ask for a password, and we must never ask.
    """
    out = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := out.find(signature, start)) >= 0:
            out[i + flag_offset] |= 0x1
            start = i + 4
    return bytes(out)


def pdf_document(content_stream: bytes, extra_objects: list[bytes] = (), trailer_extra: bytes = b"") -> bytes:
    """A one-page PDF drawing `content_stream` in Helvetica, xref offsets computed (no PDF library
    writes PDFs here). `extra_objects` follow the five standard ones (number 6 onwards)."""
    data = zlib.compress(content_stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R" % (len(objects) + 1) + trailer_extra
              + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds these lines, one under another."""
    ops = " 0 -16 Td ".join(f"({t}) Tj" for t in lines)
    return pdf_document(f"BT /F1 12 Tf 72 720 Td {ops} ET".encode("latin-1"))


# Outlook TNEF (winmail.dat), MS-OXTNEF: a signature, a legacy key, then attributes, each
# level byte, attribute id dword (type << 16 | id), length dword, data, 16-bit checksum of the data.
TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
TNEF_MESSAGE, TNEF_ATTACHMENT = 0x01, 0x02
ATT_TNEF_VERSION, ATT_OEM_CODEPAGE, ATT_MESSAGE_CLASS = 0x00089006, 0x00069007, 0x00078008
ATT_BODY, ATT_MAPI_PROPS = 0x0002800C, 0x00069003
ATT_ATTACH_REND_DATA, ATT_ATTACH_TITLE = 0x00069002, 0x00018010
ATT_ATTACH_DATA, ATT_ATTACHMENT = 0x0006800F, 0x00069005
_PT_LONG, _PT_OBJECT, _PT_UNICODE, _PT_BINARY = 0x0003, 0x000D, 0x001F, 0x0102
_PR_ATTACH_LONG_FILENAME, _PR_ATTACH_METHOD, _PR_DISPLAY_NAME = 0x3707, 0x3705, 0x3001
_PR_ATTACH_DATA_OBJ, _PR_BODY_HTML, _PR_RTF_COMPRESSED = 0x3701, 0x1013, 0x1009
_IID_IMESSAGE = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"


def tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    import struct

    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def _mapi_props(props: list[tuple[int, int, bytes | int]]) -> bytes:
    """A MAPI property list: count, then (type, id, value); variable-length values padded to 4."""
    import struct

    out = [struct.pack("<I", len(props))]
    for ptype, pid, value in props:
        out.append(struct.pack("<HH", ptype, pid))
        if ptype == _PT_LONG:
            out.append(struct.pack("<i", value))
        else:
            out.append(struct.pack("<II", 1, len(value)) + value + b"\x00" * (-len(value) % 4))
    return b"".join(out)


def _unicode(text: str) -> bytes:
    return (text + "\x00").encode("utf-16-le")


def _short_name(name: str) -> bytes:
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, ext) if dot else (name, "")
    return (stem[:8].upper() + ("." + ext[:3].upper() if ext else "")).encode("cp1252", "replace") + b"\x00"


def make_tnef(attachments: dict[str, bytes] | list[tuple[str, bytes]], body: str | None = None, *,
              html: str | None = None, rtf: str | None = None,
              embedded: dict[str, bytes] | None = None) -> bytes:
    """A winmail.dat: attachments by long file name (a list of pairs may repeat a name), each with
    an 8.3 short name in attAttachTitle and the long one in attAttachment; `body` as attBody,
    `html`/`rtf` as PR_BODY_HTML / PR_RTF_COMPRESSED in attMAPIProps; `embedded` attaches TNEF
    streams (make_tnef output) as embedded messages by display name."""
    import struct

    out = [TNEF_SIGNATURE, struct.pack("<H", 0x0001),
           tnef_attribute(TNEF_MESSAGE, ATT_TNEF_VERSION, struct.pack("<I", 0x00010000)),
           tnef_attribute(TNEF_MESSAGE, ATT_OEM_CODEPAGE, struct.pack("<II", 1252, 0)),
           tnef_attribute(TNEF_MESSAGE, ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\x00")]
    if body is not None:
        out.append(tnef_attribute(TNEF_MESSAGE, ATT_BODY, body.encode("cp1252")))
    props = []
    if html is not None:
        props.append((_PT_BINARY, _PR_BODY_HTML, html.encode("utf-8")))
    if rtf is not None:
        import compressed_rtf

        props.append((_PT_BINARY, _PR_RTF_COMPRESSED, compressed_rtf.compress(rtf.encode("cp1252"))))
    if props:
        out.append(tnef_attribute(TNEF_MESSAGE, ATT_MAPI_PROPS, _mapi_props(props)))
    # attachType 1 (file), position -1, width, height, flags
    rend_data = struct.pack("<HiHHI", 1, -1, 0, 0, 0)
    for name, data in (attachments.items() if isinstance(attachments, dict) else attachments):
        out += [tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_REND_DATA, rend_data),
                tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_TITLE, _short_name(name)),
                tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_DATA, data),
                tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACHMENT, _mapi_props(
                    [(_PT_LONG, _PR_ATTACH_METHOD, 1),
                     (_PT_UNICODE, _PR_ATTACH_LONG_FILENAME, _unicode(name))]))]
    for name, inner in (embedded or {}).items():
        out += [tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACH_REND_DATA, rend_data),
                tnef_attribute(TNEF_ATTACHMENT, ATT_ATTACHMENT, _mapi_props(
                    [(_PT_LONG, _PR_ATTACH_METHOD, 5), (_PT_UNICODE, _PR_DISPLAY_NAME, _unicode(name)),
                     (_PT_OBJECT, _PR_ATTACH_DATA_OBJ, _IID_IMESSAGE + inner)]))]
    return b"".join(out)
