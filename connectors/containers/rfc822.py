"""RFC 822 messages (.eml, mbox and PST messages): headers and bodies as text, attachments as members.

Parsed with the stdlib `email` package and `policy.default`, which records
defects instead of raising; every header access is still guarded because a
broken header can make the header classes fail.
"""
from __future__ import annotations

import email.header
import email.utils
import io
import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted, Field, Skipped
from ..limits import LimitExceeded
from ..undecodable import recovered
from .budget import ContainerBudget, NameDeduper, released
from .header_memo import HeaderMemo, first_raw_value
from .html_text import html_to_text
from .mail_policy import POLICY as _POLICY
from .mail_policy import ParsedOnce as _ParsedOnce  # noqa: F401  (tests build smaller ones)
from .mime_split import split
from .part_facts import PART_ONCE as _PART_ONCE
from .part_facts import content_type, is_attachment as _is_attachment, text_content as _text_content
from .plain_headers import plain_addresses, plain_text
from .stable_bytes import message_bytes

ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Resent-From", "Resent-Sender", "Resent-To",
                   "Resent-Cc", "Resent-Bcc", "Disposition-Notification-To", "Return-Path")
# Headers exporters fill with display names only, in no address syntax ("X-From: Allen, Phillip K.",
# "X-To: MARGOT ELLWOOD (E-mail)"): kept as written, one line each, for the name index to read.
NAME_ONLY_HEADERS = ("X-From", "X-To", "X-cc", "X-bcc")
MESSAGE_TYPES = ("message/rfc822", "message/global")
_ENCRYPTED_TYPES = ("multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime",
                    "application/pgp-encrypted")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?.*$|^[ \t]+\S.*$")
_KNOWN = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"mime-version:", b"received:",
          b"return-path:", b"cc:", b"reply-to:", b"content-type:")
# Any other header name a real message carries; a text file with "Name: ..." lines is not a message
# (and must stay plain text: a message's own text keeps only the address, subject and date headers).
_MAIL_HEADERS = set(_KNOWN) | {
    b"bcc:", b"sender:", b"in-reply-to:", b"references:", b"content-transfer-encoding:", b"delivered-to:",
    b"content-disposition:", b"content-language:", b"dkim-signature:", b"authentication-results:",
    b"user-agent:", b"importance:", b"priority:", b"organization:", b"comments:", b"keywords:",
    b"received-spf:", b"accept-language:", b"envelope-to:", b"precedence:", b"auto-submitted:"}
_MAIL_HEADER_PREFIXES = (b"x-", b"list-", b"arc-", b"thread-", b"resent-", b"content-", b"disposition-")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


_READ_ONCE = HeaderMemo(_POLICY)   # a header's text and addresses, once per distinct raw value
# Up to this size a message is read whole and cut by mime_split (the same tree, less CPU); a bigger
# one is streamed through the stdlib parser, which holds fewer copies of it at once.
SPLIT_MAX_BYTES = 8 * 1024 * 1024


def parse(blob: Blob, ctx: ExploreContext) -> Message:
    if blob.size > ctx.limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", f"{blob.size} bytes")
    with blob.open() as f:
        if blob.size > SPLIT_MAX_BYTES:
            return BytesParser(policy=_POLICY).parse(f)
        data = f.read()
    msg = split(data, _POLICY)
    return msg if msg is not None else BytesParser(policy=_POLICY).parse(io.BytesIO(data))


def looks_like_message(head: bytes) -> bool:
    """A header block of known RFC 822 fields, then a blank line (libmagic misses some .eml)."""
    block, sep, _ = head.replace(b"\r\n", b"\n").partition(b"\n\n")
    lines = block.split(b"\n")
    if not sep or not lines or not all(_HEADER_LINE.match(line) for line in lines):
        return False
    names = {line.split(b":", 1)[0].lower() + b":" for line in lines if not line[:1].isspace()}
    if not all(n in _MAIL_HEADERS or n.startswith(_MAIL_HEADER_PREFIXES) for n in names):
        return False
    return b"from:" in names and len(names.intersection(_KNOWN)) >= 2


def message_id(head: bytes) -> str | None:
    """The `<Message-ID>` from a message's header block, cleaned for a URI."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head.split(b"\n\n", 1)[0])
        raw = headers.get("Message-ID")
    except Exception:
        return None
    if not raw:
        return None
    value = "".join(str(raw).split()).strip("<>")
    return f"<{value}>" if value else None


def header_text(msg: Message, name: str) -> str:
    text = _plain(plain_text, msg, name)
    if text is not None:
        return _CONTROL.sub(" ", _with_raw_bytes(msg, name, text)).strip()
    try:
        value = msg.get(name)
        return "" if value is None else _CONTROL.sub(" ", _with_raw_bytes(msg, name, str(value))).strip()
    except Exception:  # a header the header classes choke on: decode it by hand
        return _decoded_raw(msg, name)


def _plain(read, msg: Message, name: str):
    """What `read` (plain_headers.plain_text or plain_addresses) knows of msg's header `name` without
    its header object: its text, or its (display name, address) pairs; None where it does not."""
    raw = first_raw_value(msg, name)
    if type(raw) is not str or getattr(msg, "policy", None) is not _POLICY:
        return None
    return read(_POLICY.header_factory, name, raw)


def _with_raw_bytes(msg: Message, name: str, text: str) -> str:
    """The header classes turn raw 8-bit bytes into U+FFFD: decode them from the raw header instead."""
    return (_decoded_raw(msg, name) or text) if "\ufffd" in text else text


def _decoded_raw(msg: Message, name: str) -> str:
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            try:
                text = str(email.header.make_header(email.header.decode_header(raw)))
            except Exception:
                text = str(raw)
            return _CONTROL.sub(" ", recovered(text))
    return ""


def addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header, tolerant of junk."""
    try:
        pairs = _plain(plain_addresses, msg, name)
        if pairs is None:
            header = msg.get(name)
            if header is None:
                return []
            pairs = [(a.display_name, a.addr_spec) for a in header.addresses]
    except Exception:
        pairs = email.utils.getaddresses([header_text(msg, name)])
    pairs = pairs + _missed_addresses(msg, name, pairs)
    return [_name_or_address(_CONTROL.sub(" ", recovered(n)).strip(), _CONTROL.sub("", recovered(a)).strip())
            for n, a in pairs if n.strip() or a.strip()]


_ADDRESS_IN_RAW = re.compile(r"[^\s<>\[\]();,:'\"`]+@[^\s<>\[\]();,:'\"`]+\.[A-Za-z]{2,}")


def _missed_addresses(msg: Message, name: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Addresses in the raw header that the header classes dropped. Outlook writes
    `'jane@x.com'; 'john@x.com'` (`;` ends a group, so only the first is read) and
    `Jane Doe [mailto:jane@x.com]` (read as a name alone)."""
    raw = _decoded_raw(msg, name)
    if raw.count("@") <= sum(a.count("@") for _, a in pairs):
        return []
    seen = " ".join(a for _, a in pairs).casefold()
    missed: list[tuple[str, str]] = []
    for address in _ADDRESS_IN_RAW.findall(raw):
        if address.casefold() not in seen:
            seen += " " + address.casefold()
            missed.append(("", address))
    return missed


def _name_or_address(name: str, addr: str) -> tuple[str, str]:
    """A bare display name ("To: Jane Smith", common in Outlook-made headers) is a name, not an address."""
    if "@" not in addr and (not name or name == addr):
        return addr or name, ""
    return name, addr


class _TextBuilder:
    """Accumulates the message text and the offsets of every address field."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.fields: list[Field] = []

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def add_field(self, label: str, value: str) -> None:
        if value:
            self.fields.append(Field(label=label, value=value, start=self.add(value)))

    def address_line(self, label: str, pairs: list[tuple[str, str]]) -> None:
        self.add(f"{label}: ")
        for i, (name, addr) in enumerate(pairs):
            if i:
                self.add(", ")
            self.add_field(label, name)
            if addr:
                self.add(" <" if name else "<")
                self.add_field(label, addr)
                self.add(">")
        self.add("\n")


def bodies_and_attachments(msg: Message) -> Iterator[tuple[str, Message]]:
    """('body' | 'attachment' | 'encrypted', part) for every leaf, not descending into attached messages."""
    ctype = content_type(msg)
    if ctype in _ENCRYPTED_TYPES:
        yield "encrypted", msg
    elif msg.is_multipart() and ctype not in MESSAGE_TYPES:
        payload = msg.get_payload()
        for part in payload if isinstance(payload, list) else []:
            yield from bodies_and_attachments(part)
    elif ctype in MESSAGE_TYPES:
        yield "attachment", msg
    elif ctype in ("text/plain", "text/html") and not _is_attachment(msg):
        yield "body", msg
    else:
        yield "attachment", msg


def body_text(part: Message, limit: int) -> str:
    try:
        text = _text_content(part)
    except Exception:  # unknown charset, bad transfer encoding
        raw = part.get_payload(decode=True) or b""
        text = raw.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = bytes(text).decode("utf-8", errors="replace")
    text = text[:limit]
    return html_to_text(text) if content_type(part) == "text/html" or looks_like_html(text) else text


_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html\b|<head\b|<body\b|<div\b|<p\b|<table\b|<meta\b)",
                         re.IGNORECASE)
_HTML_MARKS = re.compile(r"<(?:p|br|div|td|span|b|strong|font)\b[^>]*>|&nbsp;|&amp;", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """A text/plain body that is HTML (mailers and exporters do this): read as HTML, so
    `<p>&nbsp;Ravi Anand` reads as `Ravi Anand` in every copy of the message."""
    return bool(_HTML_START.match(text)) or len(_HTML_MARKS.findall(text[:20000])) >= 3


def message_text(msg: Message, limit: int) -> Extracted:
    out = _TextBuilder()
    # Each msg.get() walks every header: the ~19 names asked for are first checked against the names
    # the message has (a header it lacks gives no line either way).
    present = {name.lower() for name in msg.keys()}
    for name in ADDRESS_HEADERS:
        pairs = _READ_ONCE.read(addresses, msg, name) if name.lower() in present else []
        if pairs:
            out.address_line(name, pairs)
    for name in NAME_ONLY_HEADERS:
        value = _READ_ONCE.read(header_text, msg, name) if name.lower() in present else ""
        if value:
            out.add(f"{name}: ")
            out.add_field(name, value)
            out.add("\n")
    for name in ("Subject", "Date"):
        value = _READ_ONCE.read(header_text, msg, name) if name.lower() in present else ""
        if value:
            out.add(f"{name}: {value}\n")
    for kind, part in bodies_and_attachments(msg):
        if kind == "body" and out.length < limit:
            out.add("\n" + body_text(part, limit - out.length) + "\n")
    return Extracted(out.parts, out.fields)


def attachment_name(part: Message, n: int) -> str:
    return _PART_ONCE.read(_read_attachment_name, part) or f"attachment-{n}"


def _read_attachment_name(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return _CONTROL.sub(" ", name).replace("\\", "/").rsplit("/", 1)[-1].strip()


def attachment_bytes(part: Message) -> bytes:
    if content_type(part) in MESSAGE_TYPES:
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, Message):
            try:
                return message_bytes(inner)
            except Exception:
                return message_bytes(inner, policy.compat32)
    return part.get_payload(decode=True) or b""


def message_members(blob: Blob, msg: Message, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
    budget = ContainerBudget(ctx, decompresses=False)
    unique = NameDeduper()
    n = 0
    for kind, part in bodies_and_attachments(msg):
        if kind == "body":
            continue
        n += 1
        budget.next_member()
        location = blob.location.child(unique(attachment_name(part, n)))
        if kind == "encrypted":
            yield Skipped(location, "encrypted", "encrypted, not scanned", mtime=blob.mtime)
            continue
        yield from _attachment(location, part, budget, blob.mtime)
    budget.raise_if_incomplete()


def _attachment(location, part: Message, budget: ContainerBudget, mtime) -> Iterator[Blob | Skipped]:
    try:
        data = attachment_bytes(part)
    except Exception as exc:
        yield Skipped(location, "error", f"attachment: undecodable ({type(exc).__name__})", mtime=mtime)
        return
    if len(data) > budget.limits.max_member_bytes:
        yield budget.skipped(location, LimitExceeded("max_member_bytes", f"{len(data)} bytes"), len(data), mtime)
        return
    budget.charge(len(data))
    hint = "message/rfc822" if content_type(part) in MESSAGE_TYPES else None
    yield from released(Blob(location, len(data), mtime=mtime, data=data, mime_hint=hint), budget.ctx.tmpdir)


class MessageContainer:
    """The tree `members` parses is kept for `own_text`, which the dispatcher asks for next (post-order):
    one parse per message. An attached message read in between takes the slot; then it parses again."""

    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        msg = parse(blob, ctx)
        ctx.keep_parse(blob, msg)
        yield from message_members(blob, msg, ctx)

    def own_text(self, blob: Blob, ctx: ExploreContext) -> Extracted:
        msg = ctx.take_parse(blob)     # a Message with no header is falsy: test for None
        return message_text(parse(blob, ctx) if msg is None else msg, ctx.limits.max_text_bytes)
