"""Scans for the OCR tests, rendered at test time with Pillow's own scalable font (no font package)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont


def render_lines(lines: list[str], size: tuple[int, int] = (1100, 420), font_px: int = 30) -> Image.Image:
    """Black text on white, like a scanned letter at about 200 dpi (small: OCR in well under a second)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=font_px)
    for i, line in enumerate(lines):
        draw.text((40, 40 + i * int(font_px * 1.6)), line, fill=0, font=font)
    return image


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def multipage_tiff(pages: list[Image.Image]) -> bytes:
    """A bitonal fax-style TIFF (CCITT G4), one image per page."""
    bitonal = [p.convert("1", dither=Image.Dither.NONE) for p in pages]   # thresholded, as a fax is
    return image_bytes(bitonal[0], "TIFF", save_all=True, append_images=bitonal[1:], compression="group4")


def image_only_pdf(pages: list[Image.Image], dpi: int = 200) -> bytes:
    """A PDF of page images and no text layer, as a scanner writes one."""
    return image_bytes(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
