"""Tesseract through pytesseract: the Debian `tesseract-ocr` binary and its English data."""
from __future__ import annotations

import os

from PIL import Image

from .engines import OcrUnavailable, Recognised

_MIN_SIDE = 2000        # Tesseract reads 10-12 pt text best at about 300 dpi: smaller scans are enlarged


class PageTimeoutInEngine(Exception):
    """Tesseract ran past the page's time limit; pytesseract killed it."""


class TesseractEngine:
    name = "tesseract"

    def __init__(self):
        try:
            import pytesseract
            self.version = str(pytesseract.get_tesseract_version())
        except Exception as exc:
            raise OcrUnavailable(f"ocr: tesseract cannot be run ({type(exc).__name__})") from None
        self._tess = pytesseract
        # One thread: the scanner runs one worker per core; OpenMP would oversubscribe them.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def recognise(self, image: Image.Image, timeout_s: float) -> Recognised:
        image = _enlarged(image.convert("L"))
        try:
            data = self._tess.image_to_data(image, lang="eng", config="--psm 3",
                                            output_type=self._tess.Output.DICT, timeout=max(timeout_s, 0.1))
        except RuntimeError as exc:
            if "timeout" in str(exc).lower():
                raise PageTimeoutInEngine() from None
            raise
        return _lines(data)


def _enlarged(image: Image.Image) -> Image.Image:
    longest = max(image.size)
    if longest >= _MIN_SIDE:
        return image
    scale = _MIN_SIDE / longest
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)


def _lines(data: dict) -> Recognised:
    lines: dict[tuple, list[str]] = {}
    confs, upright = [], 0
    for text, conf, block, par, line, width, height in zip(
            data["text"], data["conf"], data["block_num"], data["par_num"], data["line_num"],
            data["width"], data["height"]):
        if not text.strip() or float(conf) < 0:
            continue
        lines.setdefault((block, par, line), []).append(text)
        confs.append(float(conf) / 100)
        upright += len(text) < 2 or width >= height       # a one-letter word's box may be tall
    if not confs:
        return Recognised()
    return Recognised(tuple(" ".join(words) for _, words in sorted(lines.items())), sum(confs) / len(confs),
                      upright / len(confs))
