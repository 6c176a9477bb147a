"""Context enhancement on raw text, without spaCy tokens.

Presidio's LemmaContextAwareEnhancer needs spaCy lemmas for every text; we
only have the NER component (and often not even that), so we look for the
recogniser's context words in a window of characters before and after the
match. The arithmetic is Presidio's defaults: +0.35, and at least 0.4.
"""

import re
from functools import lru_cache
from typing import Iterable, Pattern as RegexPattern

BOOST = 0.35
MIN_WITH_CONTEXT = 0.4
WINDOW_BEFORE = 60
WINDOW_AFTER = 25


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")


@lru_cache(maxsize=None)
def context_regex(words: tuple) -> RegexPattern:
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(?:" + "|".join(alternatives) + r")(?![a-z])", re.IGNORECASE)


def has_context(text: str, start: int, end: int, words: Iterable[str]) -> bool:
    words = tuple(words)
    if not words:
        return False
    return _context_around(text[max(0, start - WINDOW_BEFORE) : start], text[end : end + WINDOW_AFTER], words)


# Per process, bounded: signatures and quoted copies put the same words around the same numbers, and
# the context search (case-insensitive, no literal prefix) ran twice for every finding (issue 16).
@lru_cache(maxsize=20_000)
def _context_around(before: str, after: str, words: tuple) -> bool:
    regex = context_regex(words)
    # Most windows hold no context word at all (9 in 10 on the mail corpus): then no part of them does
    # either. A part's edges are the window's or a sentence end (punctuation, white space), which no
    # word boundary (?<![a-z]) (?![a-z]) reads differently, so a word found in a part is found here.
    if not (regex.search(before) or regex.search(after)):
        return False
    # The window stays within the sentence: "reference 815 908 3014. My mobile is..."
    # must not lend "mobile" to the reference number.
    before = _SENTENCE_END.split(before)[-1]
    after = _SENTENCE_END.split(after)[0]
    return bool(regex.search(before) or regex.search(after))


def boosted(score: float) -> float:
    return min(1.0, max(score + BOOST, MIN_WITH_CONTEXT))
