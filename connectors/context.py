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
    # (blob, parsed form, close) of the container whose members were read last: see keep_parse.
    _kept: tuple | None = field(default=None, repr=False)

    def charge(self, nbytes: int) -> None:
        """Count decompressed bytes against max_total_bytes."""
        self.total_bytes += nbytes
        if self.total_bytes > self.limits.max_total_bytes:
            raise LimitExceeded("max_total_bytes", f"{self.total_bytes} bytes")

    def keep_parse(self, blob, parsed, close: Callable[[], None] | None = None) -> None:
        """Keep a container's parse for its own text, which the dispatcher asks for right after its
        members (post-order): a message is then parsed once, not twice. One slot, for this outer file
        only: what it held before is let go (`close` called where the parse holds a file open)."""
        self._release(self._kept)
        self._kept = (blob, parsed, close)

    def take_parse(self, blob):
        """The parse kept for `blob` (the caller closes it when done), or None; the slot is emptied."""
        kept, self._kept = self._kept, None
        if kept is not None and kept[0] is blob:
            return kept[1]
        self._release(kept)
        return None

    @staticmethod
    def _release(kept: tuple | None) -> None:
        if kept is not None and kept[2] is not None:
            kept[2]()
