"""OCR engines behind one interface: RapidOCR (models in its PyPI wheel) and Tesseract (Debian).

Both load offline. RapidOCR is given the paths of the ONNX models inside its
own package, so its download code is never reached; Tesseract reads the
traineddata that its Debian package installed. An engine is built once per
process (`load_engine`) and reused for every page.

`auto` picks RapidOCR, which `pip install .` provides and which recognised
more identifiers on benchmarks/ocr.py (see the README); Tesseract, about
three times faster per page but weaker on small, bitonal and noisy scans,
is used when RapidOCR cannot be imported, or when asked for by name.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from ..errors import UnsupportedError

ENGINES = ("rapidocr", "tesseract")


@dataclass(frozen=True)
class Recognised:
    """What an engine read on one image: lines top to bottom, mean confidence 0..1."""

    lines: tuple[str, ...] = ()
    confidence: float = 0.0
    upright_share: float = 1.0      # share of text boxes wider than tall (low: the page is on its side)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def weight(self) -> float:
        """How much confident text was read: the best of several orientations has the most."""
        return sum(len(line) for line in self.lines) * self.confidence * (0.5 + self.upright_share / 2)


class OcrEngine(Protocol):
    name: str

    def recognise(self, image: Image.Image, timeout_s: float) -> Recognised: ...


class OcrUnavailable(UnsupportedError):
    """No OCR engine can be loaded here: the image is recorded as skipped with this reason."""


def tesseract_present() -> bool:
    return shutil.which("tesseract") is not None and importlib.util.find_spec("pytesseract") is not None


def rapidocr_present() -> bool:
    """Installed, found without importing it (importing onnxruntime has side effects: see rapid.py)."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


def resolve_engine(name: str) -> str:
    if name == "auto":
        return "rapidocr" if rapidocr_present() or not tesseract_present() else "tesseract"
    if name not in ENGINES:
        raise OcrUnavailable(f"ocr: unknown engine {name!r} (expected auto, {', '.join(ENGINES)})")
    return name


@functools.lru_cache(maxsize=2)
def load_engine(name: str) -> OcrEngine:
    """The engine, built on first use in this process (one model load per worker)."""
    resolved = resolve_engine(name)
    if resolved == "tesseract":
        from .tesseract import TesseractEngine
        return TesseractEngine()
    from .rapid import RapidOcrEngine
    return RapidOcrEngine()


def bundled_file(package_dir: str, *parts: str) -> str:
    path = os.path.join(package_dir, *parts)
    if not os.path.isfile(path):
        raise OcrUnavailable(f"ocr: model file missing from the installed package ({os.path.basename(path)})")
    return path
