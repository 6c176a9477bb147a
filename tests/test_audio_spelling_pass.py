"""Issue 21: Whisper's second pass over a window where a postcode, NI number or email is spelt
(connectors/media/spelling_pass.py, spelt_forms.py).

The readings' parsing is tested on text; the pass itself on calls spoken here by espeak-ng
and flite, band-passed to 8 kHz by sox, and found by a real scan and `find`.
"""
from __future__ import annotations

import pytest

from connectors.media.spelt_forms import (address_of, at_variants, identifier_of, letters_of, spelling_kinds,
                                         spelt_words)
from connectors.media.speech import load_engine
from detectors.spoken import written_form
from scanner.config import ScanConfig
from scanner.inventory.reader import InventoryReader
from scanner.scan import run_scan
from test_audio_recordings import NO_NER, find, flite_call, needs_flite, needs_tools, needs_whisper, pcm16k, speak


@pytest.mark.parametrize("said, value", [
    ("hotel uniform one three, zero golf delta.", "HU13 0GD"),
    ("Sierra whiskey one alpha one alpha alpha", "SW1A 1AA"),
    ("J.A. 59, 85 35C", "JA598535C"),
    ("BK-0166-72C.", "BK016672C"),                              # letters said alone, written as one word
    ("-CoDN hotel uniform one three zero golf delta", "HU13 0GD"),   # the cue's end written as letters
    ("november whiskey one six nine seven seven six bravo", "NW169776B"),
    ("hotel uniform one three zero golf", None),                # no postcode's shape
    ("VK 016672C", None),                                       # V starts no NI number
    ("Q Q one two three four five six C", None),                # QQ is no NI number's prefix
    ("double seven oh B", None),
])
def test_a_constrained_reading_is_read_as_a_postcode_or_ni_number(said, value):
    assert identifier_of(letters_of(spelt_words(said))) == value


@pytest.mark.parametrize("said, address", [
    ("peter dot brown at example dot co dot uk", "peter.brown@example.co.uk"),
    ("is jane dot smith at example dot co dot uk.", "jane.smith@example.co.uk"),
    ("sales underscore team at shop dot com", "sales_team@shop.com"),
    ("michael dot brown at example dot com dot uk", None),      # no such UK domain
    ("jane at apple dot code dot UK", "jane@apple.co.uk"),      # Whisper's "code" for "co"
    ("J A N E dot smith at example dot co dot uk", "jane.smith@example.co.uk"),   # letters said alone
    ("look at example dot com", None),                          # "look" starts no address
    ("I'm at home", None),
    ("fair not brown and at mental dot co dot uk", None),      # "and" for a misheard word
    ("at example dot co dot uk", None),
])
def test_a_spoken_address_is_written_only_when_it_has_an_address_shape(said, address):
    assert address_of(said) == address


def test_an_at_whisper_ran_into_a_word_is_put_back_in_the_variants():
    variants = [address_of(v) for v in at_variants("jane dot robert set example dot co dot uk")]
    assert "jane.roberts@example.co.uk" in variants and "jane.robert@example.co.uk" in variants
    glued = at_variants("peter dot brownat example dot co dot uk")
    assert address_of(glued[1]) == "peter.brown@example.co.uk"
    said = "peter dot brown at example dot co dot uk"
    assert at_variants(said) == [said]


@pytest.mark.parametrize("said, written", [
    ("Jones at example dot code dot UK", "jones@example.co.uk"),
    ("see the code dot uk", "see the code dot uk"),
    ("my email is j a n e dot smith at example dot co dot uk", "my email is jane.smith@example.co.uk"),
    ("s m i double t h at example dot com", "smitth@example.com"),
    ("plan a b at home", "plan a b at home"),                  # no address: the letters stay as said
])
def test_free_transcript_addresses_dot_code_dot_uk_and_letters_said_alone(said, written):
    assert written_form(said) == written


def test_only_a_window_that_shows_spelling_is_decoded_again():
    assert spelling_kinds("The post code is hotel uniform one three o'clock.") == ["letters"]
    assert spelling_kinds("My national insurance number is J.A. 5.I.") == ["letters"]
    assert spelling_kinds("My email is Peter.Brownatexample.co.uk.") == ["email"]
    assert "email" in spelling_kinds("My name is Jain Dot Roberts at example dot code dot UK.")
    assert spelling_kinds("Hello, I'm calling about my order. Thank you, goodbye.") == []
    assert spelling_kinds("I'll be at home, I was not there.") == []


@needs_tools
@needs_whisper
def test_a_nato_postcode_whisper_mishears_freely_is_read_by_the_second_pass(tmp_path):
    """espeak-ng's US voice at 8 kHz: Whisper base writes "The post-COVID-Bromo Delta family, one
    Delta Papa."; decoded again with NATO words, letters and digits only, the window reads whole."""
    call = speak(tmp_path / "postcode.wav", "The postcode is bravo delta seven, one delta papa.", speed=140,
                 voice="en-us")
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call))
    free = " ".join(s.text for s in segments if s.kind == "words")
    assert "BD7 1DP" not in written_form(free)
    assert [s.text for s in segments if s.kind == "spelled"] == ["BD7 1DP"]


@needs_tools
@needs_whisper
@needs_flite
def test_spelt_emails_and_ni_numbers_in_8khz_calls_are_found_by_find_and_chat_yields_none(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    email = flite_call(calls / "email.wav", "rms", "My email is sarah dot jones at example dot co dot uk.")
    nino = flite_call(calls / "nino.wav", "slt", "My national insurance number is whiskey alpha, "
                  "oh two, four seven, five three, charlie.")
    chat = speak(calls / "chat.wav", "Hello, I am at home today. Please post the code to me at the office. "
                 "My email is not working. Goodbye.")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    run_scan([str(calls)], config)

    assert find(config.inventory, "--email", "sarah.jones@example.co.uk") == {str(email)}
    assert find(config.inventory, "--nino", "WA024753C") == {str(nino)}
    assert _spelt_types(config.inventory, str(chat)) == set()


def _spelt_types(inventory: str, uri: str) -> set[str]:
    reader = InventoryReader(inventory)
    try:
        table = reader.arrow("SELECT f.entity_type FROM findings f JOIN locations l USING (content_hash) "
                             f"WHERE l.uri = '{uri}'").to_pylist()
    finally:
        reader.close()
    return {r["entity_type"] for r in table} & {"UK_POSTCODE", "UK_NINO", "EMAIL_ADDRESS"}

