"""Issue 21: a number the engine scored nearly as likely as its winner is kept as a possible reading
(connectors/media/number_pass.py `possible_readings`), on its own `(possible)` transcript line, found
by `find --phone`, told apart in a `sar` excerpt and never enough for `erase` to plan a `delete`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from connectors.media.extract import transcript_line
from connectors.media.number_pass import NumberPass
from connectors.media.possible import POSSIBLE_MARGIN, NumberReading, possible_readings
from connectors.media.speech import Segment
from detectors import Detector, DetectorSettings
from detectors.spoken import written_form
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.requests.excerpts import POSSIBLE_SAID, excerpts
from scanner.scan import run_scan
from test_audio_recordings import NO_NER, find, needs_tools, needs_whisper, rows, speak

WINNER = "01134960923"


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorSettings(use_ner=False))


@pytest.mark.parametrize("ranked, kept", [
    ([(-21.28, WINNER, False), (-21.73, "01134960523", False)], ["01134960523"]),             # a five/nine near-tie
    ([(-21.28, WINNER, False), (-21.28 - POSSIBLE_MARGIN, "01134960523", False)], ["01134960523"]),   # at the margin
    ([(-21.28, WINNER, False), (-21.28 - POSSIBLE_MARGIN - 0.01, "01134960523", False)], []),  # beyond it
    ([(-10.0, WINNER, False), (-10.1, "01134960921", False), (-10.2, "01134960922", False), (-10.3, "01134960924", False)],
     ["01134960921", "01134960922"]),                                           # at most MAX_POSSIBLE
    ([(-10.0, WINNER, False), (-10.1, "04134960923", False), (-10.2, "01134960929", False)], ["01134960929"]),  # 04: no UK number
    ([(-10.0, "06134960923", False), (-10.1, WINNER, False)], []),        # beside a winner no recogniser keys: none
    ([(-10.0, WINNER, False)], []),
    ([], []),
])
def test_a_runner_up_within_the_margin_of_its_winner_is_a_possible_reading(ranked, kept):
    assert possible_readings(ranked) == kept


def test_a_number_that_won_anywhere_in_the_window_is_no_possible_reading(monkeypatch):
    """Two numbers in one window: a runner-up of the first that is the second's winner comes once,
    as the winner; each possible reading keeps the words of the number it was read for."""
    numbers = NumberPass.__new__(NumberPass)        # the combining alone: _ranked_in is Whisper's
    ranked = {0: [(-9.0, "07700900018", False), (-9.5, "02079460941", False), (-9.8, "07700900019", False)],
              12: [(-8.0, "02079460941", False), (-8.6, "02079460947", False)]}
    monkeypatch.setattr(numbers, "_ranked_in", lambda output, frames, tokens, first, last: ranked[first],
                        raising=False)
    text = "oh double seven double oh nine oh oh or you can call 020 7946 0941 thanks"
    assert numbers.best_numbers(None, 3000, text) == [
        NumberReading("07700900018", 0, 7), NumberReading("02079460941", 12, 14),
        NumberReading("07700900019", 0, 7, possible=True), NumberReading("02079460947", 12, 14, possible=True)]


def test_a_possible_reading_has_its_own_line_that_the_phone_recogniser_reads(detector):
    lines = [transcript_line(Segment(3.2, 9.8, WINNER, "spelled")),
             transcript_line(Segment(3.2, 9.8, "01134960523", "possible"))]
    assert lines == [f"[00:03.2-00:09.8] (spelled) {WINNER}\n", "[00:03.2-00:09.8] (possible) 01134960523\n"]
    found = detector.analyze(written_form("".join(lines)))
    assert sorted(f.text for f in found if f.entity_type == "PHONE_NUMBER") == ["01134960523", WINNER]


def test_a_sar_excerpt_says_in_words_that_the_number_was_possibly_said(detector):
    text = f"[00:03.2-00:09.8] (spelled) {WINNER}\n[00:03.2-00:09.8] (possible) 01134960523\n"
    found = detector.analyze(text)
    mine, others = _split(found, "01134960523")
    assert excerpts(text, "audio/x-wav", mine, others) == [f"[00:03.2-00:09.8] {POSSIBLE_SAID}01134960523"]
    mine, others = _split(found, WINNER)          # the winner's line stays as it is
    assert excerpts(text, "audio/x-wav", mine, others) == [f"[00:03.2-00:09.8] (spelled) {WINNER}"]


def _split(found, number: str):
    return [f for f in found if f.text == number], [f for f in found if f.text != number]


@needs_tools
@needs_whisper
def test_a_number_the_engine_nearly_heard_is_found_shown_as_possible_and_never_deleted_alone(tmp_path):
    """espeak-ng's RP voice at 140 words a minute, 8 kHz: the number pass writes 020 7946 0696 for the
    0656 said (alignment: -21.28 nats against -21.73). The true number, 0.45 nats behind, is a possible
    reading: `find --phone` returns the call, `sar` shows the line as possibly said with its time
    range, and `erase` leaves the call to a person (the number it wrote is another number)."""
    calls = tmp_path / "calls"
    calls.mkdir()
    call = speak(calls / "call.wav", "Hello, you can call me back on oh two oh, seven nine four six, oh six five six. "
                 "Thanks.", speed=140, voice="en-gb-x-rp")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    run_scan([str(calls)], config)
    assert (rows(config.inventory)[str(call)]["status"]) == "ok"
    assert find(config.inventory, "--phone", "020 7946 0656") == {str(call)}
    assert find(config.inventory, "--phone", "020 7946 0696") == {str(call)}      # the number it wrote
    plan = _cli_json(["erase", "--phone", "020 7946 0656", "-i", config.inventory, "--format", "json"])
    assert [(a["location"], a["action"]) for a in plan["actions"]] == [(str(call), "manual")]
    _cli_json(["sar", "--phone", "020 7946 0656", "-i", config.inventory, "--out", str(tmp_path / "pack"),
               "--format", "json"])
    pack = json.loads((tmp_path / "pack" / "index.json").read_text())
    assert [g["excerpts"] for g in pack["groups"]] == [[f"[00:00.0-00:07.0] {POSSIBLE_SAID}02079460656"]]


def _cli_json(args: list[str]) -> dict:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
