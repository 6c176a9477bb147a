"""Analysis in this process: no worker to spawn, the model loaded once (or lent by the caller)."""
from __future__ import annotations

import os
from typing import Iterable, Iterator

from connectors.filesystem import FileEntry

from ..analysis import Analyser, TaskResult
from ..pool import FAULT_ENV, _install_test_fault, run_in_process
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
                _install_test_fault(self.analyser, os.environ.get(FAULT_ENV))
            # a batch that raises is run again file by file; only a file that fails alone is recorded
            yield from run_in_process(self.analyser, entries, job.scan_id, job.config, job.detector_fp)
