"""Scanned PDF pages: rendered with PDFium and read by OCR where the text layer falls short.

A page is read when its text layer has fewer than `ocr_min_page_chars`
characters and something is drawn on it, or when images cover at least
`ocr_min_image_cover` of it and its text layer is short (a stamp or a Bates
number on a scan, up to `ocr_max_text_layer_chars`). Such a page is rendered at the
resolution of its largest image (150-300 dpi; lower if `ocr_max_image_pixels`
demands), and its recognised text follows its text layer. Every page starts
a PageMark, so a finding names its page.
"""
from __future__ import annotations

import hashlib
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import PageText
from . import read_page

_MIN_DPI, _MAX_DPI, _FLOOR_DPI = 150, 300, 100


def ocr_scanned_pages(texts: Iterator[str], blob: Blob, ctx: ExploreContext) -> Iterator[str]:
    """Each page's text layer as a PageText; scanned pages with their recognised text added."""
    limits = ctx.limits
    pdf = None
    read = 0
    try:
        for index, text in enumerate(texts):
            page_no = index + 1
            chars = len(text.strip())
            if not limits.ocr or chars >= limits.ocr_max_text_layer_chars:
                yield PageText(text, page_no)
                continue
            if pdf is None:
                pdf = _open(blob)
            page = pdf[index] if pdf is not False and index < len(pdf) else None
            cover, dpi = _images(page) if page is not None else (0.0, 0)
            if page is None or not _needs_ocr(page, chars, cover, limits):
                yield PageText(text, page_no)
                continue
            if read >= limits.ocr_max_pages:
                yield PageText(text, page_no, ocr=True, note="limit: ocr_max_pages")
                continue
            read += 1
            yield _read(page, page_no, text, dpi, ctx)
    finally:
        if pdf is not None:
            pdf.close()


def _open(blob: Blob):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(blob.path if blob.path is not None else blob.data, password="")
    except Exception:       # damaged or encrypted for PDFium: the text layer alone is kept
        return False


def _images(page) -> tuple[float, int]:
    """(share of the page covered by images, effective dpi of the largest image)."""
    import pypdfium2.raw as pdfium_c
    width, height = page.get_size()
    area = max(width * height, 1.0)
    covered, best, dpi = 0.0, 0.0, 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        placed = max(right - left, 0) * max(top - bottom, 0)
        covered += placed
        if placed > best and right > left:
            best, dpi = placed, round(obj.get_px_size()[0] / ((right - left) / 72))
    return min(covered / area, 1.0), dpi


def _needs_ocr(page, chars: int, cover: float, limits) -> bool:
    if chars < limits.ocr_min_page_chars:
        return cover > 0.05 or _has_drawing(page)
    return cover >= limits.ocr_min_image_cover


def _has_drawing(page) -> bool:
    """Vector paths: text drawn as outlines (a PDF 'printed' from a scanner or with text as curves)."""
    import pypdfium2.raw as pdfium_c
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2))


def _read(page, page_no: int, text: str, dpi: int, ctx: ExploreContext) -> PageText:
    from . import skipped_page
    width, height = page.get_size()
    dpi = min(max(dpi or _MAX_DPI, _MIN_DPI), _MAX_DPI)
    fit = (ctx.limits.ocr_max_image_pixels / max(width * height / 72 / 72, 1e-6)) ** 0.5
    if fit < _FLOOR_DPI:
        return PageText(text + skipped_page(page_no, "", ""), page_no, ocr=True,
                        note=f"limit: ocr_max_image_pixels (page {page_no})")
    image = page.render(scale=min(dpi, fit) / 72, grayscale=True).to_pil()
    key = hashlib.sha256(image.tobytes()).hexdigest()
    found = read_page(image, key, ctx, page_no)
    return PageText(text + found, page_no, ocr=True, note=found.note)
