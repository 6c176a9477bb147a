"""The Detector through its public interface, with the real spaCy model."""

import pickle
from collections import namedtuple

import pytest
from faker import Faker

from detectors import Detector, DetectorSettings, Finding

Field = namedtuple("Field", "label value start")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorSettings())


@pytest.fixture(scope="module")
def cheap():
    return Detector(DetectorSettings(use_ner=False))


def kinds(findings, entity):
    return [f.text for f in findings if f.entity_type == entity]


def test_settings_frozen_hashable_picklable():
    settings = DetectorSettings(min_score=0.6, enable=frozenset({"UsSsnRecognizer"}))
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert hash(settings) == hash(DetectorSettings(min_score=0.6, enable=frozenset({"UsSsnRecognizer"})))
    with pytest.raises(Exception):
        settings.min_score = 0.1


def test_settings_accept_lists_and_stay_hashable():
    settings = DetectorSettings(enable=["US_SSN"], disable={"UK_NHS"})
    assert settings == DetectorSettings(enable=frozenset({"US_SSN"}), disable=frozenset({"UK_NHS"}))
    assert hash(settings)


def test_fingerprint_stable_and_sensitive(detector):
    assert detector.fingerprint == Detector(DetectorSettings()).fingerprint
    assert detector.fingerprint != Detector(DetectorSettings(min_score=0.9)).fingerprint
    assert detector.fingerprint != Detector(DetectorSettings(disable=frozenset({"UK_NHS"}))).fingerprint


def test_letter_finds_every_kind_with_offsets(detector):
    text = (
        "Dear Mrs Jane Smith,\nPlease call 01482 420150 or email jane.smith@example.co.uk.\n"
        "NI AB123456C, NHS number 943 476 5919, postcode HU13 0GD, DOB: 12/03/1980.\nRegards, Tom Jones"
    )
    found = detector.analyze(text)
    assert all(isinstance(f, Finding) and text[f.start : f.end] == f.text for f in found)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert kinds(found, "PERSON") == ["Jane Smith", "Tom Jones"]  # title trimmed
    assert kinds(found, "PHONE_NUMBER") == ["01482 420150"]
    assert kinds(found, "EMAIL_ADDRESS") == ["jane.smith@example.co.uk"]
    assert kinds(found, "UK_NINO") == ["AB123456C"] and kinds(found, "UK_NHS") == ["943 476 5919"]
    assert kinds(found, "UK_POSTCODE") == ["HU13 0GD"] and kinds(found, "DATE_OF_BIRTH") == ["12/03/1980"]


def test_analyze_many_equals_analyze(detector):
    fake = Faker("en_GB")
    fake.seed_instance(3)
    texts = [f"{fake.name()} lives at {fake.address()}. Call {fake.phone_number()}." for _ in range(20)]
    texts += ["", "no capital letters here at all 01482 420150", "x" * 50]
    assert detector.analyze_many([(t, ()) for t in texts]) == [detector.analyze(t) for t in texts]


@pytest.mark.parametrize(
    "text, not_a_person",
    [
        ("Contact jane.smith@example.com for details.", "jane.smith"),
        ("Send it to Smith Ltd in Leeds.", "Smith"),
        ("Customer Name,Email,Phone\n", "Customer Name"),
        ("We delivered to Acme Widgets plc yesterday.", "Acme Widgets"),
    ],
)
def test_not_people(detector, text, not_a_person):
    assert not any(not_a_person in f.text for f in detector.analyze(text) if f.entity_type == "PERSON")


def test_name_near_the_end_of_a_long_text_keeps_offsets(detector):
    text = ("lorem ipsum dolor sit amet\n" * 2000) + "Signed by Margaret Thatcher on Monday."
    people = [f for f in detector.analyze(text) if f.entity_type == "PERSON"]
    assert [(f.text, text[f.start : f.end]) for f in people] == [("Margaret Thatcher", "Margaret Thatcher")]


def test_structured_fields_give_people_and_emails(cheap):
    text = "From: Jane Smith <jane@example.co.uk>\nTo: bob@example.com\n\nHi"
    fields = [
        Field("From", "Jane Smith <jane@example.co.uk>", 6),
        Field("To", "bob@example.com", text.index("bob")),
    ]
    found = cheap.analyze(text, fields)
    assert ("PERSON", "Jane Smith", 6) in [(f.entity_type, f.text, f.start) for f in found]
    assert sorted(kinds(found, "EMAIL_ADDRESS")) == ["bob@example.com", "jane@example.co.uk"]


def test_name_column_without_offset(cheap):
    found = cheap.analyze("", [Field("Surname", "Smith", -1), Field("Product", "Widget", -1)])
    assert [(f.entity_type, f.text, f.start, f.end) for f in found] == [("PERSON", "Smith", -1, -1)]


def test_company_column_blocks_person(detector):
    text = "Name,Company\nJane Smith,Taylor Williams and Jones\n"
    fields = [Field("Name", "Jane Smith", 13), Field("Company", "Taylor Williams and Jones", 24)]
    assert kinds(detector.analyze(text, fields), "PERSON") == ["Jane Smith"]


def test_us_recognisers_off_by_default_and_enable_by_name_or_type():
    text = "SSN 536-90-4399 on file"
    assert kinds(Detector(DetectorSettings(use_ner=False)).analyze(text), "US_SSN") == []
    on = Detector(DetectorSettings(use_ner=False, enable=frozenset({"US_SSN"})))
    assert kinds(on.analyze(text), "US_SSN") == ["536-90-4399"]


def test_disable_by_entity_type():
    det = Detector(DetectorSettings(use_ner=False, disable=frozenset({"uk_postcode"})))
    assert kinds(det.analyze("HU13 0GD"), "UK_POSTCODE") == []


def test_min_score_override_applies_to_all_types(cheap):
    strict = Detector(DetectorSettings(use_ner=False, min_score=0.99))
    text = "HU13 0GD and 01482 420150"
    assert len(cheap.analyze(text)) == 2 and strict.analyze(text) == []


def test_context_word_lifts_a_bare_digit_group(cheap):
    assert kinds(cheap.analyze("phone 0490 75 40 81"), "PHONE_NUMBER") == ["0490 75 40 81"]
    assert kinds(cheap.analyze("total 0490 75 40 81"), "PHONE_NUMBER") == []  # 04 is no UK range either


def test_us_recogniser_enabled_by_class_name():
    on = Detector(DetectorSettings(use_ner=False, enable=frozenset({"UsSsnRecognizer"})))
    assert kinds(on.analyze("SSN 536-90-4399"), "US_SSN") == ["536-90-4399"]


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

CHEAP_DETECTOR = Detector(DetectorSettings(use_ner=False))


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_gives_valid_sorted_findings(text):
    found = CHEAP_DETECTOR.analyze(text)
    assert all(0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.text for f in found)
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_odd_fields_never_raise(cheap):
    fields = [
        Field(None, None, None),
        Field("Name", "Jane Smith", None),
        Field("Company", "Acme", 999),
        Field("From", "not an address", 0),
        Field("DOB", "12/03/1980", -1),
    ]
    found = cheap.analyze("short text", fields)
    assert ("PERSON", "Jane Smith", -1) in [(f.entity_type, f.text, f.start) for f in found]
    assert ("DATE_OF_BIRTH", "12/03/1980", -1) in [(f.entity_type, f.text, f.start) for f in found]


@pytest.mark.parametrize("line, wanted", [
    ("Dear Emma Holt,", True),
    ("Mr Okafor called about the invoice", True),
    ("HOLT, Emma", True),
    ("Emma J. Holt", True),
    ("Contact: Jane Smith", True),
    ("Maxime et doloribus", False),          # a lone first-name-list word: left to the candidates
    ("NI number: AB123456C", False),
    ("Stock review: 55 x cover (SKU 88620)", False),
    ("jane smith", False),                   # no capital: the lowercase-pair candidates see it
])
def test_ner_reads_only_lines_with_a_name_cue(line, wanted):
    from detectors.ner import _line_wanted
    assert _line_wanted("names")(line) is wanted
    assert _line_wanted("all")(line) is True


@pytest.mark.parametrize("label, value, found", [
    ("Mobile", "7700900123", True),            # 07700 900123 typed into a number cell
    ("Tel", "1134960123", True),               # 0113 496 0123
    ("Phone number", "2079460000", True),      # 020 7946 0000
    ("Home phone", "1134960123", True),
    ("Order number", "1134960123", False),     # not a phone column
    ("Phone", "113496012", False),             # nine digits: not a UK number
    ("Phone", "6134960123", False),            # no UK number starts 06
])
def test_a_phone_column_holds_uk_numbers_without_their_leading_zero(cheap, label, value, found):
    from detectors.normalise import index_forms

    text = f"{label}\t{value}\n"
    phones = [f for f in cheap.analyze(text, [Field(label, value, text.index(value))])
              if f.entity_type == "PHONE_NUMBER" and f.recogniser == "StructuredField"]
    assert bool(phones) is found
    if found:
        assert index_forms("PHONE_NUMBER", phones[0].text) == [f"phone:+44{value}"]
