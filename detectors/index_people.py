"""PERSON labels from the name index for the forms NER cannot read: capitals and `SURNAME, Forename`.

The small spaCy model reads `OYELARAN, Funmilayo` as the person `Funmilayo`
(or an organisation) and `TOMASZ WIERZBA` as nothing. The name index has
found those pairs already; where both words are name-like (a known name, or
no English word) and one of them is a known given name or the pair is a comma
form, the span is labelled PERSON. A shorter PERSON inside it gives way, so
`sar` redacts (or keeps) the whole name, never half of it.
"""

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import List, Sequence

import regex

from detectors.ascii_twin import TwinPattern
from detectors.gazetteer import first_names, names_a_country
from detectors.model import Finding
from detectors.name_index import ENTITY, name_like
from detectors.spans import SpanSet

INDEX_PERSON_SCORE = 0.75
_CAPS_WORD = regex.compile(r"\p{Lu}(?:['’]\p{Lu})?\p{Lu}+(?:[-'’]\p{Lu}+)*")
_WORD = regex.compile(r"[\p{L}'’\-]+")


# Around a `Town, Country` or an organisation, not a person: "in Tobel, Transunion is", "Lascano, Uruguay 80694".
_PLACE_BEFORE = TwinPattern(r"\b(?:in|at|to|from|near|of|city)[ \t]+$", regex.IGNORECASE)
_NOT_PERSON_AFTER = TwinPattern(
    r"[ \t]*(?:\d|\(|(?:is|was|corporation|corp|ltd|limited|inc|plc|llc|llp|group|technologies|republic)\b)",
    regex.IGNORECASE)


def _in_context(text: str, f: Finding) -> bool:
    return not (_PLACE_BEFORE.on(text).search(text, max(0, f.start - 12), f.start)
                or _NOT_PERSON_AFTER.on(text).match(text, f.end))


@lru_cache(maxsize=20_000)   # per process: signatures and quoted mail repeat the same names (issue 16)
def _labelled(text: str) -> bool:
    """A comma form with both words name-like, or capitals holding a known given name."""
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(text) if len(w) > 1]
    if len(words) < 2 or "\n" in text or "<" in text or names_a_country(words):
        return False
    plain = [_ascii(w) for w in (words[0], words[-1])]
    if not all(name_like(w) for w in plain):
        return False
    if "," in text:
        return True
    capitals = all(_CAPS_WORD.fullmatch(w) for w in _WORD.findall(text) if len(w) > 1)
    return capitals and any(w in first_names() for w in plain)


def _ascii(word: str) -> str:
    from detectors.normalise import name_tokens
    tokens = name_tokens(word)
    return tokens[0] if tokens else word


def with_index_names(text: str, people: List[Finding], index: Sequence[Finding], others: Sequence[Finding]
                     ) -> List[Finding]:
    """`people` plus a PERSON for each labelled index span; a PERSON inside such a span gives way."""
    added = []
    taken = None   # built for the first labelled span: most texts have none (issue 16)
    for f in index:
        if f.entity_type != ENTITY or f.start < 0 or not _labelled(f.text) or not _in_context(text, f):
            continue
        if taken is None:
            taken = SpanSet((o.start, o.end) for o in others)
        if taken.overlaps(f.start, f.end):
            continue
        added.append(Finding("PERSON", f.start, f.end, f.text, INDEX_PERSON_SCORE, "NameIndex"))
        taken.add(f.start, f.end)
    return _merged(people, added) if added else people


def _merged(people: List[Finding], added: List[Finding]) -> List[Finding]:
    """The people not inside an added span, then the added spans that overlap none of those."""
    inside = _Containment(added)
    kept = [p for p in people if not inside.holds(p.start, p.end)]
    # No kept span lies inside an added one, so an added span gives way to any kept span it overlaps.
    kept_spans = SpanSet((p.start, p.end) for p in kept)
    return kept + [a for a in added if not kept_spans.overlaps(a.start, a.end)]


class _Containment:
    """Does some span hold (start, end)? By bisection on the starts, with the farthest end so far:
    comparing every person with every added span was quadratic, 3.4 s for a list of 8,000 names."""

    def __init__(self, spans: Sequence[Finding]):
        ordered = sorted((f.start, f.end) for f in spans)
        self._starts = [start for start, _ in ordered]
        self._farthest = list(accumulate((end for _, end in ordered), max))

    def holds(self, start: int, end: int) -> bool:
        at = bisect_right(self._starts, start) - 1   # the spans starting at or before `start`
        return at >= 0 and self._farthest[at] >= end
