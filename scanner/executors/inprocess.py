"""Analysis in this process: no worker to spawn, the model loaded once (or lent by the caller)."""
from __future__ import annotations

from typing import Iterable, Iterator

from connectors.filesystem import FileEntry

from ..analysis import Analyser, TaskResult
from . import AnalysisJob, Executor, register


@register
class InProcessExecutor(Executor):
    """The daemon lends its long-lived `analyser` (model already loaded); a scan builds one on the first
    task, so an incremental scan with nothing to read loads no model."""

    name = "inprocess"

    def __init__(self, config, analyser: Analyser | None = None):
        super().__init__(config)
        self.analyser = analyser

    def run(self, job: AnalysisJob, tasks: Iterable[list[FileEntry]]) -> Iterator[TaskResult]:
        for entries in tasks:
            if self.analyser is None:
                self.analyser = Analyser(job.config, job.secret, job.detector_fp, job.known)
            yield self.analyser.run(entries, job.scan_id)
