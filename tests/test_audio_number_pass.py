"""Issue 21: Whisper's second pass over a window that holds a number (connectors/media/number_pass.py).

The calls are spoken here by espeak-ng (the hard case: Whisper base's free transcript of
these numbers is wrong) and by flite (a more natural voice), band-passed to 8 kHz by sox.
"""
from __future__ import annotations

import pytest

from connectors.limits import Limits
from connectors.media.constrained import single_spaced
from connectors.media.number_pass import (digits_of, number_like, number_span, number_spans, with_digit_repeated,
                                          worth_a_pass)
from connectors.media.speech import load_engine
from scanner.config import ScanConfig
from scanner.scan import run_scan
from test_audio_recordings import (NO_NER, find, flite_call, needs_flite, needs_tools, needs_whisper, pcm16k,
                                   rows, speak)


@pytest.mark.parametrize("said, digits", [
    ("oh double seven, 90, 018.", "07790018"),
    (" O-7700, 900018.", "07700900018"),
    ("oh one one three four treble two", "01134222"),
    ("double, oh nine", "009"),
    ("O2O, 7-9-4-6, O7-11,", "02079460711"),     # "oh" written as the letter O glued to digits
    ("O-7700-00603.", "0770000603"),
    ("Oh, no, foo", "0"),                        # a word with no digit in it is not a glued "oh"
    ("", ""),
])
def test_a_constrained_reading_is_read_as_its_digits(said, digits):
    assert digits_of(said) == digits


@pytest.mark.parametrize("written, k, longer", [
    # a reading one digit short keeps the "double"s it was said with; the repeated digit is said again
    ("oh double seven double oh nine oh two three oh", 6, "oh double seven double oh nine oh oh two three oh"),
    ("oh double seven double oh nine oh two three oh", 2, "oh double seven seven double oh nine oh two three oh"),
    ("double oh nine", 0, "double oh oh nine"),
    # digits written as numerals, or as O's glued to them, repeat their own character
    ("O2O, 7-9-4-6, O-6-9", 4, "O2O, 7-99-4-6, O-6-9"),
    ("O2O 744, O711,", 2, "O2OO 744, O711,"),
    ("07700, 1 00, 603,", 0, "007700, 1 00, 603,"),
])
def test_a_digit_heard_once_is_tried_twice_in_the_reading_s_own_words(written, k, longer):
    assert with_digit_repeated(written, k) == longer
    digits = digits_of(written)
    assert digits_of(longer) == digits[:k + 1] + digits[k:]


@pytest.mark.parametrize("text, number", [
    # Whisper's "Oh" for "Hello" is number-like but far from the number: the number starts at "020"
    ("Oh, you can call me back on 020, 7, 9, 4, 6, oh 3, oh 4, thanks.", "020, 7, 9, 4, 6, oh 3, oh 4,"),
    # misheard words inside the number (up to three) do not end it; the run with the most digits wins
    ("call me Macon O700000, I know, do 5, 2, and...", "O700000, I know, do 5, 2,"),
    ("that one is mine, call me on oh one one three, nine six oh", "oh one one three, nine six oh"),
    ("nothing said here", None),
])
def test_the_number_is_the_run_of_number_words_with_most_digits(text, number):
    tokens = text.split()
    span = number_span(tokens)
    assert (span and " ".join(tokens[span[0]:span[1] + 1])) == number


@pytest.mark.parametrize("text, numbers", [
    # a mobile and an office number in one window: each is read, after the text up to it
    ("my mobile is 0770910123, or you can call the office on 0113 for 960169. Thanks.",
     ["0770910123,", "0113 for 960169."]),
    ("oh one one three, four nine six, oh one six nine, or try my mobile on O-7700 900 123",
     ["oh one one three, four nine six, oh one six nine,", "O-7700 900 123"]),
    # a short run beside the number is no second number ("flat 2", "order one two three")
    ("flat 2 in the block, call me back on O2O 7946 0711", ["O2O 7946 0711"]),
    ("order one two three. You can call me back on oh two oh seven nine four six oh seven one one",
     ["oh two oh seven nine four six oh seven one one"]),
    # the run with the most digits stays the window's number, whatever its length
    ("Oh, you can call me back on 020, 7, 9, 4, 6,", ["020, 7, 9, 4, 6,"]),
])
def test_each_run_holding_most_of_a_number_is_a_number_of_its_own(text, numbers):
    tokens = text.split()
    assert [" ".join(tokens[first:last + 1]) for first, last in number_spans(tokens)] == numbers


def test_a_reading_put_back_into_its_text_has_single_spaces():
    """Readings come back with a leading space; a double space is a token alignment scores as unlikely."""
    assert single_spaced("call me back on", " oh two,", "") == "call me back on oh two,"
    assert single_spaced("", " oh two", " thanks.") == "oh two thanks."


def test_only_a_window_with_a_number_in_it_is_decoded_again():
    assert worth_a_pass("call me back on O-Nobal 134, nine six oh")
    assert worth_a_pass("oh one one")
    assert not worth_a_pass("that one is mine, the other one too")
    assert not worth_a_pass("Thank you for calling. Goodbye.")
    assert number_like("O-1134") and number_like("double,") and not number_like("Nero")


def _scan_finds(tmp_path, call, number: str) -> set[str]:
    """The recordings `find --phone` returns, once the call's row says it was read whole (a timeout
    under load fails here with its reason, not as "no number found")."""
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    run_scan([str(call.parent)], config)
    row = rows(config.inventory)[str(call)]
    assert (row["status"], row["reason"]) == ("ok", "")
    return find(config.inventory, "--phone", number)


@needs_tools
@needs_whisper
def test_a_number_whisper_mishears_freely_is_found_by_the_second_pass(tmp_path):
    """espeak-ng at 175 words a minute: Whisper base writes "O-Nobal 134, nine six oh, double six one"
    (a digit lost to "Nobal"); decoded again with digits and digit words only, the window reads whole.
    (A scan finding a spoken number by `find --phone` is test_audio_recordings.py's and the flite test's.)"""
    call = speak(tmp_path / "call.wav", "Hello, you can call me back on oh double one three four, "
                 "nine six oh, double six one. Thanks.", speed=175)
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call))
    assert "01134960661" not in " ".join(s.text for s in segments if s.kind == "words").replace(" ", "")
    assert [s.text for s in segments if s.kind == "spelled"] == ["01134960661"]


@needs_tools
@needs_whisper
def test_a_number_said_after_half_a_minute_of_speech_is_read_again_in_its_own_window(tmp_path):
    """The second pass decodes after the window's whole text up to the number: a long one too."""
    hold = "Your call is important to us. Please hold the line and someone will be with you shortly. "
    call = speak(tmp_path / "long.wav", hold * 3 + "Hello, you can call me back on oh double one three four, "
                 "nine six oh, double six one. Thanks.", speed=175)
    windows = []
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call), progress=lambda: windows.append(1))
    spelled = [s for s in segments if s.kind == "spelled"]
    assert [s.text for s in spelled] == ["01134960661"]
    assert spelled[0].end_s > 20
    assert len(windows) == 1         # a window read is progress: it re-arms the per-document time limit


@needs_tools
def test_each_stretch_of_speech_is_progress_for_the_time_limit(tmp_path):
    """An hour's call is many steps, not one: pocketsphinx reports each stretch it decodes."""
    call = speak(tmp_path / "two.wav", "Thank you for calling. [[_::_::_::_::_::_::_::_::_::_]] Goodbye now.")
    stretches = []
    segments = load_engine("pocketsphinx", None).transcribe(pcm16k(call), progress=lambda: stretches.append(1))
    assert len(stretches) >= 2 and len({(s.start_s, s.end_s) for s in segments}) == len(stretches)


@needs_tools
@needs_whisper
def test_a_call_without_a_whole_number_gets_no_number_from_the_second_pass(tmp_path):
    """Three digit words start a second pass; its reading is no UK number's length, so nothing is added."""
    call = speak(tmp_path / "order.wav", "Hello, I am calling about order one two three. Goodbye.")
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call))
    assert [s for s in segments if s.kind == "words"]
    assert [s for s in segments if s.kind == "spelled"] == []


@needs_tools
@needs_whisper
@needs_flite
def test_a_number_said_by_a_flite_voice_on_an_8khz_call_is_found(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    call = flite_call(calls / "call.wav", "awb", "Hello, you can call me back on oh one one three four, "
                      "nine six oh, one six nine. Thanks.")
    assert _scan_finds(tmp_path, call, "0113 496 0169") == {str(call)}


@needs_tools
@needs_whisper
@needs_flite
def test_a_number_after_a_hello_heard_as_oh_is_read_from_where_it_is_said(tmp_path):
    """flite's awb voice, slowed to 150 words a minute: Whisper writes "Oh, you can call me back on 020, 7,
    9, 4, 6, both three oh four". The number's reading starts at "020", not at the "Oh" that opens the
    window (read from there, no reading held the number)."""
    call = flite_call(tmp_path / "call.wav", "awb", "Hello, you can call me back on oh two oh, seven nine four "
                      "six, oh three oh four. Thanks.", stretch=175 / 150)
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call))
    assert [s.text for s in segments if s.kind == "spelled"] == ["02079460304"]


@needs_tools
@needs_whisper
@needs_flite
def test_a_mobile_and_an_office_number_in_one_window_are_both_read(tmp_path):
    """Two numbers in one 30 s window (flite's awb voice at 140 words a minute): each run of number words
    holding most of a number is read after the text up to it, each on its own line. Read one number
    per window, the call got only the first."""
    call = flite_call(tmp_path / "call.wav", "awb", "Hello, my mobile is oh one six three two, nine six oh, five "
                      "two six, or you can call the office on oh two oh, seven nine four six, oh two four one. Thanks.",
                      stretch=175 / 140)
    segments = load_engine("faster-whisper", None).transcribe(pcm16k(call))
    assert [s.text for s in segments if s.kind == "spelled"] == ["01632960526", "02079460241"]


@needs_tools
def test_a_recording_that_runs_past_the_time_limit_is_recorded_with_its_reason(tmp_path):
    """Under a loaded machine a call can outlast doc_timeout_s: its row must say so, not read as silence."""
    calls = tmp_path / "calls"
    calls.mkdir()
    call = speak(calls / "call.wav", "Hello, you can call me back on oh one one three four, nine six oh, "
                 "one six nine. Thanks.")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER,
                        limits=Limits(doc_timeout_s=0.01))     # less than any engine takes over one window
    run_scan([str(calls)], config)
    row = rows(config.inventory)[str(call)]
    assert (row["status"], row["reason"]) == ("timeout", "limit: doc_timeout_s")
