"""Per-outer-file exploration state: limits, private temp dir, byte budget."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .limits import LimitExceeded, Limits
from .media.settings import AudioClock, AudioSettings


@dataclass
class ExploreContext:
    limits: Limits
    tmpdir: str                      # private (0700) directory for spooled members
    total_bytes: int = 0             # decompressed bytes read below the outer file
    counters: dict = field(default_factory=dict)
    progress: Callable[[], None] | None = None   # set by the scanner: a slow step (an OCR page) is progress
    audio: AudioSettings = field(default_factory=AudioSettings)
    audio_clock: AudioClock | None = None     # the worker's share of max_audio_hours; None: no scan-wide cap
    # (blob, parsed form) of the container whose members were read last: the dispatcher asks for its
    # own text right after them, and a message parsed once is parsed in half the time. One slot only,
    # so at most one extra parse is held, and only for this outer file.
    last_parsed: tuple | None = None

    def charge(self, nbytes: int) -> None:
        """Count decompressed bytes against max_total_bytes."""
        self.total_bytes += nbytes
        if self.total_bytes > self.limits.max_total_bytes:
            raise LimitExceeded("max_total_bytes", f"{self.total_bytes} bytes")
