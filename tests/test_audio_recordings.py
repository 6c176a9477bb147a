"""Issue 21: call recordings made here with espeak-ng and sox, scanned, found, planned.

Each test builds its recordings at run time; those that need espeak-ng, sox or
ffmpeg skip with the reason where they are absent (.ci/run installs them).
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zipfile

import numpy as np
import pytest
from click.testing import CliRunner

from connectors import Blob, ExploreContext, Limits, Location
from connectors.errors import UnsupportedError
from connectors.media.decode import decode_16k
from connectors.media import packaged_whisper
from connectors.media.engines import load_plugin
from connectors.media.speech import PocketsphinxEngine, load_engine
from connectors.media.settings import AudioSettings
from detectors import DetectorSettings
from connectors.media.tags import media_info
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.inventory.reader import InventoryReader
from scanner.scan import run_scan

needs_tools = pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("sox")),
                                 reason="espeak-ng and sox are not installed (.ci/run installs them)")
needs_ffmpeg = pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg is not installed")

PHRASE = "Thank you for calling. Goodbye."
NO_NER = DetectorSettings(use_ner=False)     # names are keyed at regex speed; NER's load is not under test


needs_whisper = pytest.mark.skipif(not packaged_whisper.available(), reason="pdsweep[whisper] is not installed")
needs_flite = pytest.mark.skipif(not shutil.which("flite"), reason="flite is not installed (.ci/run installs it)")


def speak(path, text: str = PHRASE, rate: int = 8000, encoding: str = "signed-integer", bits: int = 16,
          speed: int = 170, voice: str = "en-gb"):
    """espeak-ng's voice, resampled through a telephone band-pass as a PBX records it (sox -R: the
    same dither each run, so a call is the same bytes every time)."""
    raw = str(path) + ".espeak.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, text], check=True)
    return _recorded(raw, path, rate, encoding, bits)


def flite_call(path, voice: str, text: str, stretch: float = 1.0):
    """A flite voice (more natural than espeak-ng), band-passed to 8 kHz as `speak` does; `stretch`
    slows it (flite has no words-a-minute setting; benchmarks/audio.py stretches as well)."""
    raw = str(path) + ".flite.wav"
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch:.2f}", "-t", text, "-o", raw],
                   check=True)
    return _recorded(raw, path)


def _recorded(raw: str, path, rate: int = 8000, encoding: str = "signed-integer", bits: int = 16):
    band = ["sinc", "300-3400"] if rate == 8000 else []
    subprocess.run(["sox", "-V0", "-R", raw, "-r", str(rate), "-c", "1", "-e", encoding, "-b", str(bits), str(path),
                    *band], check=True)
    os.unlink(raw)
    return path


def pcm16k(path) -> bytes:
    """16 kHz s16le, as the scan decodes a call: through decode_16k (sox, used here before, upsampled
    an 8 kHz call band-limited, which Whisper reads worse: README "Telephone audio")."""
    blob = Blob(Location(str(path)), os.path.getsize(path), path=str(path))
    return decode_16k(blob, media_info(blob, "audio/x-wav"), 3600, os.path.dirname(str(path)))


def with_info_and_bext(path, artist: str, comment: str, date: str, time_: str) -> None:
    """Append LIST/INFO and BWF bext chunks to a WAV sox wrote (RIFF size fixed up)."""
    def chunk(cid: bytes, body: bytes) -> bytes:
        return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")

    info = b"INFO" + chunk(b"IART", artist.encode() + b"\0") + chunk(b"ICMT", comment.encode() + b"\0")
    bext = (b"Inbound call".ljust(256, b"\0") + b"PBX".ljust(32, b"\0") + b"ref-1".ljust(32, b"\0")
            + date.encode() + time_.encode() + b"\0" * 264)
    data = bytearray(path.read_bytes()) + chunk(b"LIST", info) + chunk(b"bext", bext)
    data[4:8] = struct.pack("<I", len(data) - 8)
    path.write_bytes(bytes(data))


def find(inventory: str, *args: str) -> set[str]:
    result = CliRunner().invoke(cli, ["find", *args, "-i", inventory, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {row["location"] for row in json.loads(result.stdout)}


def rows(inventory: str) -> dict[str, dict]:
    reader = InventoryReader(inventory)
    try:
        table = reader.arrow("SELECT uri, status, reason, duration_s, started FROM locations").to_pylist()
    finally:
        reader.close()
    return {r["uri"]: r for r in table}


@needs_tools
@pytest.mark.parametrize("encoding, bits", [("u-law", 8), ("a-law", 8), ("signed-integer", 16)])
def test_telephony_wav_decodes_in_python_as_sox_decodes_it(tmp_path, encoding, bits):
    coded = speak(tmp_path / f"call-{encoding}.wav", "One two three.", encoding=encoding, bits=bits)
    reference = tmp_path / "reference.raw"
    subprocess.run(["sox", "-V0", str(coded), "-t", "raw", "-e", "signed-integer", "-b", "16", str(reference)],
                   check=True)
    blob = Blob(Location(str(coded)), coded.stat().st_size, path=str(coded))
    ours = np.frombuffer(decode_16k(blob, media_info(blob, "audio/x-wav"), 60, str(tmp_path)), "<i2")
    theirs = np.frombuffer(reference.read_bytes(), "<i2").astype(np.float32)
    assert len(ours) == 2 * len(theirs)                                   # 8 kHz -> 16 kHz
    assert np.abs(ours[::2].astype(np.float32) - theirs).max() <= 2       # same samples, within rounding


@needs_tools
@needs_ffmpeg
def test_scan_finds_recordings_by_file_name_tags_and_inside_a_zip(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    by_name = speak(calls / "2024-03-11_091500_01132854417_01482420150.wav")
    tagged = speak(calls / "recording-0001.wav")
    with_info_and_bext(tagged, "Jane Smith", "caller 07700 900123", "2024-03-12", "10-30-00")
    flac = tmp_path / "voicemail.flac"
    speak(flac)
    from mutagen.flac import FLAC
    tags = FLAC(str(flac))
    tags["ARTIST"], tags["DESCRIPTION"], tags["DATE"] = "Sian Jones", "from 0113 496 0000", "2024-03-13"
    tags.save()
    shutil.move(str(flac), calls / "voicemail.flac")
    with zipfile.ZipFile(tmp_path / "backup.zip", "w") as z:
        z.write(by_name, "recordings/in-01482420150-201-1710148500.wav")
    shutil.move(str(tmp_path / "backup.zip"), calls / "backup.zip")

    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER,
                        limits=Limits(max_audio_minutes=0.05))
    summary = run_scan([str(calls)], config)
    assert summary.status == "completed" and summary.audio_seconds > 0 and summary.audio_speed > 0

    assert find(config.inventory, "--phone", "0113 285 4417") == {str(by_name)}
    assert find(config.inventory, "--phone", "+44 1482 420150") == {
        str(by_name), f"{calls}/backup.zip!/recordings/in-01482420150-201-1710148500.wav"}
    assert find(config.inventory, "--phone", "07700900123") == {str(tagged)}       # LIST/INFO comment
    assert find(config.inventory, "--name", "Jane Smith") == {str(tagged)}          # LIST/INFO artist
    assert find(config.inventory, "--phone", "01134960000") == {str(calls / "voicemail.flac")}  # Vorbis comment
    located = rows(config.inventory)
    assert located[str(by_name)]["started"].isoformat().startswith("2024-03-11T09:15:00")     # from the name
    assert located[str(tagged)]["started"].isoformat().startswith("2024-03-12T10:30:00")      # BWF origination
    duration = located[str(by_name)]["duration_s"]
    assert 1.0 < duration < 3.0
    # four recordings, three distinct contents: the zipped copy is not transcribed again
    assert summary.audio_seconds == pytest.approx(3 * duration, rel=0.05)


@needs_tools
def test_no_audio_still_reads_names_and_a_limit_is_recorded(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    call = speak(calls / "OUT-07700900123-20240311-0915.wav", PHRASE + " " + PHRASE)
    off = ScanConfig(inventory=str(tmp_path / "off"), workers=1, detector=NO_NER, audio=AudioSettings(transcribe=False))
    assert run_scan([str(calls)], off).audio_seconds == 0
    assert find(off.inventory, "--phone", "07700 900123") == {str(call)}

    capped = ScanConfig(inventory=str(tmp_path / "capped"), workers=1, detector=NO_NER,
                        limits=Limits(max_audio_minutes=0.02))
    summary = run_scan([str(calls)], capped)
    assert 1.0 < summary.audio_seconds < 1.5                              # 1.2 s of a longer call
    row = rows(capped.inventory)[str(call)]
    assert (row["status"], row["reason"].split(" (")[0]) == ("skipped", "limit: max_audio_minutes")

    spent = ScanConfig(inventory=str(tmp_path / "spent"), workers=1, detector=NO_NER,
                        limits=Limits(max_audio_hours=1e-9))
    run_scan([str(calls)], spent)
    assert rows(spent.inventory)[str(call)]["reason"].startswith("limit: max_audio_hours")


@needs_tools
@needs_ffmpeg
def test_without_ffmpeg_an_mp3_is_skipped_with_the_reason_and_a_bad_wav_is_an_error(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    calls.mkdir()
    wav = speak(tmp_path / "call.wav")
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-metadata", "artist=Jane Smith",
                    str(calls / "call.mp3")], check=True)
    (calls / "broken.wav").write_bytes(wav.read_bytes()[:30])
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))                # a machine without ffmpeg or sox
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    assert run_scan([str(calls)], config).status == "completed"
    located = rows(config.inventory)
    mp3 = located[str(calls / "call.mp3")]
    assert (mp3["status"], mp3["reason"]) == ("skipped", "audio: decoding this format needs ffmpeg (not installed)")
    assert find(config.inventory, "--name", "Jane Smith") == {str(calls / "call.mp3")}   # its ID3 tag still read
    assert located[str(calls / "broken.wav")]["status"] == "error"


@needs_tools
def test_erase_deletes_a_recording_of_the_subject_alone_and_leaves_a_shared_one_to_a_person(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    alone = speak(calls / "in-01482420150-201.wav")
    shared = speak(calls / "2024-03-11_091500_01132854417_01482420150.wav", "Goodbye.")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER,
                        limits=Limits(max_audio_minutes=0.01))
    run_scan([str(calls)], config)
    result = CliRunner().invoke(cli, ["erase", "--phone", "01482 420150", "-i", config.inventory, "--format", "json"])
    assert result.exit_code == 0, result.output
    actions = {a["location"]: a["action"] for a in json.loads(result.stdout)["actions"]}
    assert actions == {str(alone): "delete", str(shared): "manual"}


def test_a_stronger_engine_needs_its_model_directory():
    with pytest.raises(UnsupportedError, match="needs a model directory"):
        load_plugin("vosk", None)
    with pytest.raises(UnsupportedError, match="unknown speech engine"):
        load_plugin("nonesuch", "/")


@pytest.mark.parametrize("engine, variable", [("vosk", "PDSWEEP_TEST_VOSK_MODEL"),
                                              ("faster-whisper", "PDSWEEP_TEST_WHISPER_MODEL"),
                                              ("whisper-cpp", "PDSWEEP_TEST_WHISPER_CPP_MODEL")])
@needs_tools
def test_a_plugged_in_engine_finds_a_spoken_number(tmp_path, engine, variable):
    model = os.environ.get(variable)
    if not model:
        pytest.skip(f"no {engine} model here: set {variable} to a model directory to run this "
                    "(the packaged Whisper has its own test below)")
    calls = tmp_path / "calls"
    calls.mkdir()
    call = speak(calls / "recording-0042.wav", "Hello, my number is 0 1 4 8 2, 4 2 0 1 5 0. Thanks.", rate=16000)
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER,
                        audio=AudioSettings(engine=engine, model_dir=model))
    run_scan([str(calls)], config)
    assert find(config.inventory, "--phone", "01482 420150") == {str(call)}


@needs_tools
@needs_whisper
def test_the_packaged_whisper_finds_a_number_said_in_groups_on_an_8khz_call(tmp_path):
    """The default engine where pdsweep[whisper] is installed. espeak-ng's digits are hard for
    Whisper base (benchmarks/audio.py: most numbers lose a digit); this slow, plain reading is
    one it hears whole, written in groups ("01482, 42, 015, 0") that the spoken-form rules join."""
    calls = tmp_path / "calls"
    calls.mkdir()
    call = speak(calls / "recording-0043.wav", "Hello, my number is zero one four eight two, four two zero, "
                 "one five zero. Thanks.", speed=130)
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    run_scan([str(calls)], config)
    assert find(config.inventory, "--phone", "01482 420150") == {str(call)}
    assert find(config.inventory, "--phone", "01482 420151") == set()


def test_auto_is_the_packaged_whisper_where_installed_else_pocketsphinx(monkeypatch):
    if packaged_whisper.available():
        assert load_engine("auto", None).model_name == packaged_whisper.MODEL_NAME
    with monkeypatch.context() as hidden:
        hidden.setattr(packaged_whisper, "data_dirs", lambda: None)    # as without pdsweep[whisper]
        assert isinstance(load_engine("auto", None), PocketsphinxEngine)
        with pytest.raises(UnsupportedError, match="needs a model directory"):
            load_plugin("faster-whisper", None)
    if packaged_whisper.available():   # the engine loaded while it was hidden does not stand for `auto` now
        assert load_engine("auto", None).model_name == packaged_whisper.MODEL_NAME


@needs_tools
def test_a_scan_with_another_speech_setting_reads_the_recordings_again(tmp_path, monkeypatch):
    """The engine (or audio off) is part of the detector fingerprint, as OCR is: an inventory made
    without transcription, or with pocketsphinx before `pdsweep[whisper]` was installed, is read again."""
    calls = tmp_path / "calls"
    calls.mkdir()
    speak(calls / "in-01482420150-201-20240311.wav")
    off = ScanConfig(inventory=str(tmp_path / "inv"), workers=1, detector=NO_NER,
                     audio=AudioSettings(transcribe=False))
    assert run_scan([str(calls)], off).files_read == 1
    assert run_scan([str(calls)], off).files_read == 0                   # unchanged: not read again
    monkeypatch.setattr(packaged_whisper, "data_dirs", lambda: None)     # auto = pocketsphinx here
    sphinx = ScanConfig(inventory=off.inventory, workers=1, detector=NO_NER)
    assert run_scan([str(calls)], sphinx).files_read == 1                # transcription on: read again
    assert run_scan([str(calls)], sphinx).files_read == 0
    named = ScanConfig(inventory=off.inventory, workers=1, detector=NO_NER,
                       audio=AudioSettings(engine="pocketsphinx"))
    assert run_scan([str(calls)], named).files_read == 0                 # `auto` was pocketsphinx: same reading
