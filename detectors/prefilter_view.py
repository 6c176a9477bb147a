"""The bytes Hyperscan reads for a text (detectors/prefilter.py): one per character, so offsets agree.

Hyperscan reads bytes with ASCII rules; Python's `re` reads characters with Unicode rules. ASCII
characters are handed over as themselves (both read them alike, but \\x1c-\\x1f, whitespace to Python
only). A non-ASCII character is handed over as an ASCII byte that every pattern of a recogniser treats
at least as permissively as Python treats the character, so each compiled pattern still matches a
superset of what Python's does and the prefilter never skips a match (issue 16: real mail is full of
’ “ ” – … £, no-break spaces and accented names; before, any window holding one was searched whole).

Which byte: a pattern's characters are all ASCII (pattern_shape.py), and what Python's `re` says of a
non-ASCII character against an ASCII class, literal or range depends only on whether it is \\d, \\w or
\\s, except for the four characters IGNORECASE folds onto ASCII letters (İ ı ſ K). So characters fall
into a few CLASSES, each with a sample. For one recogniser's patterns, a class's byte is the first
candidate for which every single-character matcher in them, asked by Python's own `re` about the sample
and about the byte, answers at least as permissively (the other way round inside a negative
look-around, and alike at word boundaries; a back-reference must see İ and K as the i and k they
equal); a class with no such byte is UNSURE, and a window holding an UNSURE byte is searched whole,
as before. Characters that are none of \\d \\w \\s (punctuation,
symbols, emoji) become 0xFF, which Hyperscan reads exactly as Python reads them: not \\d \\w \\s, no
ASCII letter, matched by `.`, \\W and every negated class.
"""

import _sre
import codecs
import functools
import re
from re import _compiler
from re import _constants as sre   # the parser's opcodes (private, stable since Python 3.11)
from re import _parser
from typing import Optional, Tuple

UNSURE = 0xFE
OTHER = 0xFF
DIGIT, WORD, SPACE = 0x80, 0x81, 0x82
# IGNORECASE matches these with ASCII letters: each is its own class (tests check there are no others).
CASE_FOLDS = {"\u0130": 0x83, "\u0131": 0x84, "\u017f": 0x85, "\u212a": 0x86}
# Class code in the canonical view -> the character Python is asked about. \x1c-\x1f stay themselves.
SAMPLES = {DIGIT: "\u0663", WORD: "\u00e9", SPACE: "\u00a0", **{code: ch for ch, code in CASE_FOLDS.items()},
           **{b: chr(b) for b in range(0x1C, 0x20)}}
_PREFERRED = {DIGIT: "0", WORD: "_", SPACE: "\t ", 0x83: "i", 0x84: "i", 0x85: "s", 0x86: "k"}
_CANDIDATES = "".join(chr(b) for b in range(0x80) if not 0x1C <= b <= 0x1F)

_ERRORS = "pdsweep-prefilter-view"


_CLASSIFY = re.compile(r"(\d)|(\w)|(\s)")   # Python's own reading of a character, first match wins


@functools.lru_cache(maxsize=4096)   # per process: mail uses a few hundred distinct characters
def _code(ch: str) -> int:
    if ch in CASE_FOLDS:
        return CASE_FOLDS[ch]
    found = _CLASSIFY.fullmatch(ch)
    return OTHER if found is None else (DIGIT, WORD, SPACE)[found.lastindex - 1]


codecs.register_error(_ERRORS, lambda e: (bytes(_code(c) for c in e.object[e.start:e.end]), e.end))


def canonical(text: str) -> bytes:
    """One byte per character: ASCII as itself, the rest as its class code (a view_table maps them)."""
    return text.encode("ascii", _ERRORS)


def view_table(patterns: Tuple[Tuple[str, int], ...]) -> bytes:
    """A bytes.translate table from the canonical view to the bytes these patterns may read."""
    table = bytearray(range(256))
    table[UNSURE] = UNSURE
    sites = _sites(patterns)
    for code, sample in SAMPLES.items():
        byte = None if sites is None else _representative(code, sample, sites)
        table[code] = UNSURE if byte is None else byte
    return bytes(table)


def _representative(code: int, sample: str, sites) -> Optional[int]:
    for ch in _PREFERRED.get(code, "") + _CANDIDATES:
        if all(_as_permissive(site, sample, ch) for site in sites):
            return ord(ch)
    return None


def _as_permissive(site, sample: str, ch: str) -> bool:
    kind, matcher, positive, _ = site
    if kind == "boundary":   # \b, \B: the byte is a word character exactly when the character is
        return bool(matcher.fullmatch(sample)) == bool(matcher.fullmatch(ch))
    if kind == "backref":   # what a back-reference takes as equal (under IGNORECASE: the same simple
        # lower case, as re compares) must give bytes Hyperscan takes as equal: İ and K equal i and k
        lower = chr(_sre.unicode_tolower(ord(sample)))
        return positive and (lower == sample or not lower.isascii() or ch.lower() == lower)
    python, byte = bool(matcher.fullmatch(sample)), bool(matcher.fullmatch(ch))
    return byte or not python if positive else python or not byte


_WORD = re.compile(r"\w")


def _sites(patterns) -> Optional[list]:
    """Every single-character matcher, word boundary and back-reference of the patterns: (kind, compiled
    matcher, whether it stands inside an even number of negative look-arounds, what it is in words);
    None for an opcode not followed here."""
    sites: list = []
    try:
        for regex, flags in patterns:
            parsed = _parser.parse(regex, flags)
            _walk(parsed, parsed.state.flags, True, sites)
    except Exception:   # ValueError, re.error; or re's private parser changed shape in a new Python:
        return None     # every class UNSURE, its windows searched whole, as before this view
    return sites


_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
_NESTED = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT, sre.BRANCH, sre.ATOMIC_GROUP)


def _walk(parsed, flags: int, positive: bool, sites: list) -> None:
    for op, av in parsed:
        if op in _CHARACTER:
            sites.append(("character", _matcher(op, av, flags), positive, f"{op} {av!r} {flags}"))
        elif op is sre.AT and av in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
            sites.append(("boundary", _WORD, positive, str(av)))
        elif op is sre.GROUPREF:
            sites.append(("backref", None, positive, str(op)))
        elif op is sre.SUBPATTERN:
            _walk(av[3], (flags | av[1]) & ~av[2], positive, sites)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _walk(av[1], flags, positive == (op is sre.ASSERT), sites)
        elif op in _NESTED:
            for part in _subpatterns(av):
                _walk(part, flags, positive, sites)
        else:
            raise ValueError(f"opcode {op} not followed")


def _subpatterns(av):
    if isinstance(av, _parser.SubPattern):
        yield av
    elif isinstance(av, (tuple, list)):
        for item in av:
            yield from _subpatterns(item)


def _matcher(op, av, flags: int) -> "re.Pattern":
    """The one matcher compiled alone, with the flags in force where it stands, by Python's own compiler."""
    state = _parser.State()
    state.flags = flags
    return _compiler.compile(_parser.SubPattern(state, [(op, av)]), flags)
