"""Outlook .pst/.ost (libpff via pypff): every message becomes an RFC 822 message blob.

libpff needs a real path (`blob.local_path`). Each message is rebuilt as an
`EmailMessage` (headers from its transport headers, else from its MAPI
properties and recipient table; bodies; attachments) and yielded at
`<folder path>/<Message-ID>`, the folder path taken below the store's
top-level folder (`Top of Personal Folders/Inbox` -> `Inbox`), so the
message container does the rest.
"""
from __future__ import annotations

import struct
from email.message import EmailMessage
from typing import Iterator

import pypff

from ..blob import Blob
from ..context import ExploreContext
from ..document import Skipped
from ..errors import CorruptError
from ..limits import LimitExceeded
from .budget import ContainerBudget, NameDeduper, released
from .pst_message import Attachment, Left, message_parts
from .stable_bytes import message_bytes

PST_MAGIC = b"!BDN"
MAX_FOLDER_DEPTH = 64   # a damaged folder tree must not recurse without end


def is_pst(blob: Blob) -> bool:
    return blob.head()[:4] == PST_MAGIC


def declared_size(head: bytes) -> int | None:
    """The file size the PST header records (root.ibFileEof, [MS-PST] 2.2.2.6)."""
    try:
        version = struct.unpack_from("<H", head, 10)[0]
        if version >= 23:                                   # Unicode PST/OST
            return struct.unpack_from("<Q", head, 184)[0]
        if version in (14, 15):                             # ANSI
            return struct.unpack_from("<I", head, 168)[0]
    except struct.error:
        return None
    return None


def _opened(blob: Blob, ctx: ExploreContext):
    store = pypff.file()
    try:
        store.open(blob.local_path(ctx.tmpdir))
        root = store.get_root_folder()
    except Exception as exc:
        raise CorruptError(f"pst: refused by libpff ({type(exc).__name__})") from None
    return store, root


class PstContainer:
    def members(self, blob: Blob, ctx: ExploreContext) -> Iterator[Blob | Skipped]:
        store, root = _opened(blob, ctx)
        try:
            budget = ContainerBudget(ctx, decompresses=False)
            unique = NameDeduper()
            for top in _sub_folders(root):          # "Top of Personal Folders", search roots...
                yield from self._folder(blob, top, "", budget, unique, ctx)
            budget.raise_if_incomplete()
        finally:
            store.close()
        declared = declared_size(blob.head())
        if declared and blob.size < declared:
            # libpff reads what is there; say that the rest is missing.
            raise CorruptError(f"pst: truncated ({blob.size} of {declared} bytes)")

    def _folder(self, blob, folder, path: str, budget, unique, ctx) -> Iterator[Blob | Skipped]:
        for n, message in enumerate(_sub_messages(folder), start=1):
            budget.next_member()
            yield from self._message(blob, message, path, n, budget, unique, ctx)
        if path.count("/") >= MAX_FOLDER_DEPTH:
            yield Skipped(blob.location.child(path.rstrip("/")), "skipped", "pst: folders nested too deeply")
            return
        for sub in _sub_folders(folder):
            name = (_guard(lambda: sub.name) or "(unnamed)").replace("\x00", "")
            yield from self._folder(blob, sub, f"{path}{name}/", budget, unique, ctx)

    def _message(self, blob, message, path, n, budget: ContainerBudget, unique, ctx):
        try:
            email_message, message_id, left = build_email(message, ctx.limits.max_member_bytes)
            data = message_bytes(email_message)
        except LimitExceeded:
            raise
        except Exception as exc:
            yield Skipped(blob.location.child(unique(f"{path}message-{n}")), "error",
                          f"pst: message unreadable ({type(exc).__name__})")
            return
        location = blob.location.child(unique(f"{path}{message_id or f'message-{n}'}"))
        for att in left:
            if att.limit:
                yield budget.skipped(location.child(att.name), LimitExceeded(att.limit, att.reason), att.size)
            else:
                yield Skipped(location.child(att.name), att.status, att.reason, size=att.size)
        if len(data) > ctx.limits.max_member_bytes:
            yield budget.skipped(location, LimitExceeded("max_member_bytes", f"{len(data)} bytes"), len(data))
            return
        budget.charge(len(data))
        yield from released(Blob(location, len(data), mtime=blob.mtime, data=data, mime_hint="message/rfc822"),
                            ctx.tmpdir)


def build_email(message, max_attachment: int) -> tuple[EmailMessage, str | None, list[Left]]:
    """The message as an EmailMessage, its Message-ID, and the attachments left out."""
    parts = message_parts(message)
    out = EmailMessage()
    for name, value in parts.headers.items():
        try:
            out[name] = value
        except Exception:   # a value the header classes refuse: keep it as plain text
            out[name] = value.encode("ascii", "replace").decode()
    if parts.plain or not parts.html:
        out.set_content(parts.plain or "")
        if parts.html:
            out.add_alternative(parts.html, subtype="html")
    else:
        out.set_content(parts.html, subtype="html")
    left = []
    for att in parts.attachments(max_attachment):
        if isinstance(att, Left):
            left.append(att)
        else:
            _attach(out, att)
    return out, parts.headers.get("Message-ID"), left


def _attach(out: EmailMessage, att: Attachment) -> None:
    if att.message is not None:
        out.add_attachment(att.message, filename=att.name)      # message/rfc822
        return
    # Declared as octet-stream: the dispatcher sniffs the real format from the bytes.
    out.add_attachment(att.data, maintype="application", subtype="octet-stream", filename=att.name)


def _guard(getter):
    try:
        return getter()
    except Exception:
        return None


def _sub_folders(folder) -> list:
    count = _guard(lambda: folder.number_of_sub_folders) or 0
    return [f for f in (_guard(lambda i=i: folder.get_sub_folder(i)) for i in range(count)) if f is not None]


def _sub_messages(folder) -> Iterator:
    count = _guard(lambda: folder.number_of_sub_messages) or 0
    for i in range(count):
        message = _guard(lambda i=i: folder.get_sub_message(i))
        if message is not None:
            yield message
