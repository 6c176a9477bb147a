"""The step every decoded recording takes to the 16 kHz mono a speech engine hears.

An 8 kHz telephone call holds nothing above 4 kHz; Whisper, trained on wideband audio, is shown
0-8 kHz. Measured with Whisper base on benchmarks/audio.py's calls, the same calls side by side
(README "Telephone audio"):

- a clean call reads more numbers when 4-8 kHz holds a softened mirror image of 0-4 kHz, as linear
  interpolation leaves it (a 3 kHz tone gets a 5 kHz image 7 dB down), than when that band is
  left empty by a band-limited upsampler;
- a noisy call reads more numbers with the band empty: the mirror image of its noise floor is hiss
  across 4-8 kHz, where Whisper also fell into repeating itself more often.

So a narrowband block whose quietest frames are within `NOISY_SNR_DB` of its speech is upsampled
band-limited, any other by linear interpolation. Audio at 16 kHz passes untouched, and wider audio
is low-passed before it is brought down. A recording is conditioned in 30 s blocks, each on its own.
"""
from __future__ import annotations

import numpy as np

RATE = 16000
# Between the benchmark's noisy calls (5-14 dB) and its clean ones with their pauses cut (28 dB and
# up): a line whose hiss is 20 dB below the voice is already heard as noisy.
NOISY_SNR_DB = 20.0
_FRAME_S = 0.032                 # the frames speech and noise levels are measured over
_FIR_TAPS = 63                   # the low-pass before bringing wider audio down
_UP_TAPS = 129                   # the band-limited upsampler's filter (Kaiser window, beta 8)


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 samples at `rate` as the engine should hear them at 16 kHz."""
    if rate < RATE and snr_db(samples, rate) < NOISY_SNR_DB:
        return band_limited_up(samples, rate)
    return resample(samples, rate, RATE)


def snr_db(samples: np.ndarray, rate: int) -> float:
    """Speech level (the louder half of the frames) over the noise floor (the quietest tenth), in dB;
    infinite where there are too few frames to tell."""
    frame = max(int(rate * _FRAME_S), 1)
    count = len(samples) // frame
    if count < 10:
        return float("inf")
    power = np.sort((samples[:count * frame].astype(np.float64).reshape(count, frame) ** 2).mean(axis=1))
    floor = power[:count // 10].mean()
    speech = power[count // 2:].mean()
    if speech <= 0:
        return float("inf")           # digital silence: nothing to hear either way
    return float(10 * np.log10(speech / floor)) if floor > 0 else float("inf")


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Linear interpolation, after a windowed-sinc low-pass when going down (no aliasing)."""
    if rate == target or samples.size == 0:
        return samples
    if rate > target:
        cutoff = 0.5 * target / rate
        n = np.arange(_FIR_TAPS) - (_FIR_TAPS - 1) / 2
        kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(_FIR_TAPS)
        samples = np.convolve(samples, kernel / kernel.sum(), mode="same")
    positions = np.arange(int(len(samples) * target / rate)) * (rate / target)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def band_limited_up(samples: np.ndarray, rate: int) -> np.ndarray:
    """Doubled by zero-stuffing and a windowed-sinc low-pass just under `rate` / 2 (no images), then
    to 16 kHz by `resample` (nothing to do for 8 kHz)."""
    if samples.size == 0:
        return samples
    stuffed = np.zeros(2 * len(samples), np.float32)
    stuffed[::2] = samples
    n = np.arange(_UP_TAPS) - (_UP_TAPS - 1) / 2
    kernel = 0.49 * np.sinc(0.49 * n) * np.kaiser(_UP_TAPS, 8.0)
    doubled = np.convolve(stuffed, kernel * (2 / kernel.sum()), mode="same").astype(np.float32)
    return resample(doubled, 2 * rate, RATE)
