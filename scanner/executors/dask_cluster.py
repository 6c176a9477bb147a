"""Analysis on a Dask cluster (`pdsweep scan --cluster ADDRESS`): see scanner/cluster/."""
from __future__ import annotations

from typing import Iterable, Iterator

from connectors.filesystem import FileEntry

from ..analysis import TaskResult
from ..errors import UsageError
from . import AnalysisJob, Executor, register


@register
class DaskExecutor(Executor):
    """Batches become Dask tasks; workers load the model once (a WorkerPlugin), read the files
    themselves and return rows. Needs `config.cluster` (the scheduler's address and TLS files)."""

    name = "dask"

    def run(self, job: AnalysisJob, tasks: Iterable[list[FileEntry]]) -> Iterator[TaskResult]:
        if self.config.cluster is None:
            raise UsageError("the dask executor needs a scheduler address "
                             "(--cluster, or cluster = in the TOML)")
        from ..cluster.executor import run_cluster_tasks   # distributed is imported only here

        yield from run_cluster_tasks(job.config, job.secret, job.detector_fp, job.known, tasks, job.scan_id)
