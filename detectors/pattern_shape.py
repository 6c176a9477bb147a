"""What Python's own regex parser says about a recogniser pattern, for the prefilter (detectors/prefilter.py).

- `longest`: the longest match (look-arounds take no width), None where unbounded: a match ending at e
  starts at or after e - longest.
- `reach`: how many characters past a match's end its look-aheads and word boundaries may read (at
  least 1, for a word boundary at the end), None where unbounded.
- None instead of a shape for a pattern the prefilter must not take: one Hyperscan could read
  differently from Python (anchors, which mean the window's edges to a search of one window; non-ASCII
  literals; flags other than IGNORECASE; `{,n}`, which Python reads as {0,n}).
"""

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from re import _constants as sre   # the parser's opcodes (private, stable since Python 3.11)
from re import _parser

_ALLOWED_FLAGS = re.IGNORECASE | re.UNICODE | re.ASCII
_ANCHORS = {sre.AT_BEGINNING, sre.AT_BEGINNING_LINE, sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_LINE,
            sre.AT_END_STRING}
_UNBOUNDED = int(sre.MAXREPEAT)


@dataclass(frozen=True)
class PatternShape:
    longest: Optional[int]
    reach: Optional[int]
    caseless: bool


def shape_of(regex: str, flags: int) -> Optional[PatternShape]:
    if not regex.isascii() or "{," in regex or flags & ~_ALLOWED_FLAGS:
        return None
    try:
        parsed = _parser.parse(regex, flags)
    except re.error:
        return None
    if parsed.state.flags & ~_ALLOWED_FLAGS or not _takeable(parsed):
        return None
    longest = parsed.getwidth()[1]
    reach = _reach(parsed)
    return PatternShape(
        longest=None if longest >= _UNBOUNDED else longest,
        reach=None if reach is None else max(reach, 1),
        caseless=bool(parsed.state.flags & re.IGNORECASE),
    )


def _takeable(parsed) -> bool:
    for op, av in parsed:
        if op is sre.AT and av in _ANCHORS:
            return False
        if op in (sre.LITERAL, sre.NOT_LITERAL) and av > 127 or op is sre.RANGE and av[1] > 127:
            return False
        if op is sre.SUBPATTERN and (av[1] | av[2]) & ~re.IGNORECASE:
            return False
        if op is sre.IN and not _takeable(av):
            return False
        if not all(_takeable(part) for part in _parts(av)):
            return False
    return True


def _reach(parsed) -> Optional[int]:
    """The farthest any look-ahead in `parsed` reads past the position it stands at (an upper bound:
    a nested look-ahead counts from the far end of the one around it)."""
    farthest = 0
    for op, av in parsed:
        if op in (sre.ASSERT, sre.ASSERT_NOT) and av[0] == 1:
            width = av[1].getwidth()[1]
            inner = _reach(av[1])
            if width >= _UNBOUNDED or inner is None:
                return None
            farthest = max(farthest, width + inner)
            continue
        for part in _parts(av):
            inner = _reach(part)
            if inner is None:
                return None
            farthest = max(farthest, inner)
    return farthest


def _parts(av) -> Iterator:
    """The sub-patterns nested in an opcode's argument (groups, repeats, branches, look-arounds)."""
    if isinstance(av, _parser.SubPattern):
        yield av
    elif isinstance(av, (tuple, list)):
        for item in av:
            yield from _parts(item)
