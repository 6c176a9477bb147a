"""A `regex` pattern's stdlib twin (detectors/ascii_twin.py) finds exactly what the pattern finds on
ASCII text (issue 16): every twin the person and name-index rules use, on generated text full of
the near-misses that tell the two engines apart if the twin were written wrong."""

import random
import re

import pytest
import regex

from detectors import index_people, name_candidates, name_context, name_index
from detectors.ascii_twin import TwinPattern, stdlib_twin
from detectors.gazetteer import first_names

# Pieces that exercise the patterns: names and initials, titles, particles, lower-case names, cues,
# digits next to words, markup, and \x1c-\x1f (white space to the stdlib's \s only).
_PIECES = ["Jane", "Smith", "O'Neill", "McDonald", "MacAdam", "Smith-Jones", "OYELARAN", "O'BRIEN", "J.",
           "J", "Mr", "Mrs.", "Dr", "dr.", "ten", "van", "de", "Mac", "and", " and ", "my name is",
           "Dear", "hi", "I'm", "is from", "'s address", "flat", "Apt.", "12", "4b", "2906", "call me",
           "said", "patricia", "desrosiers", "a.", "Ltd", "Street", "in", "from", "city", "Corp", "<b>",
           "</b>", "&nbsp;", "@", ".", ",", ":", "-", "'", "\"", "(", ")", "/", "?", "!"]
_SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "", ", ", "\x1c", "\x1f", "\x0b"]


@pytest.fixture(scope="module")
def given_names():
    return sorted(n for n in first_names() if n.isascii())


def _text(rng: random.Random, given_names: list):
    """A text and where each piece's separator ends (a cue before a name ends a search's window:
    name_context)."""
    words, text, ends = rng.sample(given_names, 3), "", []
    for _ in range(rng.randint(1, 40)):
        text += rng.choice(_PIECES + words)
        text += rng.choice(_SEPARATORS)
        ends.append(len(text))
    return text, ends


def _twins():
    for module in (name_candidates, name_context, name_index, index_people):
        for name, value in vars(module).items():
            if isinstance(value, TwinPattern):
                yield pytest.param(value, id=f"{module.__name__.split('.')[-1]}.{name}")


def _found(pattern, text: str, pos: int, endpos: int):
    every = [(m.span(), m.groups()) for m in pattern.finditer(text, pos, endpos)]
    return every, [(m.span(), m.groups()) if m else None for m in (pattern.match(text, pos, endpos),
                                                                    pattern.search(text, pos, endpos))]


@pytest.mark.parametrize("twin", list(_twins()))
def test_a_twin_finds_what_its_pattern_finds_on_ascii_text(twin, given_names):
    assert twin.ascii is not twin.unicode, "no stdlib twin: ASCII text would gain nothing"
    rng = random.Random(16)
    matched = 0
    for _ in range(500):
        text, ends = _text(rng, given_names)
        assert text.isascii() and twin.on(text) is twin.ascii
        for endpos in [len(text), rng.randint(0, len(text))] + rng.sample(ends, min(3, len(ends))):
            pos = rng.randint(0, endpos)
            ours = _found(twin.ascii, text, pos, endpos)
            assert ours == _found(twin.unicode, text, pos, endpos), (text, pos, endpos)
            matched += bool(ours[0])
    assert matched > 15   # the generated text does reach the pattern


def test_text_with_any_other_character_is_read_by_the_regex_pattern():
    twin = TwinPattern(r"(?<![\p{L}\d@.])\p{Ll}{2,}(?=[ \t])")
    assert twin.on("siân jones") is twin.unicode
    assert [m.group() for m in twin.on("siân jones ").finditer("siân jones ")] == ["siân", "jones"]
    assert [m.group() for m in twin.on("sian jones ").finditer("sian jones ")] == ["sian", "jones"]


@pytest.mark.parametrize("pattern, written", [
    (r"\p{Lu}[\p{L}'\-]*", "[A-Z][A-Za-z'\\-]*"),
    (r"a\sb[^\s,]", "a[ \\t\\n\\r\\f\\v]b[^ \\t\\n\\r\\f\\v,]"),
    (r"x\S", "x[^ \\t\\n\\r\\f\\v]"),
    (r"[]\p{Ll}]", "[\\]a-z]"),
    (r"\\p{Lu}", "\\\\p{Lu}"),   # an escaped backslash, then text
])
def test_the_twin_writes_the_letter_classes_and_white_space_out(pattern, written):
    assert stdlib_twin(pattern).pattern == written


@pytest.mark.parametrize("pattern, flags", [
    (r"\p{N}+", 0),                    # another property: the stdlib has none
    (r"[^\S\n]", 0),                   # \S inside a set cannot be written out
    (r"(?<=\p{Lu}[a-z]*)x", 0),        # a variable-length look-behind
    (r"\X", 0),
    (r"[[a]b]", regex.VERSION1),       # nested sets mean another thing in VERSION1
    (r"a", regex.FULLCASE | regex.IGNORECASE),
])
def test_a_pattern_the_stdlib_would_read_otherwise_has_no_twin(pattern, flags):
    assert stdlib_twin(pattern, flags) is None
    twin = TwinPattern(pattern, flags)
    assert twin.on("ascii") is twin.unicode


def test_flags_carry_over():
    twin = stdlib_twin(r"\bdear\b", regex.IGNORECASE)
    assert twin.flags & re.IGNORECASE and twin.search("DEAR Jane")


def test_the_cue_and_house_number_windows_answer_as_a_search_of_the_whole_text(given_names):
    """name_context keeps each answer by the characters before a run; the answer is the search of the
    text itself, at every run start and on text that is not ASCII too."""
    rng = random.Random(21)
    cues = numbered = 0
    for _ in range(300):
        text, ends = _text(rng, given_names)
        text = text if rng.random() < 0.7 else text.replace("a", "á")
        for start in ends[:-1]:
            around = name_context.Around(text, start, ends[ends.index(start) + 1])
            before = name_context._CUE_BEFORE.unicode.search(text, max(0, start - 25), start) is not None
            number = name_context._HOUSE_NUMBER.unicode.search(text, max(0, start - 20), start) is not None
            assert name_context._cue_before(text[max(0, start - 26) : start]) == before, (text, start)
            assert around.after_number() == number, (text, start)
            cues += before
            numbered += number
    assert cues > 20 and numbered > 20
    # A cue or number starting just where the window does, a word character in front of it: no \\b there.
    for word_before in ("", "a", " "):
        text = word_before + "hi" + " " * 23 + "Jane"
        assert name_context._cued(text, len(text) - 4, len(text)) == ("before" if word_before != "a" else "")
        text = word_before.replace("a", "1") + "4" + " " * 19 + "Rita Mills"
        assert name_context.Around(text, len(text) - 10, len(text)).after_number() == (word_before != "a")
