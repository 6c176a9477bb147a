"""Worker processes: one model load each, fed batches of outer files.

Settings reach workers through `Pool(initializer=..., initargs=...)` and a
module-level task function (as detect-secrets does); with one worker the same
code runs in-process, which keeps tracebacks simple and tests fast.
"""
from __future__ import annotations

import multiprocessing as mp
from typing import Iterable, Iterator

from connectors.filesystem import FileEntry

from .analysis import Analyser, TaskResult
from .config import ScanConfig

_analyser: Analyser | None = None


def _init_worker(config: ScanConfig, secret: bytes, detector_fp: str, known: frozenset[str], claims) -> None:
    global _analyser
    _analyser = Analyser(config, secret, detector_fp, known, claims)


def _run_task(task: tuple[list[FileEntry], str]) -> TaskResult:
    entries, scan_id = task
    assert _analyser is not None
    return _analyser.run(entries, scan_id)


def run_tasks(config: ScanConfig, secret: bytes, detector_fp: str, known: frozenset[str],
              tasks: Iterable[list[FileEntry]], scan_id: str) -> Iterator[TaskResult]:
    if config.workers <= 1:
        analyser = Analyser(config, secret, detector_fp, known)
        for entries in tasks:
            yield analyser.run(entries, scan_id)
        return
    ctx = mp.get_context("spawn")   # no fork of a parent holding threads, locks or the progress bar
    with ctx.Manager() as manager:
        claims = manager.dict()
        with ctx.Pool(config.workers, initializer=_init_worker,
                      initargs=(config, secret, detector_fp, known, claims),
                      maxtasksperchild=500) as pool:
            yield from pool.imap_unordered(_run_task, ((t, scan_id) for t in tasks))


def batch_entries(entries: Iterable[FileEntry], max_files: int, max_bytes: int) -> Iterator[list[FileEntry]]:
    """Group small files so a worker can batch their NER; a large file travels alone."""
    batch: list[FileEntry] = []
    size = 0
    for entry in entries:
        if batch and (len(batch) >= max_files or size + entry.size > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(entry)
        size += entry.size
    if batch:
        yield batch
