"""Which files a lost worker's batch gives back to the queue, and which file is given up on."""
from __future__ import annotations

from collections import Counter

from connectors.filesystem import FileEntry


class Retries:
    """What is run again after a worker is lost, and which file is given up on.

    A hang is the file the heartbeat was on: it is recorded `timeout` and the
    rest of the batch goes back as one task. A death may have come from any
    file of the batch, so each is run again alone; the file the heartbeat was
    on gets a strike, as does a file that was alone, and a second strike
    records it. The deaths a bad file costs: two, or three when it was not
    the one the heartbeat was on.
    """

    STRIKES = 2

    def __init__(self, first_id: int):
        self.next_id = first_id
        self.strikes: Counter[str] = Counter()

    def after_loss(self, entries: list[FileEntry], current: int, status: str,
                   cause: str) -> tuple[list[tuple[int, list[FileEntry]]], list[tuple[FileEntry, str, str]]]:
        """(tasks to queue again, (entry, status, reason) rows to record)."""
        suspect = entries[current]
        others = [e for j, e in enumerate(entries) if j != current]
        if status == "timeout":
            return self._tasks([others] if others else []), [(suspect, status, cause)]
        self.strikes[suspect.path] += 1
        if self.strikes[suspect.path] >= self.STRIKES:
            reason = f"worker died twice on this file ({cause}); file not analysed"
            return self._tasks([[e] for e in others]), [(suspect, "error", reason)]
        return self._tasks([[e] for e in entries]), []

    def _tasks(self, batches: list[list[FileEntry]]) -> list[tuple[int, list[FileEntry]]]:
        out = []
        for batch in batches:
            out.append((self.next_id, batch))
            self.next_id += 1
        return out
