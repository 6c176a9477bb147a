"""Which files a lost worker's batch gives back to the queue, and which file is given up on."""
from __future__ import annotations

from collections import Counter

from connectors.filesystem import FileEntry


class Strikes:
    """Workers lost on each file; the second loss gives the file up (the pool and the cluster share it)."""

    LIMIT = 2

    def __init__(self):
        self.counts: Counter[str] = Counter()

    def add(self, path: str) -> bool:
        """Count a lost worker against `path`; True when the file is to be given up on."""
        self.counts[path] += 1
        return self.counts[path] >= self.LIMIT


class Retries:
    """What is run again after a worker is lost, and which file is given up on.

    A hang is the file the heartbeat was on: it is recorded `timeout` and the
    rest of the batch goes back as one task. A death may have come from any
    file of the batch, so each is run again alone; the file the heartbeat was
    on gets a strike, as does a file that was alone, and a second strike
    records it. The deaths a bad file costs: two, or three when it was not
    the one the heartbeat was on.
    """

    def __init__(self, first_id: int):
        self.next_id = first_id
        self.strikes = Strikes()

    def after_loss(self, entries: list[FileEntry], current: int, status: str,
                   cause: str) -> tuple[list[tuple[int, list[FileEntry]]], list[tuple[FileEntry, str, str]]]:
        """(tasks to queue again, (entry, status, reason) rows to record)."""
        suspect = entries[current]
        others = [e for j, e in enumerate(entries) if j != current]
        if status == "timeout":
            return self._tasks([others] if others else []), [(suspect, status, cause)]
        if self.strikes.add(suspect.path):
            reason = f"worker died twice on this file ({cause}); file not analysed"
            return self._tasks([[e] for e in others]), [(suspect, "error", reason)]
        return self._tasks([[e] for e in entries]), []

    def _tasks(self, batches: list[list[FileEntry]]) -> list[tuple[int, list[FileEntry]]]:
        out = []
        for batch in batches:
            out.append((self.next_id, batch))
            self.next_id += 1
        return out
