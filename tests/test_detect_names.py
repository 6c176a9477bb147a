"""PERSON findings: NER cleaning and the regex-speed name candidates (gazetteer, dictionary, cues, lists)."""

import pytest

from detectors import Detector, DetectorSettings
from detectors.gazetteer import first_names, is_dictionary_word, last_names
from detectors.name_candidates import candidate_names, firm_names
from detectors.names import trim

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorSettings())


def people(detector, text):
    return [f.text for f in detector.analyze(text) if f.entity_type == "PERSON"]


def candidates(text):
    return [text[s:e] for s, e, _ in candidate_names(text)]


def test_word_lists_loaded_and_sane():
    assert {"jane", "mohammed", "siobhan"} <= first_names() and {"smith", "patel", "jones"} <= last_names()
    assert "may" not in first_names()  # ordinary words are taken out of the name lists
    assert (
        is_dictionary_word("table")
        and is_dictionary_word("pleasures")
        and not is_dictionary_word("nishiyama")
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kind regards,\nSiobhan O'Neill\n", ["Siobhan O'Neill"]),  # known first name + surname
        ("Tomomi Nishiyama lives at 4 Rua do Arenque", ["Tomomi Nishiyama"]),  # neither word in a dictionary
        ("Dear Mr Okonkwo,", ["Okonkwo"]),  # title + one word, title trimmed
        ("My name is Rubija", ["Rubija"]),  # cue before
        ("Ubul: What a wife.", ["Ubul"]),  # speaker
        ("follow up with patricia desrosiers soon", ["patricia desrosiers"]),  # lower case first + surname
        ("They had 3: Gaetane, Hannah and Derek.", ["Gaetane", "Hannah", "Derek"]),
        ("Mrs. Barbara Yudina Apt. 675", ["Barbara Yudina"]),  # the flat ends the name
        ("Kind regards,\nBrandon Wells\n", ["Brandon Wells"]),  # a surname that is a street word
    ],
)
def test_candidates_find_names(text, expected):
    assert candidates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Guilty Pleasures",
        "Tube Snake Boogie",
        "093 Davies Meadow",
        "Flat 4\nRita Mills, Bensonbury",
        "North Lynn",
        "Paula Courts",
        "Customer Name,Email,Phone",
        "Google Public Data Explorer",
        "The Meeting Is At Noon",
    ],
)
def test_candidates_skip_places_titles_and_headers(text):
    assert candidates(text) == []


def test_surname_lists_are_firms_not_people(detector):
    text = "Please write to Parkinson, Ryan and Foster about the invoice."
    assert firm_names(text) and people(detector, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dear Mrs Jane Smith,", (9, 19)),
        ("Regards, Dr. Tom Jones's office", (13, 22)),
    ],
)
def test_trim_titles_and_possessives(text, expected):
    start = text.index("Mrs") if "Mrs" in text else text.index("Dr.")
    end = text.index(",", start) if "Mrs" in text else text.index(" office")
    assert trim(text, start, end) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Email jane.smith@example.com or call Jane Smith on 01482 420150.", ["Jane Smith"]),
        ("Send the report to Smith Ltd.", []),
        ("From Hull to Leeds by train.", []),
        ("Signed: Amadeo Vitorović, director", ["Amadeo Vitorović"]),
        ("See https://example.com/Jane-Smith/Profile and www.JaneSmith.co.uk today.", []),
    ],
)
def test_detector_people(detector, text, expected):
    assert people(detector, text) == expected


def test_without_ner_candidates_still_find_names():
    cheap = Detector(DetectorSettings(use_ner=False))
    assert people(cheap, "Kind regards, Siobhan O'Neill") == ["Siobhan O'Neill"]
    assert (
        people(Detector(DetectorSettings(use_ner=False, disable=frozenset({"PERSON"}))), "Siobhan O'Neill")
        == []
    )
