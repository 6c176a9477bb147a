"""Repairs for the letter/digit confusions OCR makes inside UK identifiers.

A postcode's inward code is a digit then two letters; OCR often reads its
0 as O (`HU13 OGD`), 1 as I or l, 5 as S, 8 as B. Only that one character,
inside a shape that is otherwise a whole postcode, is changed: ordinary
words never have an outward code (letters then a digit) before them.
"""
from __future__ import annotations

import re

_AS_DIGIT = str.maketrans("OoDQIlSB", "00001158")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([OoDQIlSB])([ABD-HJLNP-UW-Z]{2})\b")


def repair_identifiers(text: str) -> str:
    return _POSTCODE.sub(lambda m: f"{m.group(1)} {m.group(2).translate(_AS_DIGIT)}{m.group(3)}", text)
