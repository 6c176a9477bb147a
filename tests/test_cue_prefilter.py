"""name_context._may_end_in_cue, the string test that spares most runs the search for a cue before
them (issue 16), says False only where _CUE_BEFORE finds no cue: every string the pattern's
alternatives match, spelled out from the pattern itself, passes it, so a cue added to the pattern
without its ending fails here."""

import itertools
import random

try:
    from re import _parser as sre_parse   # Python 3.11+
except ImportError:   # pragma: no cover - older Pythons
    import sre_parse

from detectors import name_context
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
