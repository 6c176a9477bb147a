"""A detector fingerprint the parent can compute without loading the model.

It decides whether earlier findings are still valid: a change of settings,
of pdsweep's version or of the model's package version invalidates them.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from importlib import metadata

from detectors import DetectorSettings


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def detector_fingerprint(settings: DetectorSettings) -> str:
    fields = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in asdict(settings).items()}
    parts = [repr(sorted(fields.items())),
             _version("pdsweep"), _version("presidio-analyzer"),
             _version(settings.model.replace("_", "-")), _version("spacy")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
