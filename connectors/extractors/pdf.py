"""PDF text layer (pdfminer.six), page by page.

A PDF that needs a password raises EncryptedError; one encrypted with an
empty user password (owner restrictions only) opens for anyone and is read.
A scanned page (no text layer, or a short one on a page that is mostly image)
is read by OCR (`_with_ocr`, connectors/ocr/pdf_pages.py).
"""
from __future__ import annotations

import html
import io
import itertools
import logging
import re
from typing import BinaryIO, Iterator

from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.utils import decode_text

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import EncryptedError
from ..limits import LimitExceeded
from .common import call_guarded, capped, guarded
from .pdf_forms import form_text


def _silence_pdfminer() -> None:
    """pdfminer logs the bytes it cannot parse; those may be personal data, so its logs go
    nowhere: no record is even created (level above CRITICAL for every pdfminer.* logger without
    a level of its own) and none would reach the root's handlers. Applied at import and again
    before every PDF, so a later logging set-up in the same process cannot undo it."""
    log = logging.getLogger("pdfminer")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.setLevel(logging.CRITICAL + 1)
    log.propagate = False


_silence_pdfminer()


class _CappedConverter(TextConverter):
    """TextConverter that gives up on a page holding more than `max_page_chars` characters.

    pdfminer holds every character of a page as an object (~2 KB each) until the page ends: a
    100 KB PDF drawing 1.6M characters on one page took 3 GB (Limits.max_page_chars).
    """

    def __init__(self, *args, max_page_chars: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_page_chars = max_page_chars

    def begin_page(self, page, ctm) -> None:
        self._page_chars = 0
        super().begin_page(page, ctm)

    def render_char(self, *args, **kwargs) -> float:
        self._page_chars += 1
        if self._page_chars > self.max_page_chars:
            raise LimitExceeded("max_page_chars", f"a PDF page with more than {self.max_page_chars} characters")
        return super().render_char(*args, **kwargs)


def open_document(stream: BinaryIO) -> PDFDocument:
    """The parsed document, opened with the empty user password (EncryptedError if it needs one)."""
    try:
        return PDFDocument(PDFParser(stream), password="")
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise EncryptedError("pdf: password protected") from None


def _pages(doc: PDFDocument, stream: BinaryIO, max_page_chars: int) -> Iterator[str]:
    try:
        manager = PDFResourceManager(caching=True)
        out = io.StringIO()
        # boxes_flow=None: no hierarchical grouping of text boxes, which is quadratic in memory (a
        # 100 KB page of 400k characters took 24 GB); boxes are ordered by position instead.
        with _CappedConverter(manager, out, laparams=LAParams(boxes_flow=None),
                              max_page_chars=max_page_chars) as device:
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(doc):
                interpreter.process_page(page)
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    finally:
        stream.close()


_INFO_PEOPLE = ("Author", "Creator", "Producer", "Title", "Subject", "Keywords")
_XMP_PEOPLE = re.compile(r"<(dc:creator|pdf:Author|xmp:CreatorTool|xmpRights:Owner|dc:contributor)\b[^>]*>"
                         r"(.{0,2000}?)</\1>", re.DOTALL)
_XMP_VALUE = re.compile(r"<rdf:li\b[^>]*>([^<]{1,300})</rdf:li>|^([^<]{1,300})$")


def properties(doc: PDFDocument) -> Iterator[str]:
    """The Info dictionary's author, creator, title... and XMP's dc:creator / pdf:Author, one per line:
    a letter's author is often named nowhere else."""
    lines: list[str] = []
    for info in doc.info or []:
        for key in _INFO_PEOPLE:
            value = _pdf_text(resolve1(info.get(key))) if isinstance(info, dict) else ""
            if value and f"{key}: {value}" not in lines:
                lines.append(f"{key}: {value}")
    xmp = _xmp(doc)
    for _tag, block in _XMP_PEOPLE.findall(xmp):
        for li, bare in _XMP_VALUE.findall(block.strip()):
            value = html.unescape((li or bare).strip())
            if value and f"Author: {value}" not in lines:
                lines.append(f"Author: {value}")
    if lines:
        yield "\n" + "\n".join(lines) + "\n"


def _pdf_text(value) -> str:
    if isinstance(value, bytes):
        value = decode_text(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _xmp(doc: PDFDocument) -> str:
    try:
        stream = resolve1(doc.catalog.get("Metadata"))
        data = stream.get_data() if isinstance(stream, PDFStream) else b""
    except Exception:   # a broken metadata stream: the pages were read, the properties are lost
        return ""
    return data[:4 * 1024 * 1024].decode("utf-8", errors="replace")


def extract_pdf(blob: Blob, ctx: ExploreContext) -> Extracted:
    _silence_pdfminer()
    stream = blob.open()
    try:
        doc = call_guarded("pdf", "not a valid file", lambda: open_document(stream))
        forms = form_values(doc, ctx)
    except BaseException:
        stream.close()
        raise
    try:
        people = list(properties(doc))   # now: the stream closes after the last page
    except Exception:                    # broken properties never cost the pages
        people = []
    pages = _with_ocr(_pages(doc, stream, ctx.limits.max_page_chars), blob, ctx)
    # form data and properties follow the last page (the page they are counted on)
    return Extracted.paged(capped(guarded("pdf", itertools.chain(pages, forms, people)), ctx))


def form_values(doc: PDFDocument, ctx: ExploreContext) -> list[str]:
    """XFA data and AcroForm values (pdf_forms), read now while the file is open; a damaged form
    costs only itself (the pages are still read)."""
    try:
        return list(form_text(doc, ctx.limits.max_text_bytes))
    except (LimitExceeded, MemoryError):
        raise
    except Exception:
        ctx.counters["pdf_form_unreadable"] = ctx.counters.get("pdf_form_unreadable", 0) + 1
        return []


def _with_ocr(pages: Iterator[str], blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    """The OCR hook: each page starts a PageMark; a scanned page gets its recognised text too."""
    from ..ocr.pdf_pages import ocr_scanned_pages
    return ocr_scanned_pages(pages, blob, ctx)
