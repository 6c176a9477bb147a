"""Outlook TNEF streams (winmail.dat, application/vnd.ms-tnef; MS-OXTNEF) with tnefparse: the
message's body and string properties as text (tnef_text), every attachment as a member, an
attached Outlook message as a member of its own (a TNEF stream, opened in turn).

tnefparse trusts the stream (tnef_stream walks the framing first), copies the rest of the stream
for every attribute it reads (quadratic on a large file) and parses attached messages eagerly, to
any depth. So it is handed one attribute at a time, and attached messages are left to the
dispatcher, which limits their depth. A stream whose framing breaks keeps the attachments read
before the break and is recorded as an error; so is one with bad checksums, once every attachment
has been read (the framing held, so what they hold is still scanned).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted, Skipped
from ..errors import ConnectorError, CorruptError
from ..limits import LimitExceeded
from .budget import ContainerBudget, MemberLimit, NameDeduper, released
from .tnef_stream import ATTACHMENT, PT_STRING, Attribute, Stream, clean, decode_mapi, read_stream
from .tnef_text import message_text

TNEF_MIME = "application/vnd.ms-tnef"
_ATT_ATTACH_REND_DATA = 0x9002               # opens each attachment
_ATT_ATTACH_DATA, _ATT_ATTACHMENT = 0x800F, 0x9005   # its bytes; its MAPI properties
_PR_DISPLAY_NAME, _PR_ATTACH_DATA_OBJ, _PR_ATTACH_LONG_FILENAME = 0x3001, 0x3701, 0x3707
_IID_IMESSAGE = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"  # an attached message
_PT_OBJECT, _PT_BINARY = 0x000D, 0x0102
MAX_ATTACHMENT_ATTRIBUTES = 1024             # a real attachment has fewer than ten


@dataclass
class _Attachment:
    name: str
    data: bytes | None       # None: the attachment holds no bytes (a link, a reference)
    mime_hint: str | None = None


def _groups(stream: Stream) -> Iterator[tuple[list[Attribute], bool]]:
    """Attachment-level attributes, one list per attachment (attAttachRendData opens each), with
    whether the stream broke off inside it."""
    group: list[Attribute] = []
    for a in stream.walk():
        if a.level != ATTACHMENT:
            continue
        if a.ident == _ATT_ATTACH_REND_DATA and group:
            yield group, False
            group = []
        group.append(a)
        if len(group) > MAX_ATTACHMENT_ATTRIBUTES:
            raise CorruptError(f"tnef: an attachment with more than {MAX_ATTACHMENT_ATTRIBUTES} attributes")
    if group:
        yield group, stream.broken is not None


def _attached_message(props) -> bytes | None:
    """An attached Outlook message: PR_ATTACH_DATA_OBJ holding IID_IMessage, then a TNEF stream."""
    for p in props:
        if p.name == _PR_ATTACH_DATA_OBJ and p.raw_data and bytes(p.raw_data[0]).startswith(_IID_IMESSAGE):
            return bytes(p.raw_data[0])[len(_IID_IMESSAGE):]   # raw: tnefparse's .data strips trailing NULs
    return None


def _attached_object(props, payload: bytes) -> bytes | None:
    """The bytes of an attachment kept in its MAPI properties, not in attAttachData: an embedded OLE
    object (ATTACH_OLE: PT_OBJECT, an interface ID then the compound file) or PR_ATTACH_DATA_BIN.
    tnefparse's .data strips trailing NULs and keeps the interface ID; its raw value is padded to 4
    bytes, so the declared length (just before the value in the list) cuts it back."""
    for p in props:
        if p.name == _PR_ATTACH_DATA_OBJ and p.raw_data and p.attr_type in (_PT_OBJECT, _PT_BINARY):
            raw = _unpadded(bytes(p.raw_data[0]), payload)
            if p.attr_type == _PT_BINARY:
                return raw
            if not raw.startswith(_IID_IMESSAGE):
                return raw[len(_IID_IMESSAGE):]
    return None


def _unpadded(raw: bytes, payload: bytes) -> bytes:
    at = payload.find(raw)
    if at >= 4:
        declared = int.from_bytes(payload[at - 4:at], "little")
        if len(raw) - 3 <= declared <= len(raw):
            return raw[:declared]
    return raw


def _prop_text(props, prop_id: int) -> str:
    for p in props:
        if p.name == prop_id and p.attr_type in PT_STRING:
            return clean(p.data)
    return ""


def _short_name(att, codepage: str) -> str:
    try:
        return clean(att.name)
    except Exception:   # tnefparse decodes attAttachTitle as UTF-8; it is in the OEM code page
        raw = getattr(att, "_name", b"")
        return clean(raw.decode(codepage, errors="replace") if isinstance(raw, bytes) else raw)


def _file_name(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _attachment(stream: Stream, group: list[Attribute], n: int) -> _Attachment:
    from tnefparse.tnef import TNEFAttachment, TNEFObject

    att = TNEFAttachment(stream.codepage)
    message, props, has_data, payload = None, [], False, b""
    for a in group:
        if a.ident == _ATT_ATTACHMENT:
            payload = stream.payload(a)
            props = decode_mapi(payload, stream.codepage)   # checked before add_attr decodes it
            message = _attached_message(props)
            if message is not None:
                continue   # read here, not by add_attr, which would parse the attached message at once
        has_data = has_data or a.ident == _ATT_ATTACH_DATA
        att.add_attr(TNEFObject(stream.raw(a), do_checksum=False))
    candidates = (_prop_text(att.mapi_attrs, _PR_ATTACH_LONG_FILENAME),   # long name, 8.3 name, title
                  _prop_text(props, _PR_ATTACH_LONG_FILENAME), _short_name(att, stream.codepage),
                  _prop_text(props, _PR_DISPLAY_NAME))
    name = next((f for f in map(_file_name, candidates) if f), f"attachment-{n}")
    if message is not None:
        return _Attachment(name, message, TNEF_MIME)
    held = None if has_data else _attached_object(props, payload)
    if held:
        return _Attachment(name, held)
    data = att.data if isinstance(att.data, (bytes, bytearray)) else b""
    return _Attachment(name, bytes(data) if (data or has_data) else None)


def _member(stream: Stream, group: list[Attribute], cut: bool, n: int, blob: Blob,
            budget: ContainerBudget, unique: NameDeduper) -> Blob | Skipped:
    try:
        found = _attachment(stream, group, n)
    except LimitExceeded:
        raise
    except Exception as exc:   # tnefparse raises anything on a damaged attachment: this one only
        why = (str(exc) if isinstance(exc, ConnectorError)
               else f"tnef: attachment unreadable ({type(exc).__name__})")
        return Skipped(blob.location.child(unique(f"attachment-{n}")), "error", why, mtime=blob.mtime)
    location = blob.location.child(unique(found.name))
    if found.data is None:
        if cut:
            return Skipped(location, "error", "tnef: attachment cut off with the stream", mtime=blob.mtime)
        return Skipped(location, "skipped", "tnef: attachment holds no data (a link or reference)",
                       mtime=blob.mtime)
    try:
        budget.check_declared(len(found.data), None)
    except MemberLimit as exc:
        return budget.skipped(location, exc, len(found.data), blob.mtime)
    budget.charge(len(found.data))
    return Blob(location, len(found.data), mtime=blob.mtime, data=found.data, mime_hint=found.mime_hint)


class TnefContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        stream = read_stream(blob, ctx)
        # Members are the stream's own bytes, never decompressed: they cannot amplify (as for mail).
        budget = ContainerBudget(ctx, decompresses=False)
        unique = NameDeduper()
        for n, (group, cut) in enumerate(_groups(stream), start=1):
            budget.next_member()
            member = _member(stream, group, cut, n, blob, budget, unique)
            if isinstance(member, Blob):
                yield from released(member, ctx.tmpdir)
            else:
                yield member
        budget.raise_if_incomplete()
        if stream.broken:
            raise CorruptError(f"tnef: {stream.broken}")
        if stream.bad_checksums:
            raise CorruptError(f"tnef: {stream.bad_checksums} attribute checksum(s) wrong")

    def own_text(self, blob: Blob, ctx: ExploreContext) -> Extracted:
        return message_text(read_stream(blob, ctx), blob, ctx)
