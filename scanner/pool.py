"""Worker processes: one model load each, fed batches of outer files, watched by the parent.

Settings reach workers as process arguments and tasks through a queue (as
detect-secrets does with Pool initargs). Unlike multiprocessing.Pool, this
pool survives a worker that hangs in C code or dies: each worker reports a
heartbeat as it advances; one silent for longer than the document time limit
(plus grace) is killed and replaced, the outer file it was on is recorded as
`timeout`, and the rest of its batch is queued again. A worker that dies
(a crash in C code, or an exception escaping the analysis) cannot say which
file of its batch killed it (NER runs over the batch at once), so every file
of the batch is run again alone; only a file that kills a worker twice is
recorded, `error` with the cause. Which worker reads a content that several files
hold is settled in a claim table the workers share (scanner/pool_claims.py); a
lost worker's claims are released. This is the executor named "pool"
(scanner/executors/pool.py); "inprocess" runs the same Analyser in this process.
"""
from __future__ import annotations

import gc
import os
import queue
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

import pyarrow as pa

from connectors.filesystem import FileEntry

from .analysis import Analyser, TaskResult, lost_result
from .config import ScanConfig
from .inventory.schema import FINDINGS
from .pool_claims import ClaimTable
from .pool_retries import Retries
from .pool_server import PRELOAD_MODEL, context

FAULT_ENV = "PDSWEEP_TEST_WORKER_FAULT"
START_UP_ALLOWANCE_S = 60   # a spawned worker's imports and model load, before its first beat


def _worker_main(config, secret, detector_fp, known, claims, environ, tasks, results, beat, current,
                 tmp) -> None:
    # A worker forks from the forkserver, whose environment is the one the parent had when the
    # server started: take the parent's current one, as a spawned process would.
    os.environ.clear()
    os.environ.update(environ)
    # Every temporary file of this worker (spooled members hold content) goes under `tmp`, which the
    # parent removes once the process has ended, however it ended (killed on a hang, a crash).
    tempfile.tempdir = tmp
    os.environ["TMPDIR"] = tmp
    analyser = Analyser(config, secret, detector_fp, known, claims, detector=_preloaded_detector(config))
    gc.freeze()   # the model lives as long as the worker: no collection need walk it again
    gc.enable()   # the preload runs with it off; a preload module that failed to import left it so
    _install_test_fault(analyser, os.environ.get(FAULT_ENV))

    def heartbeat(index):
        beat.value = time.monotonic()
        if index is not None:
            current.value = index

    analyser.heartbeat = heartbeat
    claims.while_waiting = lambda: heartbeat(None)   # waiting on a stopped worker is not hanging
    while (message := tasks.get()) is not None:
        task_id, entries, scan_id = message
        try:
            result = analyser.run(entries, scan_id)
        except Exception as exc:
            # Contents claimed by this worker are marked done here but were never stored: it must
            # not go on. Say why (the type only: a message may quote file content), then die.
            results.put((task_id, WorkerFailure(f"parser failed: {type(exc).__name__}")))
            raise SystemExit(3) from None
        results.put((task_id, _findings_as_arrow(result)))


def _findings_as_arrow(result: TaskResult) -> TaskResult:
    """The task's findings rows (~30 per message) as one Arrow table, built here: the parent then takes
    them whole, where it unpickled every row dict (0.13 s of mail at the issue's size) and built them
    into Arrow again at the checkpoint (0.19 s, after the last worker ended); with 2 workers on 2 cores
    every CPU second of the parent's was taken from a worker (issue 16)."""
    result.findings = pa.Table.from_pylist(result.findings, schema=FINDINGS)
    return result


def _preloaded_detector(config: ScanConfig):
    """The forkserver's detector when its settings are this scan's (forked: this worker's own copy);
    None to build one (spawned, or a server started for a scan with other settings). Looked up, not
    imported: importing the module in a spawned worker would build a detector for nothing."""
    preload = sys.modules.get(PRELOAD_MODEL)
    return preload.detector_for(config.detector) if preload is not None else None


def _install_test_fault(analyser: Analyser, marker: str | None) -> None:
    """Tests only: $PDSWEEP_TEST_WORKER_FAULT=<text> makes a worker fail, as spaCy did on lone
    surrogates, when its batched analysis reaches a text holding <text>.

    Every file known to kill a worker has been made harmless (lone surrogates, infinite member
    times), yet the death path must be shown end to end; no file can do it for real any more.
    """
    if not marker:
        return
    analyze_many = analyser.detector.analyze_many

    def failing(items):
        items = list(items)
        if any(marker in text for text, _ in items):
            raise RuntimeError("test fault")
        return analyze_many(items)

    analyser.detector.analyze_many = failing


@dataclass(frozen=True)
class WorkerFailure:
    """Sent instead of a result by a worker about to exit on an exception."""
    cause: str


class _Worker:
    def __init__(self, ctx, args, results):
        self.tasks = ctx.SimpleQueue()
        self.beat = ctx.Value("d", time.monotonic(), lock=False)
        self.current = ctx.Value("i", 0, lock=False)
        self.tmp = tempfile.mkdtemp(prefix="pdsweep-worker-")   # 0700, removed by end()
        self.process = ctx.Process(target=_worker_main, daemon=True,
                                   args=(*args, self.tasks, results, self.beat, self.current, self.tmp))
        self.process.start()
        self.task: tuple[int, list[FileEntry]] | None = None
        self.failure: str | None = None   # why it is exiting, when it said so
        self.ready = False    # it has sent a result: its start-up (a spawned worker loads the model) is over

    def give(self, task_id: int, entries: list[FileEntry], scan_id: str) -> None:
        self.task = (task_id, entries)
        # Until its first result, allow for the start-up before the first beat. After it, a worker that
        # stops before beating on its next task (at once, in the hung-worker test) is a hang from now:
        # it used to get the start-up's allowance again with every task, a minute more per hang.
        self.beat.value = time.monotonic() + (0 if self.ready else START_UP_ALLOWANCE_S)
        self.current.value = 0
        self.tasks.put((task_id, entries, scan_id))

    def ask_to_stop(self) -> None:
        """An idle worker is asked to exit."""
        if self.task is None and self.process.is_alive():
            self.tasks.put(None)

    def stop(self) -> None:
        """Wait for an idle worker asked to exit; a busy one (the scan was interrupted) is killed at once."""
        if self.task is None:
            self.process.join(2)
        self.end()

    def end(self) -> None:
        """Kill the process if it still runs, and remove what it left in its temporary directory."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_in_process(analyser: Analyser, entries: list[FileEntry], scan_id: str, config: ScanConfig,
                    detector_fp: str) -> Iterator[TaskResult]:
    """A batch that raises is run again file by file (what a dead worker's batch gets); a file that
    raises alone is recorded with the exception's type. (A crash in C code ends the process here:
    the CLI's scan always isolates its workers.)"""
    done = set(analyser.done)
    try:
        yield analyser.run(entries, scan_id)
        return
    except Exception as exc:
        if len(entries) == 1:
            analyser.done = done      # what it claimed was never stored
            reason = f"analysis failed on this file (parser failed: {type(exc).__name__}); file not analysed"
            yield lost_result([entries[0]], "error", reason, config, scan_id, detector_fp)
            return
    analyser.done = done
    for entry in entries:
        yield from run_in_process(analyser, [entry], scan_id, config, detector_fp)


def run_pool(config, secret, detector_fp, known, tasks, scan_id, n_workers) -> Iterator[TaskResult]:
    """The local worker pool: `n_workers` processes (the executor named "pool")."""
    ctx = context(config.detector)
    hard_limit = config.limits.doc_timeout_s + config.worker_grace_s   # SIGALRM in the worker fires first
    claims = ClaimTable.create()
    results = ctx.Queue()
    args = (config, secret, detector_fp, known, claims, dict(os.environ))
    pool: list[_Worker] = []
    try:
        pool.extend(_Worker(ctx, args, results) for _ in range(n_workers))
        pending = deque(enumerate(tasks))
        retries = Retries(first_id=len(tasks))
        while pending or any(w.task for w in pool):
            _hand_out(pool, pending, scan_id)
            try:
                task_id, result = results.get(timeout=0.5)
            except queue.Empty:
                pass
            else:
                owner = next((w for w in pool if w.task and w.task[0] == task_id), None)
                if owner is not None and isinstance(result, WorkerFailure):
                    owner.failure = result.cause   # it exits now; handled as a death below
                elif owner is not None:   # else: its worker was declared lost and the batch requeued
                    owner.task = None
                    owner.ready = True
                    # Its next task first: the caller records the result (a checkpoint writes
                    # Parquet) while this generator waits, and the worker must not wait with it.
                    _hand_out(pool, pending, scan_id)
                    yield result
            for i, w in enumerate(pool):
                lost = _lost_reason(w, hard_limit)
                if lost is None:
                    continue
                again, given_up = retries.after_loss(w.task[1], w.current.value, *lost)
                for entry, status, reason in given_up:
                    yield lost_result([entry], status, reason, config, scan_id, detector_fp)
                pending.extendleft(reversed(again))
                w.end()
                claims.release(w.process.pid)   # what it claimed was never stored: the others may
                pool[i] = _Worker(ctx, args, results)
    finally:
        _stop_all(pool)
        claims.remove()


def _stop_all(pool: list[_Worker]) -> None:
    """Every worker is asked to exit before any is waited for: they end side by side."""
    for w in pool:
        w.ask_to_stop()
    for w in pool:
        w.stop()


def _hand_out(pool: list[_Worker], pending: deque, scan_id: str) -> None:
    for w in pool:
        if w.task is None and pending:
            w.give(*pending.popleft(), scan_id)


def _lost_reason(w: _Worker, hard_limit: float) -> tuple[str, str] | None:
    if w.task is None:
        return None
    if not w.process.is_alive():
        return "error", w.failure or _exit_cause(w.process.exitcode)
    if time.monotonic() - w.beat.value > hard_limit:
        return "timeout", "limit: doc_timeout_s (worker killed and replaced)"
    return None


def _exit_cause(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"



def batch_entries(entries: Iterable[FileEntry], max_files: int, max_bytes: int,
                  workers: int = 1) -> Iterator[list[FileEntry]]:
    """Group small files so a worker can batch their NER; a large file travels alone.

    With several workers the end of the walk is cut finer: no batch takes more than 1/(2 x workers)
    of the files left from its start (guided self-scheduling), down to TAIL_FILES. Full batches
    handed out to the end left one worker finishing the last one (~0.3 s of mail) while the others
    sat idle; small batches only at the end keep most NER batches full.
    """
    entries = list(entries)
    batch: list[FileEntry] = []
    size = 0
    cap = max_files
    for index, entry in enumerate(entries):
        if batch and (len(batch) >= cap or size + entry.size > max_bytes):
            yield batch
            batch, size = [], 0
        if not batch and workers > 1:
            share = -(-(len(entries) - index) // (2 * workers))   # ceil: what is left, per worker, halved
            cap = max(TAIL_FILES, min(max_files, share))
        batch.append(entry)
        size += entry.size
    if batch:
        yield batch


TAIL_FILES = 4   # the smallest batch the end of a walk is cut into
