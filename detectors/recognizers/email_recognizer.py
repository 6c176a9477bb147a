"""Email addresses, by regex (no tldextract, so nothing touches the network).

The finding is the bare address, whatever wraps it: a quote, apostrophe or
backtick before it (Outlook's `'jane.doe@example.com';` lists), `mailto:`,
a quoted-printable `=3D`, an Exchange path (`…/cn=jdoe@example.com`), a
query string (`?email=jane@…`). So the local part starts with a letter,
digit or `_` and holds none of `/ = \\` ` | { } ?` (legal in RFC 5322, unseen
in people's addresses). A quoted-printable soft line break (`=` at a line
end) may split the address; normalisation removes it.
"""

import re
from typing import List, Tuple

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer

_ATOM = r"[A-Za-z0-9!#$%&'*+^_~\-]"
_BODY = (rf"[A-Za-z0-9_]{_ATOM}*(?:\.{_ATOM}+)*"
         r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")
# Not inside a longer word or address; after "=" (`?email=jane@…`) unless QP's "=3D" starts there.
_START = r"(?<![\w.+\-])(?!(?<==)3[Dd])"
_SB = r"(?:=\r?\n)?"    # a quoted-printable soft line break (`=` at a line end), anywhere inside
_SOFT_BROKEN_BODY = (rf"[A-Za-z0-9_](?:{_SB}{_ATOM})*(?:{_SB}\.(?:{_SB}{_ATOM})+)*{_SB}@{_SB}"
                     rf"(?:[A-Za-z0-9](?:(?:{_SB}[A-Za-z0-9\-]){{0,61}}{_SB}[A-Za-z0-9])?{_SB}\.{_SB})+"
                     rf"[A-Za-z](?:{_SB}[A-Za-z]){{1,23}}")
# Patterns only worth running on text that holds their trigger (each would halve the speed on all text).
_TRIGGERED = [
    (r"=3[Dd]", rf"(?<==3[Dd])(?P<value>{_BODY})\b"),                       # QP: `href=3D"…`, `=3Djane@…`
    (r"=\r?\n", rf"(?:{_START}|(?<==3[Dd]))(?P<value>{_SOFT_BROKEN_BODY})\b"),   # QP soft line breaks
]
_SOFT_BREAK_AT_END = re.compile(r"=\r?\n$")


class EmailAddressRecognizer(SpanPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NEEDS = "@"
    # Nearly every line with an "@" holds an address, and the patterns have no longest match to narrow
    # the search by: the prefilter would save nothing here and cost a third of its compile time.
    PREFILTER = False
    PATTERNS = [Pattern("email", rf"{_START}(?P<value>{_BODY})\b", 0.9)]
    CONTEXT = ["email", "e-mail", "mail", "address"]

    def __init__(self, name=None):
        super().__init__(name)
        self._triggered = [(re.compile(trigger), [(re.compile(pattern, self.FLAGS), 0.9)])
                           for trigger, pattern in _TRIGGERED]

    def prefilter_patterns(self):
        """The plain pattern, then the triggered ones: the order of `find`'s `spans`."""
        plain = super().prefilter_patterns()
        return plain + [(pattern, self.FLAGS) for _, pattern in _TRIGGERED] if plain else []

    def _found(self, text: str, spans=None):
        """The plain pattern, then each triggered one whose trigger the text holds; where two match
        overlapping spans, the longer wins later on (resolve_overlaps)."""
        found = super()._found(text, spans and spans[:1])
        plain = self._compiled
        try:
            for index, (trigger, compiled) in enumerate(self._triggered, 1):
                if trigger.search(text):
                    self._compiled = compiled
                    found.update(super()._found(text, spans and spans[index:index + 1]))
        finally:
            self._compiled = plain
        return found

    def found_in(self, text: str, windows: List[Tuple[int, int]], candidates=None):
        """A window ending in a soft line break goes on to the next line: the address continues there."""
        return super().found_in(text, [(start, _past_soft_breaks(text, end)) for start, end in windows], candidates)


def _past_soft_breaks(text: str, end: int) -> int:
    while end < len(text) and _SOFT_BREAK_AT_END.search(text, max(0, end - 3), end):
        following = text.find("\n", end)
        end = len(text) if following < 0 else following + 1
    return end
