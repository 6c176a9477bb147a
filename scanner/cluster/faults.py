"""Which file a lost worker was on, and which files have killed workers twice.

Workers send an event as they start each outer file of a batch. When the
scheduler reports a worker removed while it was processing batches, the file
each of those batches was on gets a strike. As in the local pool, a death may
have come from any file of the batch (NER runs over the batch at once), so
the batch is cancelled and each of its files run again alone; a file with two
strikes is recorded `error` with its reason and not run again.
"""
from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass

from connectors.filesystem import FileEntry
from scanner.pool_retries import Strikes


@dataclass(frozen=True)
class Lost:
    """A batch whose worker was lost while it was on entry `index` (None: not known)."""
    batch_id: int
    index: int | None
    worker: str


class FaultTracker:
    """Fed by Dask event handlers (the client's thread), read by the driver loop."""

    def __init__(self):
        self._lock = threading.Lock()
        self._position: dict[int, tuple[str, int, float]] = {}   # batch -> (worker, entry index, when)
        self.lost: queue.SimpleQueue[Lost] = queue.SimpleQueue()
        self.keys: dict[str, int] = {}                       # Dask key -> batch id
        self.strikes = Strikes()                              # workers lost on each file

    # -- event handlers (Dask's thread) ----------------------------------
    def on_progress(self, event) -> None:
        _, msg = event
        with self._lock:
            self._position[msg["batch"]] = (msg["worker"], msg["index"], time.monotonic())

    def on_cluster_event(self, event) -> None:
        _, msg = event
        if not isinstance(msg, dict) or msg.get("action") != "remove-worker" or msg.get("expected"):
            return
        worker = msg.get("worker", "?")
        for key in msg.get("processing-tasks") or ():
            batch_id = self.keys.get(str(key))
            if batch_id is not None:
                self.lost.put(Lost(batch_id, self.position(batch_id, worker), worker))

    # -- the driver's side ------------------------------------------------
    def position(self, batch_id: int, worker: str | None = None) -> int | None:
        """The entry the batch was last reported on (by `worker`, when given)."""
        with self._lock:
            where = self._position.get(batch_id)
        if where is None or (worker is not None and where[0] != worker):
            return None
        return where[1]

    def silent(self, batch_ids, limit_s: float) -> list[tuple[int, str, int]]:
        """(batch, worker, entry) of the started batches whose worker has said nothing for `limit_s`."""
        now = time.monotonic()
        with self._lock:
            return [(b, where[0], where[1]) for b in batch_ids
                    if (where := self._position.get(b)) is not None and now - where[2] > limit_s]

    def after_loss(self, entries: list[FileEntry], index: int | None
                   ) -> tuple[list[list[FileEntry]], FileEntry | None]:
        """(batches to run again, the file given up on) after a worker was lost on entry `index`."""
        if index is None:      # its position never reached the driver: nobody gets a strike
            return [[e] for e in entries], None
        suspect = entries[index]
        if self.strikes.add(suspect.path):
            return [[e] for j, e in enumerate(entries) if j != index], suspect
        return [[e] for e in entries], None

    def forget(self, batch_id: int) -> None:
        with self._lock:
            self._position.pop(batch_id, None)
