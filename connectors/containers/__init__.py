"""Containers: archives, mailboxes, messages. Each yields member blobs.

A container is an object with `members(blob, ctx) -> Iterator[Blob | Skipped]`
and, optionally, `own_text(blob, ctx) -> Extracted | None` (a message's
headers and bodies). Register it by MIME type in CONTAINERS (the type
libmagic reports for the real file).

Member names in URIs: archive members as stored (without a leading `./` or
`/`), messages as `<Message-ID>` (`message-N`, 1-based, without one), PST
messages after their folder path, attachments by file name (`attachment-N`
without one). A name that clashes with an earlier one in the same container
becomes `name (2)`, `name (3)`... so every location stays unique.
"""
from __future__ import annotations

from ..blob import Blob
from .compressed import CompressedFile, OPENERS, holds_tar
from .mbox import MboxContainer
from .msg import MsgContainer
from .pdf import PdfContainer
from .pst import PstContainer, is_pst
from .rfc822 import MessageContainer, looks_like_message
from .sevenzip import SevenZipContainer
from .tar import TarContainer
from .tnef import TNEF_MIME, TnefContainer
from .zip import ZipContainer

_TAR_STREAM = TarContainer(streaming=True)
_OUTLOOK_MSG = MsgContainer()
_PST = PstContainer()
_MESSAGE = MessageContainer()
_MSG_STREAM_NAME = "__substg1.0_".encode("utf-16-le")   # directory entry names of an Outlook item

CONTAINERS: dict[str, object] = {
    "application/zip": ZipContainer(),
    "application/epub+zip": ZipContainer(),     # an e-book: XHTML chapters in a zip
    "application/x-tar": TarContainer(streaming=False),
    "application/x-7z-compressed": SevenZipContainer(),
    "application/mbox": MboxContainer(),
    "message/rfc822": _MESSAGE,
    "application/vnd.ms-outlook": _OUTLOOK_MSG,
    "application/pdf": PdfContainer(),          # embedded files and file attachments are members
    TNEF_MIME: TnefContainer(),                 # winmail.dat; libmagic knows it by its signature
    **{mime: CompressedFile(mime) for mime in OPENERS},
}


def container_for(mime: str, blob: Blob):
    if mime in OPENERS and holds_tar(mime, blob):
        return _TAR_STREAM          # a gzip/bzip2/xz whose content is a tar
    if mime == "application/vnd.ms-outlook" and is_pst(blob):
        return _PST                 # libmagic names .pst/.ost and .msg alike
    if mime == "application/x-ole-storage" and _MSG_STREAM_NAME in blob.head():
        return _OUTLOOK_MSG         # a damaged .msg libmagic no longer names, still a message
    if mime == "text/plain" and looks_like_message(blob.head()):
        return _MESSAGE             # an .eml whose first header libmagic does not know
    return CONTAINERS.get(mime)
