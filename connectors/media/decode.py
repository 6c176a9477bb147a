"""Any recording to 16 kHz mono 16-bit PCM, the input every speech engine here takes.

WAV in PCM, μ-law or A-law decodes in pure Python (numpy); everything else
(GSM WAV, MP3, OGG/Opus, FLAC, M4A) goes through Debian's ffmpeg, or sox for
WAV, when installed. Without them such a recording is `skipped` with the
reason, and its tags and file name are still analysed.

Every path ends in the same step to 16 kHz (condition.py): an external decoder
gives its native rate where that is 16 kHz or less (an 8 kHz call), so a call
reads the same whether it was stored as PCM, A-law, GSM or MP3. Left to
ffmpeg, 8 kHz calls were upsampled band-limited and read worse (benchmarks/
audio.py --codec; README "Telephone audio").
"""
from __future__ import annotations

import shutil
import subprocess
from typing import Iterator

import numpy as np

from ..blob import Blob
from ..errors import CorruptError, UnsupportedError
from .condition import RATE, to_16k
from .riff import DECODABLE, decode_blocks
from .tags import MediaInfo

_BLOCK_S = 30


def decode_16k(blob: Blob, info: MediaInfo, max_seconds: float, tmpdir: str) -> bytes:
    """The first `max_seconds` of the recording as 16 kHz mono s16le bytes."""
    rate, blocks = _native_blocks(blob, info, max_seconds, tmpdir)
    return b"".join(to_pcm16(to_16k(block, rate)) for block in blocks)


def _native_blocks(blob: Blob, info: MediaInfo, max_seconds: float,
                   tmpdir: str) -> tuple[int, Iterator[np.ndarray]]:
    """(rate, mono float32 blocks of up to 30 s): WAV in numpy, the rest through ffmpeg or sox."""
    if info.wav is not None and info.wav.format_tag in DECODABLE:
        return info.wav.rate, _wav_blocks(blob, info, max_seconds)
    rate = external_rate(info.rate)
    pcm = _external(blob.local_path(tmpdir), max_seconds, info.wav is not None, rate)
    samples = np.frombuffer(pcm[:len(pcm) // 2 * 2], "<i2")
    step = _BLOCK_S * rate
    return rate, (samples[at:at + step].astype(np.float32) / 32768 for at in range(0, len(samples), step))


def _wav_blocks(blob: Blob, info: MediaInfo, max_seconds: float) -> Iterator[np.ndarray]:
    with blob.open() as f:
        yield from decode_blocks(f, info.wav, max_seconds, _BLOCK_S)


def external_rate(native: int | None) -> int:
    """What ffmpeg or sox is asked for: the native rate up to 16 kHz, so that upsampling is ours;
    above it (or unknown), 16 kHz (their band-limited downsampling is as good as ours)."""
    return native if native and native <= RATE else RATE


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def tool_available() -> str | None:
    """The external decoder this machine has: ffmpeg, else sox, else None."""
    return next((name for name in ("ffmpeg", "sox") if shutil.which(name)), None)


def _external(path: str, max_seconds: float, is_wav: bool, rate: int) -> bytes:
    """Mono s16le at `rate`, from ffmpeg (or sox for a WAV)."""
    tool = tool_available()
    if tool == "ffmpeg":
        cmd = ["ffmpeg", "-nostdin", "-v", "error", "-t", f"{max_seconds:.3f}", "-i", path,
               "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"]
    elif tool == "sox" and is_wav:
        cmd = ["sox", "-V0", path, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(rate), "-",
               "trim", "0", f"{max_seconds:.3f}"]
    else:
        raise UnsupportedError("audio: decoding this format needs ffmpeg (not installed)")
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=max(60.0, max_seconds))
    except subprocess.TimeoutExpired:
        raise UnsupportedError(f"audio: {tool} timed out") from None
    if done.returncode != 0:
        raise CorruptError(f"audio: {tool} could not decode it")   # its stderr may quote tags: not kept
    return done.stdout
