"""One libpff message, read into plain Python: headers, bodies, attachments.

Headers come from the transport headers when the message arrived by SMTP;
otherwise (drafts, sent items, items created in Outlook) from MAPI
properties and the recipient table. Property tags are from [MS-OXPROPS].
"""
from __future__ import annotations

import email.utils
import re
import struct
from datetime import timezone
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser
from typing import Iterator

from striprtf.striprtf import rtf_to_text

from .pst_embedded import embedded_properties

HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID", "Sender", "Resent-From",
           "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc", "Disposition-Notification-To", "Return-Path",
           "X-From", "X-To", "X-cc", "X-bcc")   # every header that names people, as an .eml copy has them
_STRING_TYPES = (0x1F, 0x1E)
SENDER_NAME, SENT_REPRESENTING_NAME = 0x0C1A, 0x0042
SENDER_ADDRESSES = (0x5D01, 0x0C1F, 0x5D02, 0x0065)
MESSAGE_ID, MESSAGE_CLASS, SUBJECT = 0x1035, 0x001A, 0x0037
DISPLAY_NAME, EMAIL_ADDRESS, SMTP_ADDRESS, RECIPIENT_TYPE = 0x3001, 0x3003, 0x39FE, 0x0C15
ATTACH_LONG_NAME, ATTACH_NAME, ATTACH_METHOD, ATTACH_EMBEDDED = 0x3707, 0x3704, 0x3705, 5
MESSAGE_FLAGS, MSGFLAG_HASATTACH = 0x0E07, 0x10
UNREACHABLE = "pst: attachments of an attached message are not reachable through libpff"
_RECIPIENT_HEADERS = {1: "To", 2: "Cc", 3: "Bcc"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+")
# Properties that are bodies or routing noise, not worth repeating as text.
_NOT_TEXT = {0x1000, 0x1013, 0x1009, 0x007D, MESSAGE_CLASS, 0x0C1F, 0x0065, 0x0064, 0x0C1E, 0x0E1D, 0x003D,
             0x0070, 0x0075, 0x0E28, 0x0E29, 0x6619, 0x8024, 0x8023}


@dataclass
class Attachment:
    name: str
    data: bytes
    message: EmailMessage | None = None    # an attached message, attached as message/rfc822
    unreachable: str = ""                  # why the attached message's own attachments are missing


@dataclass
class Left:
    """An attachment not carried into the rebuilt message, and why."""

    name: str
    status: str
    reason: str
    size: int = 0
    limit: str = ""


def _guard(getter):
    try:
        return getter()
    except Exception:
        return None


def properties(item) -> dict[int, object]:
    """Tag -> value for the first record set's string, integer and time entries."""
    props: dict[int, object] = {}
    record_sets = _guard(lambda: item.record_sets) or []
    for record_set in list(record_sets)[:1]:
        for entry in _guard(lambda: list(record_set.entries)) or []:
            value = _entry_value(entry)
            if value not in (None, ""):
                props[entry.entry_type] = value
    return props


def _entry_value(entry):
    kind = _guard(lambda: entry.value_type)
    if kind in _STRING_TYPES:
        value = _guard(lambda: entry.data_as_string)
        return value.replace("\x00", "").strip() if isinstance(value, str) else None
    if kind in (0x02, 0x03, 0x14):
        return _guard(lambda: entry.data_as_integer)
    return None


def _address(name: str, addr: str) -> str:
    return email.utils.formataddr((name if name != addr else "", addr if "@" in addr else "")) \
        if "@" in addr else name


def _recipient_headers(message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    recipients = _guard(lambda: message.recipients)
    for record_set in (_guard(lambda: list(recipients.record_sets)) or []) if recipients else []:
        props = {e.entry_type: _entry_value(e) for e in _guard(lambda: list(record_set.entries)) or []}
        name = str(props.get(DISPLAY_NAME) or "")
        addr = str(props.get(SMTP_ADDRESS) or props.get(EMAIL_ADDRESS) or "")
        header = _RECIPIENT_HEADERS.get(props.get(RECIPIENT_TYPE) or 1, "To")
        if name or "@" in addr:
            found.setdefault(header, []).append(_address(name, addr))
    return found


def _with_recipients(header: str, recipients: list[str]) -> str:
    """The transport header, plus each recipient-table entry whose display name or address it lacks
    (Exchange writes bare addresses in the header, display names only in the table)."""
    missing = [r for r in recipients if not header or _name_part(r) not in header]
    return ", ".join(([header] if header else []) + missing)


def _name_part(entry: str) -> str:
    name, addr = email.utils.parseaddr(entry)
    return name or addr or entry


def _transport_headers(message) -> dict[str, str]:
    raw = _guard(lambda: message.transport_headers) or ""
    if not raw.strip():
        return {}
    parsed = HeaderParser(policy=policy.compat32).parsestr(raw.replace("\x00", ""), headersonly=True)
    return {name: " ".join(str(parsed[name]).split()) for name in HEADERS if parsed[name]}


def _date(message) -> str | None:
    for getter in (lambda: message.client_submit_time, lambda: message.delivery_time,
                   lambda: message.creation_time):
        when = _guard(getter)
        if when is not None:
            try:
                return email.utils.format_datetime(when.replace(tzinfo=timezone.utc))
            except (ValueError, OverflowError):
                continue
    return None


def _headers(message, props: dict[int, object]) -> dict[str, str]:
    headers = _transport_headers(message)
    sender_name = str(props.get(SENDER_NAME) or props.get(SENT_REPRESENTING_NAME)
                      or _guard(lambda: message.sender_name) or "")
    sender_addr = next((str(props[t]) for t in SENDER_ADDRESSES if "@" in str(props.get(t, ""))), "")
    if "From" not in headers and (sender_name or sender_addr):
        headers["From"] = _address(sender_name, sender_addr) if sender_addr else sender_name
    for name, values in _recipient_headers(message).items():
        headers[name] = _with_recipients(headers.get(name, ""), values)
    subject = props.get(SUBJECT) or _guard(lambda: message.subject)
    if "Subject" not in headers and subject:
        headers["Subject"] = str(subject)
    if "Date" not in headers and (date := _date(message)):
        headers["Date"] = date
    if "Message-ID" not in headers and props.get(MESSAGE_ID):
        headers["Message-ID"] = str(props[MESSAGE_ID])
    if "Message-ID" in headers:
        value = "".join(headers["Message-ID"].split()).strip("<>")
        headers["Message-ID"] = f"<{value}>" if value else headers.pop("Message-ID")
    return {k: v.replace("\r", " ").replace("\n", " ") for k, v in headers.items() if v}


def _decode(data) -> str:
    if not data:
        return ""
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data)


@dataclass
class MessageParts:
    message: object
    headers: dict[str, str]
    plain: str
    html: str
    extra: list[str] = field(default_factory=list)

    def attachments(self, max_bytes: int) -> Iterator[Attachment | Left]:
        count = _guard(lambda: self.message.number_of_attachments) or 0
        for i in range(count):
            att = _attachment(self.message, i, max_bytes)
            yield att
            if isinstance(att, Attachment) and att.unreachable:
                # Recorded beside the attached message: its attachments exist and were not read.
                yield Left(f"{att.name} (its attachments)", "skipped", att.unreachable)


def _attachment(message, i: int, max_bytes: int) -> Attachment | Left:
    att = _guard(lambda: message.get_attachment(i))
    props = properties(att) if att is not None else {}
    name = str(_guard(lambda: att.long_filename) or props.get(ATTACH_LONG_NAME) or props.get(ATTACH_NAME)
               or props.get(DISPLAY_NAME) or f"attachment-{i + 1}")
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or f"attachment-{i + 1}"
    if att is None:
        return Left(name, "error", "pst: attachment unreadable")
    size = _guard(lambda: att.size) or 0
    if size > max_bytes:
        return Left(name, "skipped", f"{size} bytes", size, limit="max_member_bytes")
    data = _guard(lambda: att.read_buffer(size)) if size else b""
    if data is None:
        return Left(name, "error", "pst: attachment unreadable", size)
    if props.get(ATTACH_METHOD) == ATTACH_EMBEDDED:
        return _embedded(name, bytes(data), size)
    return Attachment(name, bytes(data))


def _embedded(name: str, data: bytes, size: int) -> Attachment | Left:
    """An attached message, rebuilt from its raw property context (libpff gives nothing better)."""
    try:
        props = embedded_properties(data)
    except (ValueError, struct.error):
        return Left(name, "skipped", "pst: embedded message, not readable through libpff", size)
    flags = props.get(MESSAGE_FLAGS)
    has_attachments = isinstance(flags, int) and flags & MSGFLAG_HASATTACH
    return Attachment(name, data=b"", message=embedded_email(props),
                      unreachable=UNREACHABLE if has_attachments else "")


def message_parts(message) -> MessageParts:
    props = properties(message)
    plain = _decode(_guard(lambda: message.plain_text_body)).replace("\x00", "")
    html = _decode(_guard(lambda: message.html_body)).replace("\x00", "")
    if not plain.strip() and not html.strip():
        rtf = _decode(_guard(lambda: message.rtf_body))
        plain = _guard(lambda: rtf_to_text(rtf)) or "" if rtf else ""
    klass = str(props.get(MESSAGE_CLASS) or "IPM.Note")
    if not klass.upper().startswith("IPM.NOTE"):
        # Contacts, appointments, tasks: their data lives in properties, not a body.
        extra = [str(v) for t, v in props.items() if isinstance(v, str) and t not in _NOT_TEXT]
        plain = "\n".join([plain] + list(dict.fromkeys(extra)))
    return MessageParts(message, _headers(message, props), plain, html)


DISPLAY_TO, DISPLAY_CC, DISPLAY_BCC, BODY = 0x0E04, 0x0E03, 0x0E02, 0x1000


def embedded_email(props: dict[int, object]) -> EmailMessage:
    """An EmailMessage from an embedded message's properties (display recipients are names only)."""
    headers: dict[str, str] = {}
    name = str(props.get(SENDER_NAME) or props.get(SENT_REPRESENTING_NAME) or "")
    addr = next((str(props[t]) for t in SENDER_ADDRESSES if "@" in str(props.get(t, ""))), "")
    if name or addr:
        headers["From"] = _address(name, addr) if addr else name
    for header, tag in (("To", DISPLAY_TO), ("Cc", DISPLAY_CC), ("Bcc", DISPLAY_BCC)):
        if props.get(tag):
            names = [n.strip() for n in str(props[tag]).split(";") if n.strip()]
            headers[header] = ", ".join(f'"{n}"' if "," in n else n for n in names)
    if props.get(SUBJECT):
        headers["Subject"] = str(props[SUBJECT]).lstrip("\x01\x02\x03\x04\x05")
    if props.get(MESSAGE_ID):
        headers["Message-ID"] = str(props[MESSAGE_ID])
    out = EmailMessage()
    for key, value in headers.items():
        try:
            out[key] = value.replace("\r", " ").replace("\n", " ")
        except Exception:
            continue
    skip = _NOT_TEXT | {SUBJECT, SENDER_NAME, SENT_REPRESENTING_NAME, DISPLAY_TO, DISPLAY_CC, DISPLAY_BCC}
    extra = [_CONTROL.sub(" ", v).strip() for t, v in props.items() if isinstance(v, str) and t not in skip]
    out.set_content("\n".join([str(props.get(BODY) or "")] + list(dict.fromkeys(extra))))
    return out
