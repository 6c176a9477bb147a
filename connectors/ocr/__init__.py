"""OCR for scans and photos: images, image-only PDF pages, pictures in documents and mail.

Only where there is no usable text; each picture read once per process (by
content hash); under named limits (`Limits.ocr_*`); a page a limit stopped
becomes an empty page whose PageMark carries the limit's name. Pages read
are counted in `ctx.counters["ocr_pages"]` (the scan's progress counts them).
"""
from __future__ import annotations

from PIL import Image

from ..context import ExploreContext
from ..document import PageText
from ..limits import LimitExceeded
from .deadline import PageTimeout
from .engines import OcrUnavailable
from .fixups import repair_identifiers
from .reader import check_pixels, page_reader

PAGE_END = "\n\n"      # a blank line after each page: an excerpt never runs across two pages


def read_page(image: Image.Image, key: str, ctx: ExploreContext, page: int, label: str = "",
              strict: bool = False) -> PageText:
    """The recognised text of one page or picture, as a PageText that starts its page.

    With `strict`, a limit raises (a single image is then recorded as skipped);
    otherwise the page is kept empty with the limit in its note."""
    try:
        found = page_reader(ctx.limits.ocr_engine).read(image, key, ctx.limits)
    except PageTimeout:
        if strict:
            raise LimitExceeded("ocr_page_timeout_s", f"{ctx.limits.ocr_page_timeout_s:g} s") from None
        return skipped_page(page, label, "limit: ocr_page_timeout_s")
    except LimitExceeded as exc:
        if strict:
            raise
        return skipped_page(page, label, str(exc))
    ctx.counters["ocr_pages"] = ctx.counters.get("ocr_pages", 0) + 1
    if ctx.progress is not None:
        ctx.progress()      # a long scan is many slow pages, not one stuck document
    return PageText(repair_identifiers(found.text) + PAGE_END, page, ocr=True, label=label)


def skipped_page(page: int, label: str, note: str) -> PageText:
    return PageText(PAGE_END, page, ocr=True, label=label, note=note)


__all__ = ["read_page", "skipped_page", "check_pixels", "OcrUnavailable", "PageTimeout", "PAGE_END"]
