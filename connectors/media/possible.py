"""Possible readings: numbers the number pass (number_pass.py) scored nearly as likely as its winner.

A tool whose users must find every copy treats a number the engine found almost as likely as the
one it wrote as a possible copy of that number. Each such reading gets its own `(possible)`
transcript line (extract.py), which `find --phone` answers and `sar` shows as possibly said. An
erasure plan never deletes a recording on one alone: it always stands beside its winner, another
number (scanner/requests/plan.py). benchmarks/audio.py prints recall and false numbers with and
without these lines, and scores other margins on the same readings (--margin).
"""
from __future__ import annotations

import re
from typing import NamedTuple

# A reading of another UK number scored within POSSIBLE_MARGIN nats of the winner is kept beside it as a
# *possible* reading (its own `(possible)` line): the tool must find every copy, and a number the engine
# found at least e^-1 (0.37) times as likely as its winner is a plausible copy of that number. One nat
# is the principle (not fitted to a cell); benchmarks/audio.py prints recall and false numbers with and
# without these lines. At most MAX_POSSIBLE a number: each is a false number when it is wrong.
POSSIBLE_MARGIN = 1.0
MAX_POSSIBLE = 2
# Also the likeliest reading written all in words, wherever it differs: an alignment score over numerals
# (several digits a token) is not comparable with one over digit words. Off: on the cells other than
# the target it found no more numbers and cost false ones (README, "Numerals against words").
WORDS_BEST = False
# A UK number the phone recogniser keys (04 and 06 are unused in the UK plan): only such readings are
# kept as possible, and only beside a winner of that form, so that a possible reading never stands
# alone in a recording (an erasure plan then sees the winner as another number: `manual`, not `delete`).
_UK_KEYED = re.compile(r"0[1235789]\d{9}")


class NumberReading(NamedTuple):
    """One number read in a window: its digits, the first and last word of `text` it was said in, and
    whether it is the span's likeliest reading or a possible one within POSSIBLE_MARGIN of it."""
    digits: str
    first: int
    last: int
    possible: bool = False


def possible_readings(ranked: list[tuple[float, str, bool]], margin: float = POSSIBLE_MARGIN,
                      most: int = MAX_POSSIBLE, words_best: bool = WORDS_BEST) -> list[str]:
    """The runners-up of one number's readings (likeliest first, as _ranked_in gives them) kept as
    possible: UK numbers the phone recogniser keys, within `margin` nats of a winner of that form;
    with `words_best`, also the likeliest reading written all in words wherever it differs."""
    if not ranked or not _UK_KEYED.fullmatch(ranked[0][1]):
        return []
    best, winner = ranked[0][0], ranked[0][1]
    kept = [digits for score, digits, _ in ranked[1:] if best - score <= margin]
    if words_best:
        kept += [digits for _, digits, in_words in ranked if in_words][:1]
    kept = [d for d in dict.fromkeys(kept) if d != winner and _UK_KEYED.fullmatch(d)]
    return kept[:most]
