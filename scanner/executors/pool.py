"""Analysis in local worker processes (`scanner.pool`): one model load each, hangs and deaths survived."""
from __future__ import annotations

from typing import Iterable, Iterator

from connectors.filesystem import FileEntry

from ..analysis import TaskResult
from ..pool import run_pool
from . import AnalysisJob, Executor, register


@register
class LocalPoolExecutor(Executor):
    """`config.workers` processes (fewer when there are fewer tasks), forked from a preloaded server,
    fed through queues and watched by heartbeat; see scanner/pool.py."""

    name = "pool"

    def run(self, job: AnalysisJob, tasks: Iterable[list[FileEntry]]) -> Iterator[TaskResult]:
        tasks = list(tasks)
        if not tasks:
            return      # nothing to read: no worker, no model load
        workers = max(1, min(self.config.workers, len(tasks)))
        yield from run_pool(job.config, job.secret, job.detector_fp, job.known, tasks, job.scan_id, workers)
