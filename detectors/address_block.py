"""Lines of a postal address block: a town under a street line is not a person (`Lincoln`).

An address is written as lines: a house number and street, then a locality and
town, then a postcode or a country. A PERSON span that is a whole line of such
a block, with a street line above it or a postcode or country line below, is
the town (`12 High Street` / `Lincoln` / `LN1 2AB`), however much it reads
like a surname.
"""

import re
from typing import Optional

from detectors.gazetteer import STREET_OR_ORG_WORDS, countries

_POSTCODE_LINE = re.compile(r"^\s*(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|\d{4,6}|[A-Z]{2}\s*\d{4,5})\b", re.IGNORECASE)
_STREET_LINE = re.compile(r"^\s*(?:\d+[A-Za-z]?[ ,]+\S|(?:flat|apt\.?|unit|suite|po box)\s*\d)", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")


def _line_at(text: str, start: int, end: int) -> tuple[int, int]:
    return text.rfind("\n", 0, start) + 1, (text.find("\n", end) + 1 or len(text) + 1) - 1


def _neighbour(text: str, line_start: int, line_end: int, step: int) -> Optional[str]:
    """The nearest non-blank line above (step -1) or below (step 1), or None."""
    if step < 0:
        above = text[:max(line_start - 1, 0)].rstrip("\n ").rsplit("\n", 1)
        return above[-1] if line_start > 0 and above[-1].strip() else None
    below = text[line_end + 1:].lstrip("\n ").split("\n", 1)
    return below[0] if line_end < len(text) and below[0].strip() else None


def _is_street(line: str) -> bool:
    words = [w.casefold() for w in _WORDS.findall(line)]
    return bool(_STREET_LINE.match(line)) or bool(words and words[-1] in STREET_OR_ORG_WORDS)


def _is_postcode_or_country(line: str) -> bool:
    plain = line.strip(" ,.").casefold()
    return bool(_POSTCODE_LINE.match(line)) or plain in countries()


def is_address_line(text: str, start: int, end: int) -> bool:
    """The span is the whole of its line (bar punctuation), inside an address block."""
    line_start, line_end = _line_at(text, start, end)
    if text[line_start:line_end].strip(" \t,.;") != text[start:end].strip(" \t,.;"):
        return False
    above = _neighbour(text, line_start, line_end, -1)
    below = _neighbour(text, line_start, line_end, 1)
    return bool(above and _is_street(above)) or bool(below and _is_postcode_or_country(below))
