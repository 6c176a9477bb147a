"""Issue 21: what reaches the speech engine from a recording, whichever decoder reads it.

The pure-numpy tests build their signals here; the decoder tests make 8 kHz calls stored as
A-law, GSM 06.10 and MP3 with sox and ffmpeg, and skip with the reason where those are absent.
"""
from __future__ import annotations

import shutil
import subprocess
import wave

import numpy as np
import pytest

from connectors import Blob, Location
from connectors.media.condition import NOISY_SNR_DB, band_limited_up, resample, snr_db, to_16k
from connectors.media.decode import decode_16k, external_rate
from connectors.media.tags import media_info
from scanner.config import ScanConfig
from scanner.scan import run_scan
from test_audio_recordings import NO_NER, find, needs_tools, needs_whisper, speak

needs_codecs = pytest.mark.skipif(not (shutil.which("ffmpeg") and shutil.which("sox")),
                                  reason="ffmpeg and sox are not installed (.ci/run installs them)")


def tone(hz: float, rate: int, seconds: float = 1.0, level: float = 0.3) -> np.ndarray:
    return (level * np.sin(2 * np.pi * hz * np.arange(int(rate * seconds)) / rate)).astype(np.float32)


def level_db(samples: np.ndarray, rate: int, low: float, high: float) -> float:
    """Power between `low` and `high` Hz, in dB."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
    hz = np.fft.rfftfreq(len(samples), 1 / rate)
    return 10 * np.log10(spectrum[(hz >= low) & (hz < high)].sum() + 1e-20)


def test_an_8khz_call_is_doubled_keeping_every_sample_it_had():
    call = tone(440, 8000)
    up = resample(call, 8000, 16000)
    assert len(up) == 2 * len(call) and np.array_equal(up[::2], call)


def test_8khz_upsampling_leaves_the_band_above_4khz_its_mirror_image_as_measured_best():
    """Linear interpolation mirrors 0-4 kHz into 4-8 kHz, softened (a 3 kHz tone gets a 5 kHz image about 7 dB below it). A
    band-limited upsampler leaves that band empty, and Whisper then read fewer numbers on 8 kHz calls
    (README "Telephone audio"), so this property is kept on purpose."""
    up = resample(tone(3000, 8000), 8000, 16000)
    image = level_db(up, 16000, 4900, 5100) - level_db(up, 16000, 2900, 3100)
    assert -12 < image < -4


def test_16khz_audio_is_passed_through_untouched():
    wideband = tone(5000, 16000)
    assert resample(wideband, 16000, 16000) is wideband


def test_downsampling_removes_what_16khz_cannot_hold_and_keeps_speech():
    high = resample(tone(10000, 48000), 48000, 16000)
    speech = resample(tone(1000, 48000), 48000, 16000)
    assert len(speech) == 16000
    assert level_db(high, 16000, 0, 8000) < level_db(speech, 16000, 900, 1100) - 40


def talk_over(noise_db: float | None, rate: int = 8000, seconds: float = 4.0) -> np.ndarray:
    """Bursts of a 1 kHz "voice" at -20 dBFS (half the time on), over white noise `noise_db` dBFS."""
    t = np.arange(int(rate * seconds)) / rate
    voice = 0.1 * np.sqrt(2) * np.sin(2 * np.pi * 1000 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
    hiss = np.random.default_rng(3).standard_normal(len(t)) * 10 ** (noise_db / 20) if noise_db is not None else 0
    return (voice + hiss).astype(np.float32)


def test_the_speech_to_noise_ratio_is_measured_from_the_loud_and_quiet_frames():
    assert snr_db(talk_over(-35), 8000) == pytest.approx(15, abs=2)
    assert snr_db(talk_over(-60), 8000) == pytest.approx(40, abs=2)
    assert snr_db(talk_over(None), 8000) == float("inf")                 # pauses of digital silence
    assert snr_db(np.zeros(100, np.float32), 8000) == float("inf")       # too short to tell


def test_band_limited_upsampling_leaves_no_image_and_keeps_the_band():
    call = tone(3000, 8000)
    up = band_limited_up(call, 8000)
    assert len(up) == 2 * len(call)
    assert level_db(up, 16000, 4900, 5100) < level_db(up, 16000, 2900, 3100) - 60
    wideband = tone(3000, 16000)                                          # the same tone made at 16 kHz
    assert level_db(up, 16000, 2900, 3100) == pytest.approx(level_db(wideband, 16000, 2900, 3100), abs=0.5)


def test_a_clean_call_is_interpolated_and_a_noisy_one_upsampled_band_limited():
    clean, noisy = talk_over(-60), talk_over(-35)
    assert snr_db(clean, 8000) > NOISY_SNR_DB > snr_db(noisy, 8000)
    assert np.array_equal(to_16k(clean, 8000), resample(clean, 8000, 16000))
    assert np.array_equal(to_16k(noisy, 8000), band_limited_up(noisy, 8000))
    wideband_noisy = talk_over(-35, rate=16000)
    assert to_16k(wideband_noisy, 16000) is wideband_noisy                  # 16 kHz: untouched


@pytest.mark.parametrize("native, asked", [(8000, 8000), (11025, 11025), (16000, 16000), (44100, 16000),
                                           (None, 16000)])
def test_ffmpeg_is_asked_for_the_native_rate_up_to_16khz(native, asked):
    assert external_rate(native) == asked


def _speech_like(path, rate: int = 8000) -> None:
    """Two seconds of noise shaped to the telephone band (300-3400 Hz), on and off every quarter
    second as words and pauses are, as 16-bit PCM WAV."""
    rng = np.random.default_rng(5)
    spectrum = np.fft.rfft(rng.standard_normal(2 * rate))
    hz = np.fft.rfftfreq(2 * rate, 1 / rate)
    spectrum[(hz < 300) | (hz > 3400)] = 0
    samples = np.fft.irfft(spectrum) * (np.arange(2 * rate) // (rate // 4) % 2)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples / np.abs(samples).max() * 0.5 * 32767).astype("<i2").tobytes())


def _stored(wav, codec: str):
    if codec in ("mp3", "opus"):
        out = wav.with_suffix(f".{codec}")
        encoder = ["libmp3lame", "-b:a", "24k"] if codec == "mp3" else ["libopus", "-b:a", "16k"]
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(wav), "-c:a", *encoder, str(out)], check=True)
    else:
        out = wav.with_name(f"{codec}.wav")
        subprocess.run(["sox", "-V0", "-R", str(wav), "-e", "a-law" if codec == "alaw" else "gsm-full-rate",
                        str(out)], check=True)
    return out


def _decoded(path) -> np.ndarray:
    blob = Blob(Location(str(path)), path.stat().st_size, path=str(path))
    info = media_info(blob, "audio/x-wav" if path.suffix == ".wav" else "audio/other")
    return np.frombuffer(decode_16k(blob, info, 60, str(path.parent)), "<i2").astype(np.float32) / 32768


@needs_codecs
@pytest.mark.parametrize("codec", ["alaw", "gsm", "mp3", "opus"])
def test_an_8khz_call_in_any_codec_reaches_the_engine_as_the_pcm_wav_does(tmp_path, codec):
    """ffmpeg decodes GSM, MP3 and Opus at the call's own 8 kHz (Opus's from its OpusHead) and our step
    doubles it, as for a PCM WAV: the band above 4 kHz holds the same mirror image (ffmpeg's own
    upsampling left it ~60 dB lower)."""
    wav = tmp_path / "call.wav"
    _speech_like(wav)
    pcm, coded = _decoded(wav), _decoded(_stored(wav, codec))
    assert abs(len(coded) - len(pcm)) <= 320                               # GSM pads to a 20 ms frame
    upper = [level_db(x, 16000, 4700, 7500) - level_db(x, 16000, 500, 3300) for x in (pcm, coded)]
    assert upper[0] > -30 and abs(upper[0] - upper[1]) < 3


@needs_tools
@needs_codecs
@needs_whisper
def test_a_number_said_on_an_8khz_call_stored_as_mp3_is_found(tmp_path):
    """End to end: the call Whisper hears whole as a PCM WAV (test_audio_recordings.py), stored as an
    8 kHz MP3 (mutagen gives its rate, ffmpeg decodes it), is found by its spoken number."""
    made = speak(tmp_path / "said.wav", "Hello, my number is zero one four eight two, four two zero, "
                 "one five zero. Thanks.", speed=130)
    calls = tmp_path / "calls"
    calls.mkdir()
    call = shutil.move(str(_stored(made, "mp3")), calls / "recording-0044.mp3")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1, detector=NO_NER)
    run_scan([str(calls)], config)
    assert find(config.inventory, "--phone", "01482 420150") == {str(call)}
    assert find(config.inventory, "--phone", "01482 420151") == set()
