"""Issue 21: recording file names as PBXs write them, and spoken forms written out (no audio needed)."""
from __future__ import annotations

import pytest

from detectors import Detector, DetectorSettings
from detectors.file_name_text import file_name_text
from detectors.spoken import written_form


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorSettings(use_ner=False))


def phones(detector, text: str) -> set[str]:
    import phonenumbers

    return {phonenumbers.format_number(phonenumbers.parse(f.text, "GB"), phonenumbers.PhoneNumberFormat.E164)
            for f in detector.analyze(text) if f.entity_type == "PHONE_NUMBER"}


@pytest.mark.parametrize("name, expected", [
    ("2024-03-11_091500_01132854417_01482420150.wav", {"+441132854417", "+441482420150"}),
    ("OUT-07700900123-20240311-0915.wav", {"+447700900123"}),
    ("in-01482420150-201-1710148500.wav", {"+441482420150"}),
    ("ext201_+441482420150_call.wav", {"+441482420150"}),
    ("OUT-447700900123-x.mp3", {"+447700900123"}),
    ("00441132854417-in.ogg", {"+441132854417"}),
    ("20240311-091500-ext201-JaneSmith-01132854417.m4a", {"+441132854417"}),
    ("q-20240311091500-1710148500.wav", set()),          # a timestamp and an epoch are not numbers
    ("report-2024-final.pdf", set()),
])
def test_every_number_in_a_recording_name_is_found(detector, name, expected):
    assert phones(detector, file_name_text(name)) == expected


def test_an_extension_is_written_out_and_a_camel_case_name_split():
    text = file_name_text("20240311-ext201-JaneSmith-01132854417.wav")
    assert "extension 201" in text and "Jane Smith" in text


def test_a_name_without_a_number_is_analysed_as_before():
    assert file_name_text("Jane_Smith_CV.docx") == "Jane Smith CV.docx"


@pytest.mark.parametrize("said, written", [
    ("my number is oh one one three two eight five four four one seven", "my number is 01132854417"),
    ("oh seven seven double oh nine oh oh one two three", "07700900123"),
    ("oh one four treble eight two four two", "014888242"),
    ("plus four four one four eight two four two oh one five oh", "+441482420150"),
    ("that one is fine", "that one is fine"),                          # one digit word stays a word
    ("email jane dot smith at example dot co dot uk thanks", "email jane.smith@example.co.uk thanks"),
    ("j underscore smith at gmail dot com", "j_smith@gmail.com"),
    ("meet me at home", "meet me at home"),
    ("postcode hotel uniform one three zero golf delta", "postcode HU13 0GD"),
    ("postcode h u one three oh g d", "postcode HU13 0GD"),
    ("alpha bravo one two three four five six charlie", "AB123456C"),
    ("hello my name is jane smith", "hello my name is Jane Smith"),
    ("[00:03.2-00:09.8] (spelled) oh one one three two eight five four four one seven\n",
     "[00:03.2-00:09.8] (spelled) 01132854417\n"),
    # Whisper's way of writing what it heard: punctuation at pauses, hyphens, digits mixed in
    ("call me on oh double one three four, nine six oh, double six one. Thanks.", "call me on 01134960661. Thanks."),
    ("call me on O-1134, nine six oh, double six one", "call me on 01134960661"),
    ("on O double seven double 0 nine 0 0 0 1 8.", "on 07700900018."),
    ("call 0-1-1-3-4-9-6-0-0-1-2-3. Thanks.", "call 011349600123. Thanks."),
    ("my number is 01482, 42, 015, 0. Thanks.", "my number is 01482420150. Thanks."),
    ("from 2020-2021, 15 people", "from 2020-2021, 15 people"),                # written numbers stay
    ("01632 960123, 07700 900456", "01632960123, 07700900456"),                # two numbers stay two
    ("My email is Michael.Smith at example.co.uk.", "My email is michael.smith@example.co.uk"),
    ("look at example.com now", "look at example.com now"),
    ("O'Neil said oh", "O'Neil said oh"),
])
def test_spoken_forms_are_written_out(said, written):
    assert written_form(said) == written


@pytest.mark.parametrize("said, entity, value", [
    ("[00:01.0-00:06.0] call me on oh one one three two eight five four four one seven", "PHONE_NUMBER",
     "01132854417"),
    ("[00:01.0-00:06.0] it is jane dot smith at example dot co dot uk", "EMAIL_ADDRESS", "jane.smith@example.co.uk"),
    ("[00:01.0-00:06.0] my postcode is hotel uniform one three zero golf delta", "UK_POSTCODE", "HU13 0GD"),
    ("[00:01.0-00:06.0] national insurance alpha bravo one two three four five six charlie", "UK_NINO",
     "AB123456C"),
])
def test_the_recognisers_find_what_was_said(detector, said, entity, value):
    found = {(f.entity_type, f.text) for f in detector.analyze(written_form(said))}
    assert (entity, value) in found


def test_a_transcript_excerpt_is_its_line_with_the_time_range(detector):
    from connectors.media.extract import transcript_line
    from connectors.media.speech import Segment
    from scanner.requests.excerpts import excerpts

    said = [Segment(0.0, 3.1, "hello this is the surgery"),
            Segment(3.2, 9.8, "call me on oh one one three two eight five four four one seven"),
            Segment(9.9, 12.0, "or email jane dot smith at example dot co dot uk")]
    text = written_form("".join(transcript_line(s) for s in said))
    found = detector.analyze(text)
    mine = [f for f in found if f.entity_type == "PHONE_NUMBER"]
    others = [f for f in found if f.entity_type == "EMAIL_ADDRESS"]
    assert excerpts(text, "audio/x-wav", mine, others) == ["[00:03.2-00:09.8] call me on 01132854417"]
    assert excerpts(text, "audio/x-wav", others, mine) == ["[00:09.9-00:12.0] or email jane.smith@example.co.uk"]
