"""The person and name-index rules' shortcuts (issue 16) answer as the plain readings they replace.

- name_context._may_end_in_cue, the string test that spares most runs the search for a cue before
  them, says False only where _CUE_BEFORE finds no cue: every string the pattern's alternatives
  match, spelled out from the pattern itself, passes it, so a cue added to the pattern without its
  ending fails here.
- name_index._RUN, its first capital read before its look-behind, and name_candidates._RUN, its
  capital tested before its look-behind, find what the patterns with the look-behind first find, in
  both engines.
- name_index._comma_forms, by anchored matches near each hint, finds the forms a search of each
  hint's window finds.
"""

import itertools
import random

import pytest

try:
    from re import _parser as sre_parse   # Python 3.11+
except ImportError:   # pragma: no cover - older Pythons
    import sre_parse

import regex

from detectors import name_candidates, name_context, name_index
from detectors.ascii_twin import stdlib_twin
from detectors.gazetteer import first_names
from detectors.name_context import _CUE_BEFORE, _may_end_in_cue


def _spelled(items) -> list:
    """Every string a parsed pattern matches; a repeat of anything more than once is taken 0-2 times."""
    out = [""]
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            options = [chr(arg)]
        elif name == "IN":
            options = [chr(value) for kind, value in arg if str(kind) == "LITERAL"]
            assert len(options) == len(arg), arg   # only plain characters in a set here
        elif name == "BRANCH":
            options = [s for branch in arg[1] for s in _spelled(branch)]
        elif name == "SUBPATTERN":
            options = _spelled(arg[-1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            inner = _spelled(body)
            options = [
                "".join(parts)
                for times in range(low, min(high, 2) + 1)
                for parts in itertools.product(inner, repeat=times)
            ]
        elif name == "AT":
            options = [""]   # \b and $: where they hold is up to the strings around
        else:
            raise AssertionError(f"a pattern piece this test cannot spell out: {name}")
        out = [a + b for a in out for b in options]
    return out


def _cues() -> list:
    return _spelled(sre_parse.parse(_CUE_BEFORE.ascii.pattern, _CUE_BEFORE.ascii.flags))


def test_every_cue_the_pattern_matches_passes_the_string_test():
    cues = _cues()
    assert len(cues) > 500 and "my name is" in cues and "join accounts with mrs. \"" in cues
    for cue in cues:
        for before in ("", "x ", "Hello. ", "(", "line\n"):
            for written in {cue, cue.upper(), cue.capitalize()}:
                window = (before + written)[-26:]
                for ending in ("", "\n"):
                    if _CUE_BEFORE.on(window + ending).search(window + ending, max(0, len(window) - 25)):
                        assert _may_end_in_cue(window + ending), window + ending


def test_the_string_test_agrees_with_the_search_on_random_windows():
    """Never False where the search finds a cue; False for most windows that hold none."""
    rng = random.Random(11)
    words = ["Jane", "the", "is", "name", "to", "me", "hi", "his", "dear", "Thanks", "amet.", "Mrs.", "Mr",
             "with", "said", "I'm", ",", ":", "?", "\"", "accounts", "join", "my", "son", "this"]
    refused = clean = 0
    for _ in range(20_000):
        window = "".join(rng.choice(words) + rng.choice([" ", "", "\t", "\n", "  "]) for _ in range(6))[-26:]
        found = _CUE_BEFORE.on(window).search(window, max(0, len(window) - 25)) is not None
        if found:
            assert _may_end_in_cue(window), window
        else:
            clean += 1
            refused += not _may_end_in_cue(window)
    assert refused > clean // 3


def test_text_that_is_not_ascii_goes_to_the_pattern():
    assert _may_end_in_cue("Merci à vous ")   # no cue, but only the pattern may say so
    assert name_context._cued("Thank you ſaid Jane", 15, 19) == "before"
    assert name_context._cued("Thanks. Jane", 8, 12) == ""
    assert name_context._cued("Dear\nJane", 5, 9) == "before"
    assert name_context._cued('I am "Jane', 6, 10) == "before"


def _plain_run() -> str:
    """name_index._RUN as it read before its first capital was moved in front of the look-behind."""
    ni = name_index
    return (rf"(?<![\p{{L}}\d@.'’\-]){ni._UNIT}(?:{ni._GAP}(?:{ni._PARTICLE}{ni._GAP})?{ni._UNIT})+"
            rf"(?![\p{{L}}\d@])")


_PIECES = ["Jane", "Smith", "O'Neill", "McDonald", "MacAdam", "Smith-Jones", "OYELARAN", "O'BRIEN", "J.", "J",
           "Mr", "Dr.", "Mrs.", "Revd.", "St.", "Prof", "ten", "van", "de", "Siân", "Łukasz", "É.", "ÓNEILL", "and", "12", "@", ".", "-", "'",
           "’", "x", "<b>", "</b>", "&nbsp;", "a."]
_GAPS = [" ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\n\n\n", "", ", ", "\xa0", "-", ".", "'"]


def _plain_candidate_run() -> str:
    """name_candidates._RUN as it read before its capital was tested first."""
    nc = name_candidates
    return rf"(?<![\p{{L}}\d@.]){nc._TOKEN}(?:[ \t]+(?:{nc._PARTICLE}[ \t]+)?{nc._TOKEN}){{0,3}}(?![\p{{L}}\d@])"


@pytest.mark.parametrize("module, plain_pattern", [(name_index, _plain_run), (name_candidates, _plain_candidate_run)])
def test_a_run_finds_what_the_look_behind_first_finds(module, plain_pattern):
    plain = regex.compile(plain_pattern())
    plain_ascii = stdlib_twin(plain_pattern())
    pattern = module._RUN
    assert plain_ascii is not None and pattern.ascii is not pattern.unicode
    rng = random.Random(12)
    given = sorted(n.capitalize() for n in first_names() if n.isascii())[:400]
    found = 0
    for _ in range(1500):
        text = "".join(rng.choice(_PIECES + rng.sample(given, 2)) + rng.choice(_GAPS)
                       for _ in range(rng.randint(1, 25)))
        runs = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in pattern.unicode.finditer(text)] == runs, repr(text)
        if text.isascii():
            assert [m.span() for m in plain_ascii.finditer(text)] == runs, repr(text)
            assert [m.span() for m in pattern.ascii.finditer(text)] == runs, repr(text)
        found += len(runs)
    assert found > 1000


def _plain_comma_forms(text: str) -> list:
    """name_index._comma_forms as it read before: every match of the hint's window searched."""
    seen, found = set(), []
    for hint in name_index._COMMA_HINT.on(text).finditer(text):
        for match in name_index._SURNAME_FIRST.finditer(text, max(0, hint.start() - 8), hint.end() + 80):
            if match.span() not in seen and match.start(1) <= hint.start() < match.end(2):
                seen.add(match.span())
                found.append(match.span())
    return found


def test_comma_forms_are_those_a_search_of_each_window_finds():
    for text in ("Ng, A; Li, Wei", "Staff: Ng, A; Li, Wei; Wu, Bo", "Ho, J, Ma, Lin"):   # a form ends before the next's hint
        assert [m.span() for m in name_index._comma_forms(text)] == _plain_comma_forms(text), text
    pieces = ["OYELARAN, Funmilayo", "Carver, Neil R.", "van Dijk, Jan", "Ó Céilleachair, Leslie", "Hart, Bradley",
              "and Coleman", "Grace Okafor, Peter", "Lindqvist", "SMITH,JANE", "De Lasa , Ana", "Mac Laithimh, D.",
              "x", "12", ",", ", ", "The", "Report,", "Kind regards,", "Jane", "Smith", "&", "<b>", "Łukasz",
              "Ng, A", "Li, Wei", "Ho, J", ";", "; ", "/"]   # short forms: one ends before the next's hint
    rng = random.Random(13)
    found = 0
    for _ in range(1500):
        text = "".join(rng.choice(pieces) + rng.choice([" ", "", ", ", "\n", "\t", "  "])
                       for _ in range(rng.randint(1, 20)))
        expected = _plain_comma_forms(text)
        assert [m.span() for m in name_index._comma_forms(text)] == expected, repr(text)
        found += len(expected)
    assert found > 1000
