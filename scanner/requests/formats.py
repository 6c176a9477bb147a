"""Which files an erasure can edit in place, and how (by the MIME type the scan sniffed)."""
from __future__ import annotations

import os

_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = {_OOXML + "wordprocessingml.document"}
XLSX = {_OOXML + "spreadsheetml.sheet"}
ODT = {"application/vnd.oasis.opendocument.text"}
CSV = {"text/csv", "application/csv"}
TSV = {"text/tab-separated-values"}
TEXT_LIKE = {"application/json", "text/json", "application/x-ndjson", "application/xml", "application/xhtml+xml"}
MBOX = {"application/mbox"}
MESSAGE = {"message/rfc822"}
MBOX_MESSAGE = "mbox-message"   # the editor of a message inside an mbox: the .eml editor, mailbox rewritten


def editor_for(mime: str | None) -> str | None:
    """`text`, `csv`, `tsv`, `docx`, `xlsx`, `odt`, `eml`, or None when the format is not edited in place."""
    mime = mime or ""
    for name, mimes in (("csv", CSV), ("tsv", TSV), ("docx", DOCX), ("xlsx", XLSX), ("odt", ODT), ("eml", MESSAGE)):
        if mime in mimes:
            return name
    if mime in TEXT_LIKE or mime.startswith("text/"):
        return "text"
    return None


def writable(path: str) -> bool:
    """The file can be replaced: it is writable and so is its directory (we write a temp file + rename).

    A file with no write bit at all was marked read-only on purpose; root could
    still write it (os.access says yes), but we treat it as read-only.
    """
    if not os.stat(path).st_mode & 0o222:
        return False
    return os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK | os.X_OK)
