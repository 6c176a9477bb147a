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

_SB = r"(?:=\r?\n)?"                      # a quoted-printable soft line break, anywhere inside
_ATOM = r"[A-Za-z0-9!#$%&'*+^_~\-]"
_LOCAL = rf"[A-Za-z0-9_](?:{_SB}{_ATOM})*(?:{_SB}\.(?:{_SB}{_ATOM})+)*"
_LABEL = rf"[A-Za-z0-9](?:(?:{_SB}[A-Za-z0-9\-]){{0,61}}{_SB}[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}{_SB}\.{_SB})+[A-Za-z](?:{_SB}[A-Za-z]){{1,23}}"
# Not inside a longer word or address; right after "=3D" (QP for "="), or after "=" unless a "3D" follows.
_START = r"(?:(?<==3[Dd])|(?<==)(?!3[Dd])|(?<![\w.+\-=]))"
_SOFT_BREAK_AT_END = re.compile(r"=\r?\n$")


class EmailAddressRecognizer(SpanPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NEEDS = "@"
    PATTERNS = [Pattern("email", rf"{_START}(?P<value>{_LOCAL}{_SB}@{_SB}{_DOMAIN})\b", 0.9)]
    CONTEXT = ["email", "e-mail", "mail", "address"]

    def find_in(self, text: str, windows: List[Tuple[int, int]]):
        """A window ending in a soft line break goes on to the next line: the address continues there."""
        return super().find_in(text, [(start, _past_soft_breaks(text, end)) for start, end in windows])


def _past_soft_breaks(text: str, end: int) -> int:
    while end < len(text) and _SOFT_BREAK_AT_END.search(text, max(0, end - 3), end):
        following = text.find("\n", end)
        end = len(text) if following < 0 else following + 1
    return end
