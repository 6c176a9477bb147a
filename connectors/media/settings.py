"""How recordings are treated: one frozen object from the CLI or config file, and a per-worker clock."""
from __future__ import annotations

from dataclasses import dataclass

# The speech engines by name. Kept here, not in engines.py, so the CLI and the daemon's config can
# check a name without importing the engines (numpy and the decoding passes, ~70 ms before a scan
# can start its workers).
ENGINES = ("auto", "pocketsphinx", "vosk", "faster-whisper", "whisper-cpp")


@dataclass(frozen=True)
class AudioSettings:
    transcribe: bool = True               # False: `--no-audio` / `audio: false`; tags and names still read
    engine: str = "auto"                  # packaged Whisper if installed, else pocketsphinx; or one by name
    model_dir: str | None = None


class AudioClock:
    """Audio seconds one worker may still transcribe (its share of `max_audio_hours`), and what it did."""

    def __init__(self, seconds: float):
        self.left = seconds
        self.transcribed_s = 0.0
        self.cpu_s = 0.0

    def grant(self, wanted_s: float) -> float:
        return max(0.0, min(wanted_s, self.left))

    def spend(self, audio_s: float, cpu_s: float) -> None:
        self.left -= audio_s
        self.transcribed_s += audio_s
        self.cpu_s += cpu_s
