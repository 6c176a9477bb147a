"""A `regex` pattern with a stdlib `re` twin for text that is all ASCII (issue 16).

The person and name-index rules use the `regex` module for its Unicode letter classes (`\\p{L}`,
`\\p{Lu}`, `\\p{Ll}`). On a text that holds only ASCII those classes are `[A-Za-z]`, `[A-Z]` and
`[a-z]`, and the stdlib's engine scans the same pattern 2.5-3 times faster
(benchmarks/detect_speed.py --stages). Most mail and office text is ASCII; `str.isascii` is a flag
CPython keeps on every string, so choosing costs nothing.

The twin is the same pattern string with those classes written out. Everything else in it reads
the same in both engines on ASCII text (`\\d` is [0-9], `\\w` and `\\b` are ASCII word characters in
both), except `\\s`: the stdlib also counts \\x1c-\\x1f as white space, so `\\s` is written out as
`[ \\t\\n\\r\\f\\v]`. A pattern using anything the stdlib cannot compile (another Unicode property, a
variable-length look-behind, VERSION1) gets no twin: ASCII text then uses the `regex` pattern too.
tests/test_ascii_twin.py checks each twin against its pattern on generated text.
"""

import re
import warnings
from typing import Optional

import regex

_WRITTEN_OUT = {"L": "A-Za-z", "Lu": "A-Z", "Ll": "a-z"}
_SPACE = " \\t\\n\\r\\f\\v"
_PROPERTY = re.compile(r"\\p\{(\w+)\}")
_FLAGS = (regex.IGNORECASE, re.IGNORECASE), (regex.MULTILINE, re.MULTILINE), (regex.DOTALL, re.DOTALL), \
    (regex.VERBOSE, re.VERBOSE)


class TwinPattern:
    """`regex.compile(pattern, flags)` and, where it has one, its stdlib twin; `on(text)` picks."""

    def __init__(self, pattern: str, flags: int = 0):
        self.unicode = regex.compile(pattern, flags)
        self.ascii = stdlib_twin(pattern, flags) or self.unicode

    def on(self, text: str):
        """The pattern to scan `text` with: the stdlib twin where `text` is all ASCII."""
        return self.ascii if text.isascii() else self.unicode


def stdlib_twin(pattern: str, flags: int = 0) -> Optional["re.Pattern"]:
    """The `re` pattern that matches exactly as `regex.compile(pattern, flags)` on ASCII text; None
    where there is none."""
    read_alike = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE | regex.UNICODE | regex.VERSION0
    if flags & ~read_alike:
        return None   # VERSION1, FULLCASE, ASCII...: read otherwise than the stdlib reads them
    written = _written_out(pattern)
    if written is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)   # "possible nested set": read otherwise by V1
        try:
            return re.compile(written, sum(ours for theirs, ours in _FLAGS if flags & theirs))
        except (re.error, FutureWarning):
            return None


def _written_out(pattern: str) -> Optional[str]:
    """The pattern with \\p{L}, \\p{Lu}, \\p{Ll} and \\s as ASCII classes; None where it uses another
    property."""
    out, at, in_class = [], 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            escape = pattern[at : at + 2]
            prop = _PROPERTY.match(pattern, at)
            if prop:
                letters = _WRITTEN_OUT.get(prop.group(1))
                if letters is None:
                    return None
                out.append(letters if in_class else f"[{letters}]")
                at = prop.end()
                continue
            if escape in ("\\P", "\\p", "\\X", "\\L", "\\G") or escape == "\\S" and in_class:
                return None
            out.append({"\\s": _SPACE if in_class else f"[{_SPACE}]",
                        "\\S": f"[^{_SPACE}]"}.get(escape, escape))
            at += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            opening = pattern[at : at + 2] if pattern[at + 1 : at + 2] == "^" else "["
            out.append(opening)
            at += len(opening)
            if pattern[at : at + 1] == "]":   # a "]" first in a set is a literal
                out.append("\\]")
                at += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        at += 1
    return "".join(out)
