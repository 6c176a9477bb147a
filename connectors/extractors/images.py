"""Images (JPEG, PNG, TIFF incl. multi-page and fax G3/G4, BMP, GIF, WebP): their text by OCR.

Pillow reads the header first: an image over `ocr_max_image_pixels` is
never decoded (a decompression bomb costs nothing), a truncated or damaged
one is recorded as corrupt. A multi-page TIFF is read page by page, up to
`ocr_max_pages`; each page starts a PageMark so a finding names its page.
"""
from __future__ import annotations

import io
import warnings
from typing import Iterator

from PIL import Image, UnidentifiedImageError

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import CorruptError, UnsupportedError
from ..limits import LimitExceeded
from .common import guarded

IMAGE_MIMES = ("image/jpeg", "image/png", "image/tiff", "image/bmp", "image/x-ms-bmp", "image/gif",
               "image/webp", "image/x-portable-pixmap", "image/x-portable-greymap", "image/x-portable-bitmap")
_PAGED_FORMATS = {"TIFF"}       # other formats' extra frames are animation, not pages


def extract_image(blob: Blob, ctx: ExploreContext) -> Extracted:
    if not ctx.limits.ocr:
        raise UnsupportedError("image: OCR is off (--no-ocr)")
    from .. import ocr
    data = blob.read_all(ctx.limits.max_member_bytes)
    image = open_image(data, ctx)
    frames = getattr(image, "n_frames", 1) if image.format in _PAGED_FORMATS else 1
    # a single picture over a limit is a skipped item; a page of many is a note on that page
    first = _frame(image, 0, blob, ctx, strict=frames == 1)
    return Extracted.paged(guarded("image", _pages(image, frames, first, blob, ctx, ocr)))


def open_image(data: bytes, ctx: ExploreContext) -> Image.Image:
    """The image's header, size checked before a pixel is decoded."""
    from ..ocr import check_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LimitExceeded("ocr_max_image_pixels", "decompression bomb") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise CorruptError("image: not a readable image") from None
    check_pixels(image.width, image.height, ctx.limits)
    return image


def _pages(image: Image.Image, frames: int, first, blob: Blob, ctx: ExploreContext, ocr) -> Iterator[str]:
    yield first
    for index in range(1, frames):
        if index >= ctx.limits.ocr_max_pages:
            yield ocr.skipped_page(index + 1, "", f"limit: ocr_max_pages (pages {index + 1}-{frames} not read)")
            return
        try:
            yield _frame(image, index, blob, ctx, strict=False)
        except CorruptError:
            yield ocr.skipped_page(index + 1, "", "image: page damaged")


def _frame(image: Image.Image, index: int, blob: Blob, ctx: ExploreContext, strict: bool):
    from .. import ocr
    try:
        image.seek(index)
        ocr.check_pixels(image.width, image.height, ctx.limits)
        image.load()
        page = image.convert("L")
    except LimitExceeded:
        if strict:
            raise
        return ocr.skipped_page(index + 1, "", f"limit: ocr_max_image_pixels (page {index + 1})")
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise CorruptError("image: truncated or damaged") from None
    return ocr.read_page(page, f"{blob.content_hash()}:{index}", ctx, index + 1, strict=strict)
