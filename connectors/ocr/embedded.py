"""Pictures inside DOCX, PPTX and ODT packages (a scanned page pasted into a letter): read by OCR.

Small pictures (logos, icons, signatures) are left alone; each picture is
read once per process by content hash, up to `ocr_max_pages` per document.
Its text follows the document's own, behind a PageMark naming the picture.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterator

from ..context import ExploreContext
from ..errors import ConnectorError
from ..limits import LimitExceeded
from . import read_page, skipped_page

_MEDIA = re.compile(r"^(word/media|ppt/media|Pictures)/[^/]+\.(png|jpe?g|tiff?|bmp|gif|webp)$", re.I)
_MIN_SIDE = 150            # pixels: below this on either side a picture is an icon, not a page
_MIN_AREA = 120_000        # ...or below this many pixels in all


def package_images(zip_file, ctx: ExploreContext) -> Iterator[str]:
    """PageTexts for the pictures in an office package (`zip_file`: its open ZipFile)."""
    if not ctx.limits.ocr:
        return
    from ..extractors.images import open_image
    read = 0
    for info in sorted((i for i in zip_file.infolist() if _MEDIA.match(i.filename)), key=lambda i: i.filename):
        label = f"image {info.filename}"
        if info.file_size > ctx.limits.max_member_bytes:
            yield skipped_page(0, label, "limit: max_member_bytes")
            continue
        data = zip_file.read(info)
        ctx.charge(len(data))
        try:
            image = open_image(data, ctx)
            if min(image.size) < _MIN_SIDE or image.width * image.height < _MIN_AREA:
                continue
            if read >= ctx.limits.ocr_max_pages:
                yield skipped_page(0, label, "limit: ocr_max_pages")
                continue
            read += 1
            image.load()
            yield read_page(image.convert("L"), hashlib.sha256(data).hexdigest(), ctx, 0, label)
        except LimitExceeded as exc:
            yield skipped_page(0, label, str(exc))
        except (ConnectorError, OSError, ValueError, SyntaxError, EOFError):
            yield skipped_page(0, label, "image: truncated or damaged")
