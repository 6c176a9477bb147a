"""Outlook .msg files (extract-msg): headers, body and every string property as text;
attachments, including embedded messages, as members."""
from __future__ import annotations

import email.utils
import logging
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted, Skipped
from ..errors import CorruptError, EncryptedError
from ..limits import LimitExceeded
from .budget import ContainerBudget, NameDeduper, released
from .html_text import html_to_text
from .rfc822 import _TextBuilder

# extract-msg logs property values it cannot decode; those may be personal data.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)

_RECIPIENT_HEADERS = {1: "To", 2: "Cc", 3: "Bcc"}
_STRING_STREAM = ("001F", "001E")
_SKIP_PROPERTIES = ("1000", "1013", "1009", "007D", "001A", "0C1F", "0065", "5D01")  # bodies, headers, routing


def _clean(value) -> str:
    return str(value or "").replace("\x00", "").strip()


def open_msg(blob: Blob, ctx: ExploreContext):
    """The Outlook item, open (close it with `_close`)."""
    if blob.size > ctx.limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", f"{blob.size} bytes")
    import extract_msg   # 0.2 s of imports (bs4, lark...): paid only where an Outlook item is met

    try:
        return extract_msg.openMsg(blob.local_path(ctx.tmpdir), strict=False)
    except Exception as exc:
        raise CorruptError(f"msg: not a valid Outlook item ({type(exc).__name__})") from None


def _close(msg) -> None:
    try:
        msg.close()
    except Exception:
        pass


def _recipients(msg) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    sender = _clean(getattr(msg, "sender", ""))
    if sender:
        found["From"] = _sender_pairs(sender)
    for r in getattr(msg, "recipients", None) or []:
        header = _RECIPIENT_HEADERS.get(int(getattr(r, "type", 1) or 1), "To")
        name, addr = _clean(r.name), _clean(r.email)
        found.setdefault(header, []).append((name if name != addr else "", addr if "@" in addr else ""))
    return found


def _sender_pairs(sender: str) -> list[tuple[str, str]]:
    if "@" not in sender:   # a bare display name ("Lowe, Charles"): not an address list
        return [(sender, "")]
    pairs = email.utils.getaddresses([sender])
    return [(n, a) if "@" in a else (n or a, "") for n, a in pairs if n or a] or [(sender, "")]


def _body(msg) -> str:
    body = _clean(_guard(lambda: msg.body))
    if body:
        return body
    html = _guard(lambda: msg.htmlBody) or b""
    return html_to_text(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)


def _guard(getter):
    try:
        return getter()
    except Exception:   # a missing or undecodable property
        return None


def _other_strings(msg, seen: str) -> list[str]:
    """Every other top-level string property: contacts, notes and tasks keep their data there."""
    values = []
    for path in _guard(lambda: msg.listDir(streams=True, storages=False)) or []:
        if len(path) != 1 or not path[0].startswith("__substg1.0_") or path[0][-4:] not in _STRING_STREAM:
            continue
        if path[0][12:16] in _SKIP_PROPERTIES:
            continue
        value = _clean(_guard(lambda: msg.getStringStream(path[0][:-4])))
        if value and value not in seen and value not in values:
            values.append(value)
    return values


def outlook_text(msg, limit: int) -> Extracted:
    out = _TextBuilder()
    for header, pairs in _recipients(msg).items():
        out.address_line(header, pairs)
    subject = _clean(_guard(lambda: msg.subject))
    if subject:
        out.add(f"Subject: {subject}\n")
    date = _guard(lambda: msg.date)
    if date:
        out.add(f"Date: {date}\n")
    body = _body(msg)[:limit]
    out.add("\n" + body + "\n")
    seen = "".join(out.parts)
    for value in _other_strings(msg, seen):
        if out.length > limit:
            break
        out.add(value + "\n")
    return Extracted(out.parts, out.fields)


def _attachment_name(att, n: int) -> str:
    for attr in ("longFilename", "shortFilename", "displayName"):
        name = _clean(_guard(lambda: getattr(att, attr, None)))
        if name:
            return name.replace("\\", "/").rsplit("/", 1)[-1] or f"attachment-{n}"
    return f"attachment-{n}"


def _attachment_blob(att, location, budget: ContainerBudget, mtime) -> Blob | Skipped:
    from extract_msg.enums import AttachmentType   # loaded by open_msg() already

    kind = _guard(lambda: att.type)
    if kind == AttachmentType.MSG:
        data, hint = att.data.exportBytes(), "application/vnd.ms-outlook"
    elif kind == AttachmentType.DATA:
        data, hint = att.data, None
    else:
        return Skipped(location, "skipped", f"msg: {getattr(kind, 'name', 'unknown').lower()} attachment not read")
    if not isinstance(data, (bytes, bytearray)):
        return Skipped(location, "error", "msg: attachment data unreadable")
    if len(data) > budget.limits.max_member_bytes:
        return budget.skipped(location, LimitExceeded("max_member_bytes", f"{len(data)} bytes"), len(data))
    budget.charge(len(data))
    return Blob(location, len(data), mtime=mtime, data=bytes(data), mime_hint=hint)


class MsgContainer:
    """Opening an item is most of its cost: the item `members` opens is kept open for `own_text`,
    which the dispatcher asks for next (post-order), and closed there."""

    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        msg = open_msg(blob, ctx)
        try:
            if _clean(getattr(msg, "classType", "")).upper().startswith("IPM.NOTE.SMIME") and \
                    "MULTIPARTSIGNED" not in _clean(msg.classType).upper():
                raise EncryptedError("msg: S/MIME encrypted, not scanned")
        except BaseException:
            _close(msg)
            raise
        ctx.keep_parse(blob, msg, close=lambda: _close(msg))
        yield from self._attachments(blob, msg, ctx)

    def _attachments(self, blob: Blob, msg, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        budget = ContainerBudget(ctx, decompresses=False)
        unique = NameDeduper()
        for n, att in enumerate(_guard(lambda: msg.attachments) or [], start=1):
            budget.next_member()
            location = blob.location.child(unique(_attachment_name(att, n)))
            try:
                member = _attachment_blob(att, location, budget, blob.mtime)
            except LimitExceeded:
                raise
            except Exception as exc:
                member = Skipped(location, "error", f"msg: attachment unreadable ({type(exc).__name__})")
            if isinstance(member, Blob):
                yield from released(member, ctx.tmpdir)   # a nested .msg/.7z may get a temp file
            else:
                yield member
        budget.raise_if_incomplete()

    def own_text(self, blob: Blob, ctx: ExploreContext) -> Extracted:
        msg = ctx.take_parse(blob)
        if msg is None:
            msg = open_msg(blob, ctx)
        try:
            return outlook_text(msg, ctx.limits.max_text_bytes)
        finally:
            _close(msg)
