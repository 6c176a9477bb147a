"""Reading one page or image: size limit, orientation, per-page time limit, one read per content.

A scan may lie on its side or upside down. The page is read as it is; only
when that reads poorly are other orientations tried: a quarter turn either
way when its text boxes are taller than wide, else a half turn; the one
that reads the most confident text wins. A photo with no text finds no text boxes and costs one
pass.
"""
from __future__ import annotations

import functools
from collections import OrderedDict

from PIL import Image

from ..limits import LimitExceeded, Limits
from .deadline import PageTimeout, page_deadline
from .engines import Recognised, load_engine
from .tesseract import PageTimeoutInEngine

_GOOD_CONFIDENCE = 0.85
_BLANK_LEVEL = 160              # a page whose darkest pixel is lighter than this holds no text
_CACHE_ENTRIES = 512            # recognised pages kept per process, by content hash (text only)


class PageReader:
    """One per process and engine: the loaded engine and the texts already recognised."""

    def __init__(self, engine_name: str):
        self.engine = load_engine(engine_name)
        self._cache: OrderedDict[str, Recognised] = OrderedDict()

    def read(self, image: Image.Image, key: str, limits: Limits) -> Recognised:
        """Text on `image`; `key` identifies its content (the same picture is read once).

        Raises LimitExceeded (too many pixels) or PageTimeout (ocr_page_timeout_s)."""
        check_pixels(image.width, image.height, limits)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        grey = image if image.mode == "L" else image.convert("L")
        if grey.getextrema()[0] > _BLANK_LEVEL:
            return Recognised()        # nothing darker than paper: a blank page costs no OCR
        with page_deadline(limits.ocr_page_timeout_s):
            found = self._best_orientation(grey, limits.ocr_page_timeout_s)
        self._cache[key] = found
        if len(self._cache) > _CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return found

    def _best_orientation(self, image: Image.Image, timeout_s: float) -> Recognised:
        best = self._recognise(image, timeout_s)
        if not best.lines or _reads_well(best):
            return best
        # Boxes taller than wide: the page is on its side. Wide boxes read poorly: upside down, or
        # simply a poor scan (then turning it over costs one pass and changes nothing).
        turns = (90, 270) if best.upright_share < 0.5 else (180,)
        for angle in turns:
            found = self._recognise(image.rotate(angle, expand=True), timeout_s)
            if found.weight > best.weight:
                best = found
            if _reads_well(best):
                break
        return best

    def _recognise(self, image: Image.Image, timeout_s: float) -> Recognised:
        try:
            return self.engine.recognise(image, timeout_s)
        except PageTimeoutInEngine:
            raise PageTimeout() from None


def _reads_well(found: Recognised) -> bool:
    return found.confidence >= _GOOD_CONFIDENCE and found.upright_share >= 0.5


def check_pixels(width: int, height: int, limits: Limits) -> None:
    if width * height > limits.ocr_max_image_pixels:
        raise LimitExceeded("ocr_max_image_pixels", f"{width}x{height} pixels")


@functools.lru_cache(maxsize=2)
def page_reader(engine_name: str) -> PageReader:
    """The process's reader for `engine_name`: the model loads on the first page of the first scan."""
    return PageReader(engine_name)
