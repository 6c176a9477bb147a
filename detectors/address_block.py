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

_POSTCODE_LINE = re.compile(r"^\s*[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$", re.IGNORECASE)   # a UK postcode alone
_STREET_LINE = re.compile(r"^\s*(?:\d+[A-Za-z]?[ ,]+\S|(?:flat|apt\.?|unit|suite|po box)\s*\d)", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")


def _line_at(text: str, start: int, end: int) -> tuple[int, int]:
    return text.rfind("\n", 0, start) + 1, (text.find("\n", end) + 1 or len(text) + 1) - 1


def _neighbour(text: str, line_start: int, line_end: int, step: int) -> Optional[str]:
    """The line straight above (step -1) or below (step 1), or None: a blank line ends a block."""
    # Found with rfind/find, not by splitting off the text before or after: that copied the whole
    # text for every PERSON line, quadratic in a long document (issue 16).
    if step < 0:
        if line_start == 0:
            return None
        above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
        return above if above.strip() else None
    if line_end >= len(text):
        return None
    below_end = text.find("\n", line_end + 1)
    below = text[line_end + 1 : below_end if below_end >= 0 else len(text)]
    return below if below.strip() else None


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
