"""A PatternRecognizer that reports a named group's span and runs without spaCy.

Presidio's own PatternRecognizer reports the whole match. Several UK formats
are only safe to match with their surroundings (a date after "DOB", digits
after "sort code"), so a pattern may name a group `value`: that group is the
finding. `find` is the fast path the Detector calls directly on raw text.
"""

import re
from typing import List, Optional

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult


class SpanPatternRecognizer(PatternRecognizer):
    """Subclasses set ENTITY, PATTERNS, CONTEXT and may override validate_result."""

    ENTITY = ""
    PATTERNS: List[Pattern] = []
    CONTEXT: List[str] = []
    FLAGS = re.IGNORECASE

    def __init__(self, name: Optional[str] = None):
        super().__init__(
            supported_entity=self.ENTITY,
            name=name or type(self).__name__,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
        )
        self._compiled = [(re.compile(p.regex, self.FLAGS), p.score) for p in self.PATTERNS]

    def find(self, text: str) -> List[RecognizerResult]:
        """All validated matches; the `value` group's span where the pattern has one."""
        results = {}
        for regex, score in self._compiled:
            for match in regex.finditer(text):
                group = "value" if "value" in regex.groupindex else 0
                start, end = match.span(group)
                if start == end:
                    continue
                final = self._score(text[start:end], score)
                best = results.get((start, end))
                if final > 0 and (best is None or final > best.score):  # the strongest pattern wins a span
                    results[(start, end)] = RecognizerResult(self.ENTITY, start, end, final)
        return list(results.values())

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
