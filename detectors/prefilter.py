"""Where the pattern recognisers' matches can be: one compiled scan of a text, before Python's `re` (issue 16).

Hyperscan (where installed) compiles each recogniser's patterns in prefilter mode: look-arounds
dropped, back-references widened, so each compiled pattern matches a superset of what the Python
pattern matches, and every Python match's end is among the ends it reports. One scan of the whole
text gives those ends per pattern: the patterns of the recognisers of one PREFILTER_GROUP
(recognizers/base.py; the triggers, below, join one) that read the text through the same view table
are compiled into one database, so a text is scanned once per group (four today), not once per
recogniser (ten). A window (see `recognizers.base.windows`) where no pattern of a
recogniser can end is not searched at all; where some can, Python's `re` still decides every match
and every validation, so the findings are those of today's search by construction: the prefilter
only says where not to look.

Inside a window each pattern is searched with finditer(window, pos, endpos): no match can start
before pos (the first end less the pattern's longest match, from Python's own parser:
pattern_shape.py), and a look-behind still reads the text before pos; no match ends after the last
end, and endpos lies past it by the farthest any look-ahead or word boundary reads, so none of them
sees the cut. The search finds the same matches in the same order as over the whole window.

Hyperscan reads bytes and Python's `re` reads characters: the text is handed over one byte per
character (prefilter_view.py), ASCII as itself and every other character as a byte each recogniser's
patterns treat at least as permissively as Python treats the character, so the superset holds with
typographic quotes, no-break spaces and accented names too. A character no such byte exists for is
UNSURE (none in today's recognisers); a window holding an UNSURE byte is searched whole, as before.

What the prefilter does not take keeps today's path: a recogniser with a pattern it cannot take (see
pattern_shape.py) or Hyperscan refuses, and those it would not pay for (recognizers.base PREFILTER:
a TRIGGER already skips their windows; email). The TRIGGERs of those (a label every match holds: "dob",
"sort code", "passport") are compiled together, tiny and cheap to compile, and a text where none of a
recogniser's trigger can match is not searched for it at all: most texts, for all three. Where hyperscan is not installed, or fails to
compile, one log line says so and nothing changes but speed.
"""

import bisect
import functools
import logging
import threading
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from detectors.pattern_shape import PatternShape, shape_of
from detectors.prefilter_view import UNSURE, canonical, view_table

try:   # optional speed: an x86-64 wheel (pyproject); today's path without it
    import hyperscan
except ImportError:   # pragma: no cover - depends on the platform
    hyperscan = None

log = logging.getLogger(__name__)

_UNSURE_BYTE = bytes([UNSURE])

# (pos, endpos) per pattern for re's finditer, None where the pattern can have no match; or None for
# "every pattern, the whole window" (the window holds an UNSURE byte).
Spans = Optional[Tuple[Optional[Tuple[int, int]], ...]]


@dataclass(frozen=True)
class _Database:
    """Patterns compiled together; a pattern's index in the tuple compiled is its id."""

    database: object
    scratch: threading.local   # Hyperscan's scratch space is per thread

    def ends(self, data: bytes, patterns: int) -> Optional[List[List[int]]]:
        """Per pattern id, the offsets its prefilter form matches up to (in the order reported).
        None where no pattern matches at all (most texts, for most recognisers)."""
        scratch = getattr(self.scratch, "space", None)
        if scratch is None:
            scratch = self.scratch.space = hyperscan.Scratch(self.database)
        events: List[Tuple[int, int]] = []
        self.database.scan(data, match_event_handler=_record_end, context=events, scratch=scratch)
        if not events:
            return None   # no per-pattern lists built for nothing (issue 16: ~100,000 scans a scale-6 corpus)
        ends: List[List[int]] = [[] for _ in range(patterns)]
        for pattern, end in events:
            ends[pattern].append(end)
        return ends


def _record_end(pattern: int, start: int, end: int, flags: int, events: List[Tuple[int, int]]) -> None:
    events.append((pattern, end))


@functools.lru_cache(maxsize=64)   # per process: compiled once, shared by every Detector (and forked workers)
def _compile(patterns: Tuple[Tuple[str, int], ...], say: bool = True) -> Optional[_Database]:
    """The patterns in one database, None where Hyperscan refuses one (said once, where `say`)."""
    shapes = tuple(shape_of(regex, flags) for regex, flags in patterns)
    if hyperscan is None or not shapes or not all(shapes):
        return None
    flags = [hyperscan.HS_FLAG_PREFILTER | (hyperscan.HS_FLAG_CASELESS if shape.caseless else 0) for shape in shapes]
    try:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=[regex.encode("ascii") for regex, _ in patterns],
                         ids=list(range(len(patterns))), elements=len(patterns), flags=flags)
    except hyperscan.error as error:
        if say:
            _say_once(f"pattern prefilter: Hyperscan cannot take {patterns!r} ({error}); searched as before")
        return None
    return _Database(database, threading.local())


@functools.lru_cache(maxsize=16)   # one log line per process, not one per file
def _say_once(message: str) -> None:
    log.info(message)


TRIGGERS = -1   # the owner of a part holding the triggers of the recognisers searched without the prefilter
TRIGGER_GROUP = 1   # the recognisers' PREFILTER_GROUP the triggers are compiled with (measured cheap to compile)


@dataclass(frozen=True)
class _Part:
    """One recogniser's patterns (or the triggers) within a group: ids first .. first + len(shapes) - 1."""

    owner: int   # the recogniser's index in the list; TRIGGERS
    patterns: Tuple[Tuple[str, int], ...]
    shapes: Tuple[PatternShape, ...]
    table: bytes   # bytes.translate from the canonical view to the bytes these patterns read (prefilter_view)
    group: Optional[int] = None   # the recogniser's PREFILTER_GROUP: None, compiled alone
    first: int = 0


@dataclass(frozen=True)
class _Group:
    """Parts of one PREFILTER_GROUP that read a text through the same table, compiled into one database:
    one scan of a text answers for all of them (issue 16: a scan per recogniser was ten scans a text,
    each ~0.8 us of call overhead whatever the text's length, for texts of ~300 characters)."""

    database: _Database
    parts: Tuple[_Part, ...]
    patterns: int

    @property
    def table(self) -> bytes:
        return self.parts[0].table


@functools.lru_cache(maxsize=64)   # per process: Python's parser reads each pattern once, as _compile compiles it once
def _part(owner: int, patterns: Tuple[Tuple[str, int], ...], group: Optional[int]) -> Optional[_Part]:
    """None where Python's parser or pattern_shape cannot vouch for a pattern (searched as before)."""
    shapes = tuple(shape_of(regex, flags) for regex, flags in patterns)
    return _Part(owner, patterns, shapes, view_table(patterns), group) if shapes and all(shapes) else None


def _group(parts: List[_Part], say: bool) -> Optional[_Group]:
    placed, first = [], 0
    for part in parts:
        placed.append(_Part(part.owner, part.patterns, part.shapes, part.table, part.group, first))
        first += len(part.patterns)
    database = _compile(tuple(p for part in parts for p in part.patterns), say)
    return None if database is None else _Group(database, tuple(placed), first)


def _plan(patterns: Tuple[Tuple[Tuple[str, int], ...], ...], triggers: Tuple[Optional[Tuple[str, int]], ...],
          groups: Tuple[Optional[int], ...]) -> Tuple[Tuple[_Group, ...], Tuple[int, ...]]:
    """The groups to scan a text with and the recognisers searched behind a trigger. Per recogniser:
    `patterns`, those it searches behind the prefilter (none: searched as before); `triggers`, its
    TRIGGER and flags, or None; `groups`, its PREFILTER_GROUP. Where Hyperscan refuses a group, every
    recogniser's patterns and the triggers are compiled alone: a refused one is searched as before."""
    if hyperscan is None:
        return (), ()
    parts = [_part(owner, wanted, groups[owner]) for owner, wanted in enumerate(patterns) if wanted]
    parts = [part for part in parts if part]
    return _together(parts, triggers) or _alone(parts, triggers)


def _trigger_part(prefiltered: List[_Part], triggers) -> Tuple[Optional[_Part], Tuple[int, ...]]:
    """The triggers of the recognisers with one that are not behind the prefilter, and those recognisers."""
    behind = {part.owner for part in prefiltered}
    triggered = tuple(i for i, trigger in enumerate(triggers) if trigger and i not in behind)
    part = _part(TRIGGERS, tuple(triggers[i] for i in triggered), TRIGGER_GROUP) if triggered else None
    return part, triggered if part else ()


def _together(parts: List[_Part], triggers):
    """One group per PREFILTER_GROUP and table (one a part where it has none); None where Hyperscan refuses one."""
    trigger_part, triggered = _trigger_part(parts, triggers)
    together: dict = {}
    for part in parts + ([trigger_part] if trigger_part else []):
        key = ("alone", part.owner) if part.group is None else ("group", part.group)
        together.setdefault((part.table, key), []).append(part)
    groups = tuple(_group(same, say=False) for same in together.values())
    return (groups, triggered) if all(groups) else None


def _alone(parts: List[_Part], triggers):
    """One group per part, as before groups: a part Hyperscan refuses is searched as before (said once)."""
    groups = [group for group in (_group([part], say=True) for part in parts) if group]
    trigger_part, triggered = _trigger_part([group.parts[0] for group in groups], triggers)
    trigger_group = _group([trigger_part], say=True) if trigger_part else None
    return tuple(groups + [trigger_group] * bool(trigger_group)), triggered if trigger_group else ()


class Prefilter:
    """The compiled patterns of a recogniser list; `scan` a text for where their matches can be."""

    def __init__(self, recognisers: Sequence):
        self._groups, self._triggered = _plan(
            tuple(_patterns(r) if hasattr(r, "prefilter_patterns") else () for r in recognisers),
            tuple((r.TRIGGER, int(r.FLAGS)) if getattr(r, "TRIGGER", None) else None for r in recognisers),
            tuple(getattr(r, "PREFILTER_GROUP", None) for r in recognisers))
        # Per recogniser, the group whose database holds its patterns; None: searched as before.
        self._databases: List[Optional[_Group]] = [None] * len(recognisers)
        for group in self._groups:
            for part in group.parts:
                if part.owner != TRIGGERS:
                    self._databases[part.owner] = group

    @property
    def active(self) -> bool:
        return any(self._databases)

    def scan(self, text: str) -> Optional[List[Optional["Candidates"]]]:
        """Per recogniser, where its matches can end in `text`; None for a recogniser without the
        prefilter (NOWHERE for one whose trigger the text cannot hold). None where the scan fails:
        every window is then searched, as without it."""
        plain = canonical(text)
        found: List[Optional[Candidates]] = [None] * len(self._databases)
        try:
            for group in self._groups:
                data = plain.translate(group.table)   # the groups' tables differ: one view each
                unsure = data if _UNSURE_BYTE in data else None
                ends = group.database.ends(data, group.patterns)
                for part in group.parts:
                    if part.owner == TRIGGERS:
                        for owner in _untriggered(part, ends, unsure, self._triggered):
                            found[owner] = NOWHERE
                    else:
                        found[part.owner] = _candidates(part, ends, unsure)
            return found
        except hyperscan.error as error:
            _say_once(f"pattern prefilter: scan failed ({error}); searching every window")
            return None


def prefilter_for(recognisers: Sequence) -> Optional[Prefilter]:
    if hyperscan is None:
        _say_once("pattern prefilter off: hyperscan is not installed (pattern search as before, slower)")
        return None
    prefilter = Prefilter(recognisers)
    return prefilter if prefilter.active else None


def _patterns(recogniser) -> Tuple[Tuple[str, int], ...]:
    return tuple((regex, int(flags)) for regex, flags in recogniser.prefilter_patterns())


class Candidates:
    """Where one recogniser's patterns can end in one text."""

    __slots__ = ("_ends", "_any", "_shapes", "_unsure_data")

    def __init__(self, ends: List[List[int]], shapes: Tuple[PatternShape, ...], unsure_data: Optional[bytes]):
        self._ends = ends   # per pattern, then every end (zip with the shapes leaves that one out)
        self._any = ends[-1]
        self._shapes = shapes
        self._unsure_data = unsure_data   # the text's bytes where it holds an UNSURE one, else None

    @property
    def nowhere(self) -> bool:
        """No pattern can match anywhere in the text."""
        return self._unsure_data is None and not self._any

    def anywhere(self, start: int, end: int) -> bool:
        """Whether any pattern may match in window text[start:end]: false for most windows."""
        if self._unsure_data is not None and self._unsure_data.find(_UNSURE_BYTE, start, end) >= 0:
            return True
        first = bisect.bisect_right(self._any, start)
        return first < len(self._any) and self._any[first] <= end

    def spans(self, start: int, end: int) -> Spans:
        """Per pattern, the part of window text[start:end] (offsets into the window) its matches can lie in."""
        if self._unsure_data is not None and self._unsure_data.find(_UNSURE_BYTE, start, end) >= 0:
            return None
        return tuple(_span(ends, shape, start, end) for ends, shape in zip(self._ends, self._shapes))


NOWHERE = Candidates([[]], (), None)   # one for every recogniser and text where no match can be


def _candidates(part: _Part, ends: Optional[List[List[int]]], unsure: Optional[bytes]) -> "Candidates":
    mine = ends[part.first:part.first + len(part.shapes)] if ends is not None else None
    if mine is None or not any(mine):
        return NOWHERE if unsure is None else Candidates(_no_ends(len(part.shapes)), part.shapes, unsure)
    for one in mine:
        one.sort()   # usually in order already
    return Candidates(mine + [sorted(end for one in mine for end in one)], part.shapes, unsure)


def _no_ends(patterns: int) -> List[List[int]]:
    return [[] for _ in range(patterns + 1)]


def _untriggered(part: _Part, ends: Optional[List[List[int]]], unsure: Optional[bytes],
                 owners: Tuple[int, ...]) -> List[int]:
    """The owners (recogniser indices) whose trigger can match nowhere in the text. A window is a piece
    of the text and a TRIGGER reads only what it matches (no look-around, anchor or word boundary:
    tests/test_recogniser_triggers.py), so none of its windows holds the trigger either and every
    match holds one: such a recogniser finds nothing in the text, and is not searched there (issue 16:
    three of them went through every window of every text with a digit, all for nothing). A text
    holding an UNSURE byte is searched as before."""
    if unsure is not None:
        return []
    return [owner for k, owner in enumerate(owners) if ends is None or not ends[part.first + k]]


def _span(ends: List[int], shape: PatternShape, start: int, end: int) -> Optional[Tuple[int, int]]:
    """Every match ends at a reported end in (start, end] and starts at most `longest` before it;
    its look-aheads and word boundaries read at most `reach` characters past its end."""
    first = bisect.bisect_right(ends, start)
    if first == len(ends) or ends[first] > end:
        return None
    last = ends[bisect.bisect_right(ends, end) - 1]
    pos = 0 if shape.longest is None else max(0, ends[first] - shape.longest - start)
    endpos = end - start if shape.reach is None else min(end - start, last + shape.reach - start)
    return pos, endpos
