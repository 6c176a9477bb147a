"""Where the analysis runs: the execution strategy of the one scan engine.

The engine (`scanner.engine`) walks, decides what to read, and records; an
`Executor` turns batches of walked outer files into `TaskResult`s, wherever it
likes: in this process, in a local worker pool, on a cluster. `scan`, `watch`
and `daemon` choose one by name (`ScanConfig.executor`), and nothing else in
the scanner depends on which.

    job = AnalysisJob(config, secret, detector_fp, known_hashes, scan_id)
    for result in executor_for(config).run(job, batches):   # batches: lists of FileEntry
        record(result)

An executor's contract:

- `run(job, tasks)` yields exactly one `TaskResult` per task, as each finishes
  (in any order), plus extra results for files it had to give up on (a worker
  killed on a hang, or lost): those are location rows with status
  `timeout`/`error` and the reason, never silence.
- Closing the generator (the caller stopped early: SIGTERM, Ctrl-C) stops the
  work promptly and releases every process or connection it started.
- Whatever goes to a worker pickles: the job (a frozen `ScanConfig` holding
  `SourceSettings`, the secret, the detector fingerprint, the content hashes
  already known) and `FileEntry`s, which carry what their source needs to
  open them. A worker builds one `Analyser(job...)`, loading the model once,
  and calls `analyser.run(entries, job.scan_id)` per task; it opens each
  entry with `connectors.source.source_for(entry.path, config.sources)`.
- Identical content is analysed once per run where the executor can share a
  claim table (`Analyser.claims`); where it cannot, the inventory's
  content-addressed findings still make a duplicate harmless.

A new executor (Dask...) is one module in this package that subclasses
`Executor`, sets `name`, and decorates the class with `@register`; it must
import its heavy dependency inside `run`, so that the package imports without it.
"""
from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Iterable, Iterator

from connectors.filesystem import FileEntry

from ..analysis import TaskResult
from ..config import ScanConfig
from ..pool_server import auto_picks_pool

__all__ = ["AnalysisJob", "Executor", "executor_for", "register", "registered_executors"]


@dataclass(frozen=True)
class AnalysisJob:
    """Everything a worker needs besides its tasks; picklable."""

    config: ScanConfig
    secret: bytes
    detector_fp: str
    known: frozenset[str]          # content hashes already analysed with these settings: not again
    scan_id: str


class Executor(ABC):
    name: ClassVar[str] = ""

    def __init__(self, config: ScanConfig):
        self.config = config

    @abstractmethod
    def run(self, job: AnalysisJob, tasks: Iterable[list[FileEntry]]) -> Iterator[TaskResult]:
        """One TaskResult per task as it finishes (see the module's contract)."""


_EXECUTORS: dict[str, type[Executor]] = {}
_DISCOVERED: list[bool] = []


def register(cls: type[Executor]) -> type[Executor]:
    """Class decorator: make an executor known to `executor_for` under its `name`."""
    _EXECUTORS[cls.name] = cls
    return cls


def registered_executors() -> dict[str, type[Executor]]:
    if not _DISCOVERED:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _DISCOVERED.append(True)
    return dict(_EXECUTORS)


def executor_for(config: ScanConfig, name: str | None = None, tasks: int | None = None) -> Executor:
    """The executor `name` (default: `config.executor`). "auto": in this process when one worker would
    do (one asked for, or `tasks` is one) and no isolation is asked for, else the local worker pool."""
    name = name or config.executor
    if name == "auto":
        name = "pool" if auto_picks_pool(config, tasks) else "inprocess"
    executors = registered_executors()
    if name not in executors:
        from ..errors import UsageError

        raise UsageError(f"unknown executor {name!r} (known: {', '.join(sorted(executors))})")
    return executors[name](config)
