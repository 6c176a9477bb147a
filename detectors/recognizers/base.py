"""A PatternRecognizer that reports a named group's span and runs without spaCy.

Presidio's own PatternRecognizer reports the whole match. Several UK formats
are only safe to match with their surroundings (a date after "DOB", digits
after "sort code"), so a pattern may name a group `value`: that group is the
finding. `find` is the fast path the Detector calls directly on raw text.
"""

import re
from typing import Dict, List, Optional, Tuple

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from detectors.prefilter import Candidates, Spans

# The windows one recogniser remembers, in characters (issue 16): mail repeats a window in each reply
# that quotes it. Thirteen recognisers hold at most 2.6 M characters together; a bigger cap measured no faster.
WINDOW_CACHE_CHARS = 200_000


def windows(text: str, needs: "re.Pattern") -> List[Tuple[int, int]]:
    """Runs of lines holding a `needs` character, each with the line before it (labels such as
    "Date of birth:" or "Sort code" may sit on the line above the value).

    Cutting at line starts keeps every pattern's look-behind seeing what it would
    see in the whole text (a newline). Most prose holds no digit on most lines,
    so the digit patterns, the slow part of the cheap recognisers, skip it.
    """
    spans: List[Tuple[int, int]] = []
    match = needs.search(text)
    while match:
        line_start = text.rfind("\n", 0, match.start()) + 1
        start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1 if line_start else 0
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        match = needs.search(text, end)   # the next one past this window: every digit of a table is one match
    return spans


class SpanPatternRecognizer(PatternRecognizer):
    """Subclasses set ENTITY, PATTERNS, CONTEXT and may override validate_result."""

    ENTITY = ""
    # A character every match must hold: lines without one are never searched (see windows()).
    NEEDS = r"\d"
    # A pattern found in every match, cheaper to look for than the patterns (a label, a shape): windows
    # without it are not searched. None: every window is.
    TRIGGER: Optional[str] = None
    PATTERNS: List[Pattern] = []
    CONTEXT: List[str] = []
    FLAGS = re.IGNORECASE
    # Whether to search behind the compiled prefilter (detectors/prefilter.py), which costs compile time
    # once per process. None: where there is no TRIGGER (a TRIGGER skips the windows it could already).
    PREFILTER: Optional[bool] = None
    # Recognisers of one group (that read the text through the same view table) are compiled into one
    # database, so one scan of a text serves them all; None: a database of its own. Hyperscan's compile
    # time grows much faster than the patterns with some combinations (UkPhone with IntlPhone 0.048 s
    # against 0.015 apart, PaymentCard with UkDrivingLicence 0.24 s), so the groups are the ones measured
    # cheap: four databases a text (the triggers join group 1: prefilter.TRIGGER_GROUP) instead of ten,
    # compiled in 0.039 s against 0.033 one by one (`benchmarks/prefilter_cost.py` prints the compile).
    PREFILTER_GROUP: Optional[int] = None

    def __init__(self, name: Optional[str] = None):
        super().__init__(
            supported_entity=self.ENTITY,
            name=name or type(self).__name__,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )
        self._compiled = [(re.compile(p.regex, self.FLAGS), p.score) for p in self.PATTERNS]
        # Validation is a pure function of the matched value; mail repeats the same numbers in every
        # signature and quoted copy, and phone validation (phonenumbers) is the slow part (issue 16).
        self._scores: dict = {}
        self._trigger = re.compile(self.TRIGGER, self.FLAGS) if self.TRIGGER else None
        self._windows: dict = {}   # window text -> its results, offsets into the window (find_in)
        self._window_chars = 0

    def prefilter_patterns(self) -> List[Tuple[str, int]]:
        """(regex, flags) of every pattern `find` may run, in the order of the `spans` it takes; none
        where this recogniser does without the prefilter."""
        wanted = self.TRIGGER is None if self.PREFILTER is None else self.PREFILTER
        return [(p.regex, self.FLAGS) for p in self.PATTERNS] if wanted else []

    def find(self, text: str, spans: Spans = None) -> List[RecognizerResult]:
        """All validated matches; the `value` group's span where the pattern has one. `spans`, one per
        pattern (detectors/prefilter.py): the (pos, endpos) of `text` its matches can lie in, None
        where it has none; absent, every pattern searches the whole text."""
        return [RecognizerResult(self.ENTITY, start, end, score)
                for (start, end), score in self._found(text, spans).items()]

    def _found(self, text: str, spans: Spans = None) -> Dict[Tuple[int, int], float]:
        """`find` as {(start, end): score}, in the order found: the Detector builds its own findings
        from these, so no RecognizerResult is made for it (issue 16: one per match, each logging)."""
        results: Dict[Tuple[int, int], float] = {}
        for index, (regex, score) in enumerate(self._compiled):
            if spans is None:
                matches = regex.finditer(text)
            elif spans[index] is None:
                continue
            else:
                matches = regex.finditer(text, *spans[index])
            group = "value" if "value" in regex.groupindex else 0
            for match in matches:
                start, end = span = match.span(group)
                if start == end:
                    continue
                final = self._score_once(text[start:end], score)
                if final > 0 and final > results.get(span, 0):   # the strongest pattern wins a span
                    results[span] = final
        return results

    def find_in(self, text: str, windows: List[Tuple[int, int]],
                candidates: Optional[Candidates] = None) -> List[RecognizerResult]:
        """`find` on the given (start, end) windows of `text` only, offsets into `text`. `candidates`:
        where the prefilter says this recogniser's matches can end; windows without any are skipped."""
        return [RecognizerResult(self.ENTITY, start, end, score)
                for start, end, score in self.found_in(text, windows, candidates)]

    def found_in(self, text: str, windows: List[Tuple[int, int]],
                 candidates: Optional[Candidates] = None) -> List[Tuple[int, int, float]]:
        """`find_in` as (start, end, score) tuples: what the Detector reads."""
        if len(windows) == 1 and windows[0] == (0, len(text)):   # without the cache or the trigger
            if candidates is None:
                spans = None
            else:
                spans = candidates.spans(0, len(text))
                if spans is not None and not any(spans):
                    return []
            return [(start, end, score) for (start, end), score in self._found(text, spans).items()]
        results = []
        for start, end in windows:
            if candidates is not None and not candidates.anywhere(start, end):
                continue   # no pattern can match in this window
            for found_start, found_end, score in self._find_once(text[start:end], candidates, start):
                results.append((found_start + start, found_end + start, score))
        return results

    def _find_once(self, window: str, candidates: Optional[Candidates] = None,
                   start: int = 0) -> Tuple[Tuple[int, int, float], ...]:
        """`find` once per distinct window and process: mail repeats its signatures and quoted lines.
        Kept as plain tuples, which the garbage collector untracks: fewer objects for it to walk.
        `candidates` (the window starting at `start` in their text) only narrow where `find` looks,
        never what it finds: the cache holds whatever narrowed the search."""
        found = self._windows.get(window)
        if found is None:
            if self._window_chars >= WINDOW_CACHE_CHARS:
                self._windows.clear()
                self._window_chars = 0
            results = {}
            if self._trigger is None or self._trigger.search(window):
                spans = candidates.spans(start, start + len(window)) if candidates is not None else None
                results = self._found(window, spans)
            found = self._windows[window] = tuple((s, e, score) for (s, e), score in results.items())
            self._window_chars += len(window)
        return found

    def _score_once(self, value: str, score: float) -> float:
        key = (value, score)
        final = self._scores.get(key)
        if final is None:
            if len(self._scores) >= 20_000:
                self._scores.clear()
            final = self._scores[key] = self._score(value, score)
        return final

    def _score(self, value: str, score: float) -> float:
        valid = self.validate_result(value)
        if self.invalidate_result(value):
            return 0.0
        # A check digit proves the shape, not that it is personal data: keep
        # the pattern's own score rather than Presidio's jump to 1.0.
        return 0.0 if valid is False else score

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Presidio entry point, so the recogniser also works in an AnalyzerEngine."""
        return self.find(text)
