"""The one scan engine: the read loop that `scan`, `watch` and `daemon` share.

    roots ─▶ plan_reads (walk through each root's Source; skip unchanged; record what cannot be read)
          ─▶ read_entries (batches ─▶ an Executor ─▶ TaskResults, recorded as they come, checkpointed)
          ─▶ gone (after a complete walk) ─▶ record_scan

`plan_reads`, `record_result` and `record_scan` live in scanner/scan.py (the
one-off scan is their first user); the daemon's Session calls the same ones.
Where the analysis runs is the `Executor` (scanner/executors): in this
process, a local worker pool, or a cluster. What differs between a one-off
scan and the daemon is only policy: which executor, batch sizes, how often a
checkpoint publishes, and when to stop.
"""
from __future__ import annotations

import time
from typing import Callable, Iterable

from connectors.filesystem import FileEntry

from .analysis import TaskResult
from .executors import AnalysisJob, Executor
from .inventory import InventoryWriter
from .pool import batch_entries


def never() -> bool:
    return False


def batches(to_read: list[FileEntry], max_files: int, max_bytes: int,
            workers: int = 1) -> list[list[FileEntry]]:
    """The tasks handed to an executor: small files grouped (their NER is batched), a large one alone.

    For several workers, files of half a batch's bytes or more go first, each alone, largest first:
    a big mailbox walked last was read while the other workers, their work done, waited. The rest
    keep the walk's order (a mail thread's messages stay together, and NER reads each quoted block
    once per worker), its end cut finer (`batch_entries`).
    """
    if workers <= 1:
        return list(batch_entries(to_read, max_files, max_bytes))
    large = sorted((e for e in to_read if e.size >= max_bytes // 2), key=lambda e: -e.size)
    rest = [e for e in to_read if e.size < max_bytes // 2]
    return [[e] for e in large] + list(batch_entries(rest, max_files, max_bytes, workers))


def read_entries(job: AnalysisJob, tasks: Iterable[list[FileEntry]], executor: Executor,
                 record: Callable[[TaskResult], None], should_stop: Callable[[], bool] = never) -> None:
    """Read the tasks with `executor`, handing each result to `record` as it comes.

    Once `should_stop()` says so no more work is started: the executor is closed (busy workers are
    stopped; their files stay unread, and are read on the next crawl or run).
    """
    if should_stop():
        return
    results = executor.run(job, tasks)
    try:
        for result in results:
            record(result)
            if should_stop():
                break
    finally:
        results.close()


class Checkpoints:
    """When buffered rows are published (a checkpoint: `find` in another process sees them, a kill -9
    loses nothing before it): every `every_s` seconds, or once `max_rows` location rows are waiting."""

    def __init__(self, writer: InventoryWriter, every_s: float, max_rows: int | None = None,
                 publish: Callable[[], None] | None = None):
        self.writer = writer
        self.every_s = every_s
        self.max_rows = max_rows
        self.publish = publish or writer.checkpoint
        self.last = time.monotonic()

    def after_result(self) -> None:
        due = time.monotonic() - self.last >= self.every_s
        if not due and self.max_rows is not None:
            due = self.writer.pending("locations") >= self.max_rows
        if due:
            self.publish()
            self.last = time.monotonic()
