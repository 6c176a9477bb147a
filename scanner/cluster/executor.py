"""The driver's side of a cluster scan: connect, check, submit batches, yield their rows.

The driver has already walked and planned; here each batch of outer files is
one Dask task. Rows come back as a local worker pool would return them, so the
scan writes the inventory exactly as a local scan does. Identical content
analysed on two workers is written once (the first result wins).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import time
from typing import Iterable, Iterator

from connectors.filesystem import FileEntry
from connectors.source import source_for

from ..analysis import TaskResult, lost_result
from ..config import ScanConfig
from ..errors import ExecutionLost, PdsweepError, UsageError
from .dedupe import ContentDeduper
from .faults import FaultTracker, Lost
from .settings import ClusterSettings
from .worker import (BatchOutcome, ModelPlugin, ScanPlugin, analyse_batch, progress_topic, scan_plugin_name,
                     worker_view)

POLL_S = 0.05
log = logging.getLogger("pdsweep.cluster")
LOST_TWICE = "worker died twice on this file ({cause}); file not analysed"   # the local pool's words
HUNG = "limit: doc_timeout_s (cluster worker restarted)"


def connect(settings: ClusterSettings):
    """A Dask client for the scheduler, or a one-line error."""
    from distributed import Client

    try:
        return Client(settings.address, security=settings.security(), timeout=settings.connect_timeout_s,
                      set_as_default=False)
    except (OSError, TimeoutError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__   # addresses and timeouts only
        raise PdsweepError(f"cannot reach the Dask scheduler at {settings.address}: {detail}") from None


def check_workers(client, roots: list[str], config: ScanConfig, detector_fp: str) -> None:
    """Every worker must see every local root at the same path, and run the same detector (and OCR)."""
    # smb:// and the like: any worker reads them. A path on disk must be there on every worker.
    local = [r for r in roots if source_for(r).capabilities.local_files]
    views = client.run(worker_view, local, config)
    if not views:
        raise PdsweepError(f"the Dask cluster at {client.scheduler.address} has no workers")
    for worker, view in sorted(views.items()):
        if view["missing"]:
            raise UsageError(f"cluster worker {worker} cannot see {view['missing'][0]}: a local root must "
                             "exist at the same path on every worker (or scan it as smb://)")
        if view["fingerprint"] != detector_fp:
            raise UsageError(f"cluster worker {worker} runs a different pdsweep, model or detector settings "
                             "(fingerprint differs): install the same versions on every worker")


def check_cluster_roots(settings: ClusterSettings, roots: list[str], config: ScanConfig,
                        detector_fp: str) -> None:
    """Up front, before the walk: one short connection to check the workers."""
    with _dask_quiet():
        client = connect(settings)
        try:
            check_workers(client, roots, config, detector_fp)
        finally:
            client.close()


def run_cluster_tasks(config: ScanConfig, secret: bytes, detector_fp: str, known: frozenset[str],
                      tasks: Iterable[list[FileEntry]], scan_id: str) -> Iterator[TaskResult]:
    tasks = list(tasks)
    if not tasks:
        return
    with _dask_quiet():
        client = connect(config.cluster)
        try:
            client.register_plugin(ModelPlugin(config.detector))
            client.register_plugin(ScanPlugin(config, secret, detector_fp, known, scan_id))
            yield from _Driver(client, config, detector_fp, scan_id).run(tasks)
        finally:
            _close(client, scan_id)


@contextlib.contextmanager
def _dask_quiet():
    """Dask's client logs reconnection tracebacks and rescheduling notes (with task keys) as it copes;
    the scan says what matters itself (a lost worker, a lost scheduler), in one line each."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _close(client, scan_id: str) -> None:
    try:
        if client.status == "running":
            client.unregister_worker_plugin(scan_plugin_name(scan_id))   # the key leaves the workers' memory
    except Exception:
        pass   # scheduler unreachable: the plugin (and key) lives on only until the workers restart
    client.close()


class _Driver:
    def __init__(self, client, config: ScanConfig, detector_fp: str, scan_id: str):
        self.client = client
        self.config = config
        self.detector_fp = detector_fp
        self.scan_id = scan_id
        self.faults = FaultTracker()
        self.dedupe = ContentDeduper()
        self.batches: dict[int, list[FileEntry]] = {}
        self.futures: dict[int, object] = {}
        self.discarded: set[int] = set()    # batches cancelled after a loss or hang: results unused
        self.unreachable_since: float | None = None

    def run(self, tasks: list[list[FileEntry]]) -> Iterator[TaskResult]:
        from distributed import as_completed

        self.client.subscribe_topic(progress_topic(self.scan_id), self.faults.on_progress)
        self.client.subscribe_topic("all", self.faults.on_cluster_event)
        self.completed = as_completed(loop=self.client.loop)
        try:
            for entries in tasks:
                self._submit(entries)
            while self.futures:
                for future in self.completed.next_batch(block=False):
                    yield from self._finished(future)
                yield from self._handle_lost()
                yield from self._handle_hangs()
                self._watch_scheduler()
                time.sleep(POLL_S)
        finally:
            self.client.unsubscribe_topic(progress_topic(self.scan_id))
            self.client.unsubscribe_topic("all")
            self.client.cancel(list(self.futures.values()))

    def _submit(self, entries: list[FileEntry]) -> None:
        batch_id = len(self.batches)
        self.batches[batch_id] = entries
        future = self.client.submit(analyse_batch, entries, self.scan_id, batch_id, tuple(self.discarded),
                                    pure=False,
                                    key=f"pdsweep-{self.scan_id}-{batch_id}")
        self.faults.keys[str(future.key)] = batch_id
        self.futures[batch_id] = future
        self.completed.add(future)

    def _finished(self, future) -> Iterator[TaskResult]:
        batch_id = self.faults.keys.get(str(future.key))
        if batch_id is None or self.futures.get(batch_id) is not future:
            return   # a batch this driver cancelled and re-planned
        if future.status in ("lost", "pending"):   # its result went with a lost worker: computed again
            self.completed.add(future)
            return
        del self.futures[batch_id]
        if future.status == "finished":
            try:
                outcome: BatchOutcome = future.result()
            # Fetching it, the scheduler went away: Dask cancels the future (FutureCancelledError is a
            # concurrent.futures.CancelledError, not asyncio's) or the connection fails.
            except (OSError, TimeoutError, asyncio.CancelledError, concurrent.futures.CancelledError):
                raise self._lost() from None
            if outcome.result is None:   # as a lost worker: its files again one by one, two strikes out
                log.warning("cluster worker %s failed in batch %d (entry %s): %s; its files run again",
                            outcome.worker, batch_id, outcome.index, outcome.error)
                yield from self._after_loss(batch_id, outcome.index, outcome.error)
                return
            result = self.dedupe.filter(outcome.result)
            result.worker = outcome.worker
            yield result
        elif future.status == "error":
            yield from self._errored(batch_id, future.exception())
        else:   # cancelled without this driver asking: the scheduler went away
            raise self._lost()
        self.faults.forget(batch_id)

    def _errored(self, batch_id: int, exc: BaseException) -> Iterator[TaskResult]:
        from distributed import KilledWorker

        if not isinstance(exc, KilledWorker):
            yield self._failed_batch(batch_id, BatchOutcome("?", None, type(exc).__name__))
            return
        # The scheduler gave up on the batch (its allowed-failures) before the driver heard of the losses.
        yield from self._after_loss(batch_id, self.faults.position(batch_id))

    def _handle_lost(self) -> Iterator[TaskResult]:
        while not self.faults.lost.empty():
            lost: Lost = self.faults.lost.get()
            future = self.futures.pop(lost.batch_id, None)
            if future is None:
                continue
            log.warning("cluster worker %s lost during batch %d (entry %s); its files run again one by one",
                        lost.worker, lost.batch_id, "?" if lost.index is None else lost.index)
            self._discard(lost.batch_id, future)   # Dask would run it whole: its files run alone instead
            yield from self._after_loss(lost.batch_id, lost.index)

    def _handle_hangs(self) -> Iterator[TaskResult]:
        """A worker silent past doc_timeout_s (+ grace) on one file: the alarm that cuts a document off
        in a local worker cannot fire in a Dask task thread, so the driver does it. The file is recorded
        `timeout`, the worker process is ended (its nanny starts a fresh one), the rest of the batch
        runs again as one batch."""
        limit = self.config.limits.doc_timeout_s + self.config.worker_grace_s
        for batch_id, worker, index in self.faults.silent(list(self.futures), limit):
            future = self.futures.pop(batch_id)
            log.warning("cluster worker %s silent for %.0f s in batch %d (entry %d); restarting it",
                        worker, limit, batch_id, index)
            self._discard(batch_id, future)
            self.client.run(_exit_worker, workers=[worker], wait=False)
            entries = self.batches[batch_id]
            yield self._recorded(entries[index], "timeout", HUNG)
            if len(entries) > 1:
                self._submit(entries[:index] + entries[index + 1:])
            self.faults.forget(batch_id)

    def _discard(self, batch_id: int, future) -> None:
        """Cancel a batch and never use its result. Dask cannot stop a task already running: if it runs
        to the end on some worker, later batches are told to forget what it marked analysed there."""
        self.client.cancel([future])
        self.discarded.add(batch_id)

    def _after_loss(self, batch_id: int, index: int | None,
                    cause: str = "cluster worker lost") -> Iterator[TaskResult]:
        """Each file of the batch runs again alone; a file that has now killed twice is recorded."""
        self.futures.pop(batch_id, None)
        self.discarded.add(batch_id)
        again, given_up = self.faults.after_loss(self.batches[batch_id], index)
        if given_up is not None:
            yield self._recorded(given_up, "error", LOST_TWICE.format(cause=cause))
        for entries in again:
            self._submit(entries)
        self.faults.forget(batch_id)

    def _recorded(self, entry: FileEntry, status: str, reason: str) -> TaskResult:
        return lost_result([entry], status, reason, self.config, self.scan_id, self.detector_fp)

    def _failed_batch(self, batch_id: int, outcome: BatchOutcome) -> TaskResult:
        reason = f"cluster worker failed: {outcome.error}; file not analysed"
        return lost_result(self.batches[batch_id], "error", reason, self.config, self.scan_id,
                               self.detector_fp)

    def _watch_scheduler(self) -> None:
        """A scheduler unreachable for lost_after_s ends the scan (the caller checkpoints)."""
        if self.client.status == "running":
            self.unreachable_since = None
            return
        now = time.monotonic()
        self.unreachable_since = self.unreachable_since or now
        if now - self.unreachable_since >= self.config.cluster.lost_after_s or self.client.status == "closed":
            raise self._lost()

    def _lost(self) -> ExecutionLost:
        return ExecutionLost(f"lost the Dask scheduler at {self.config.cluster.address} (or it lost the "
                             "scan's tasks); the inventory keeps the last checkpoint; the next run resumes")


def _exit_worker() -> None:
    """Run on a hung worker's event loop: end the process now (a thread stuck in C cannot be stopped)."""
    import os

    os._exit(3)


