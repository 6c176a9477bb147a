"""A recogniser's TRIGGER only skips windows it could find nothing in (issue 16): same results with and
without it, on every form its patterns take, one window per line."""

import re

import pytest

from detectors import DetectorSettings, prefilter
from detectors.detector import Detector
from detectors.recognizers import ON_BY_DEFAULT
from detectors.recognizers.base import windows
from detectors.recognizers.date_of_birth_recognizer import DateOfBirthRecognizer
from detectors.recognizers.uk_passport_recognizer import UkPassportNumberRecognizer
from detectors.recognizers.uk_sort_code_recognizer import UkSortCodeRecognizer

FORMS = {
    DateOfBirthRecognizer: ["DOB: 12/03/1980", "d.o.b. 12.03.80", "D.O.B 1980-03-12", "Date of birth:\n9 May 1980",
                            "date  of  birth is 3rd March 1975", "Birth date: 01-02-1990", "birthdate 1/2/1990",
                            "Birthday was Sept 4, 1985", "born on the 3rd March 1975", "BORN 12/03/1980"],
    UkPassportNumberRecognizer: ["Passport No. 123456789", "passport number AB1234567", "PASSPORT#: 123456789",
                                 "passport\n123456789"],
    UkSortCodeRecognizer: ["sort code 20-00-00 account 12345678", "12345678 sort code 20-00-00",
                           "20-00-00, acc 12345678", "Sort code: 200000", "Sortcode 20 00 00", "SORT CODE\n20-00-00"],
}
NEAR_MISSES = ["ref 12/03/1980 due", "order 123456789", "20 00 00 12345678", "code 20-00-0", "07700 900123"]


def _results(recogniser, text):
    spans = windows(text, re.compile(recogniser.NEEDS))
    return sorted((r.start, r.end, r.score) for r in recogniser.find_in(text, spans))


@pytest.mark.parametrize("cls", FORMS)
def test_the_trigger_changes_no_result(cls):
    with_trigger, without = cls(), cls()
    without._trigger = None
    assert with_trigger._trigger is not None
    for text in FORMS[cls] + NEAR_MISSES:
        # Two lines before, so a window is cut out of a longer text, as in a mail.
        text = "Hello,\nno numbers on this line\n" + text + "\nthanks"
        assert _results(with_trigger, text) == _results(without, text), text
    assert all(_results(with_trigger, "x\n" + form) for form in FORMS[cls])   # each form is found at all


def test_only_label_recognisers_have_a_trigger():
    assert {cls for cls in ON_BY_DEFAULT if getattr(cls, "TRIGGER", None)} == set(FORMS)


@pytest.mark.parametrize("cls", FORMS)
def test_a_trigger_reads_only_what_it_matches(cls):
    """The prefilter skips a text whose whole cannot hold a recogniser's trigger (prefilter._untriggered):
    exact only where a trigger found in a window is found in the text around it too, so a TRIGGER has no
    look-around, anchor or word boundary; and every match of the recogniser holds its trigger."""
    assert not re.search(r"\(\?|\\[bBAZ]|\^|\$", cls.TRIGGER), cls.TRIGGER
    trigger = re.compile(cls.TRIGGER, cls.FLAGS)
    for form in FORMS[cls]:
        for found in cls().find(form):
            assert trigger.search(form), form


@pytest.mark.skipif(prefilter.hyperscan is None, reason="hyperscan is not installed (no wheel for this platform)")
def test_a_text_that_cannot_hold_a_trigger_is_not_searched_for_it():
    detector = Detector(DetectorSettings(use_ner=False))
    without = Detector(DetectorSettings(use_ner=False))
    without.prefilter = None
    triggered = {i for i, r in enumerate(detector.recognisers) if type(r) in FORMS}
    plain = "Hello,\nref 12/03/1980 due, call 07700 900123\n"
    skipped = {i for i, where in enumerate(detector.prefilter.scan(plain)) if where is prefilter.NOWHERE}
    assert triggered <= skipped
    # The long s folds to "s" without case in Python's `re`, so "paſſport" is the label: searched as before.
    for text in (plain, "Paſſport No. 123456789\n", "D.O.B: 12/03/1980\n", "SORT CODE\n20-00-00\n"):
        where = detector.prefilter.scan(text)
        assert detector._pattern_findings(text) == without._pattern_findings(text), text
        if text != plain:
            assert any(where[i] is None for i in triggered), text
    assert without._pattern_findings("Paſſport No. 123456789\n")   # found at all
