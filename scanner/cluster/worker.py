"""What runs on a Dask worker: the model (loaded once per worker process) and the batch task.

Two worker plugins. The model plugin is named after the detector settings and
is registered idempotently, so a worker that has loaded spaCy for one scan
keeps it for the next. The scan plugin carries one scan's settings, the HMAC
key and the content hashes already known; it is unregistered when the scan
ends, so the key leaves the workers' memory with it (it is never written to
their disk: plugins are not spilled, and results hold only keys and masked
previews).
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from distributed import WorkerPlugin, get_worker

from ..analysis import Analyser, TaskResult
from ..config import ScanConfig

BEAT_EVERY_S = 5.0      # a batch that is still busy says so this often (the driver's hang watch)...


def scan_plugin_name(scan_id: str) -> str:
    """One plugin per scan: two drivers sharing a cluster (two inventories, two keys) never mix."""
    return f"pdsweep-scan-{scan_id}"


def progress_topic(scan_id: str) -> str:
    return f"pdsweep-progress-{scan_id}"


def model_plugin_name(settings) -> str:
    return "pdsweep-model-" + hashlib.sha256(repr(settings).encode()).hexdigest()[:12]


class ModelPlugin(WorkerPlugin):
    """spaCy and Presidio, loaded once per worker process and kept across scans with the same settings."""

    idempotent = True    # registered again by the next scan: kept, not reloaded

    def __init__(self, settings):
        self.settings = settings
        self.name = model_plugin_name(settings)
        self.detector = None

    def setup(self, worker) -> None:
        from detectors import Detector   # spaCy and Presidio load on the worker, once

        self.detector = Detector(self.settings)

    def __getstate__(self):
        return {"settings": self.settings, "name": self.name, "detector": None}


class ScanPlugin(WorkerPlugin):
    """One scan's settings and key; the worker's Analyser, built on the model plugin's detector."""

    def __init__(self, config: ScanConfig, secret: bytes, detector_fp: str, known: frozenset[str],
                 scan_id: str):
        self.name = scan_plugin_name(scan_id)
        self.config = config
        self.secret = secret
        self.detector_fp = detector_fp
        self.known = known
        self.analyser: Analyser | None = None
        self.lock = threading.Lock()

    def setup(self, worker) -> None:
        model = worker.plugins[model_plugin_name(self.config.detector)]
        self.analyser = Analyser(self.config, self.secret, self.detector_fp, self.known,
                                 detector=model.detector)
        self.analyser.done = _DoneByBatch()
        import os

        from ..pool import FAULT_ENV, _install_test_fault   # tests only, as in the local pool

        _install_test_fault(self.analyser, os.environ.get(FAULT_ENV))

    def teardown(self, worker) -> None:
        self.analyser = None
        self.secret = b""

    def __getstate__(self):
        state = dict(self.__dict__, analyser=None)
        del state["lock"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.lock = threading.Lock()


class _DoneByBatch(set):
    """The analyser's "analysed by this worker" set, remembering which batch added each hash.

    A batch whose result the driver threw away (Dask started a lost batch again before the driver
    cancelled it, and it ran to the end here) must not stop a later batch from analysing the same
    content: the driver names such batches, and their hashes are forgotten before the next batch.
    """

    def __init__(self):
        super().__init__()
        self.batch: int | None = None
        self.added: dict[int, list[str]] = {}

    def add(self, content_hash: str) -> None:
        super().add(content_hash)
        self.added.setdefault(self.batch, []).append(content_hash)

    def forget_batches(self, batch_ids) -> None:
        for batch_id in batch_ids:
            self.difference_update(self.added.pop(batch_id, ()))


@dataclass
class BatchOutcome:
    """What a task returns: the rows, or the type of the error that stopped the batch (no message:
    it could quote a path or a value)."""
    worker: str
    result: TaskResult | None
    error: str | None = None
    index: int | None = None     # the entry the batch was on when it failed


class _Beats:
    """The analyser's heartbeat, sent to the driver as an event: which entry of which batch this
    worker is on (so a worker that dies or hangs can be blamed on the right file)."""

    def __init__(self, worker, topic: str, batch_id: int, sizes: list[int], every_s: float):
        self.worker = worker
        self.sizes = sizes
        self.every_s = every_s
        self.topic = topic
        self.batch_id = batch_id
        self.index = 0
        self.last = 0.0

    def __call__(self, index: int | None) -> None:
        now = time.monotonic()
        if index is None and now - self.last < self.every_s:
            return
        self.index = self.index if index is None else index
        self.last = now
        self.worker.log_event(self.topic, {"batch": self.batch_id, "index": self.index,   # no path: no names
                                           "size": self.sizes[self.index], "worker": self.worker.address})


def analyse_batch(entries: list, scan_id: str, batch_id: int,
                  discarded: tuple[int, ...] = ()) -> BatchOutcome:
    """The task: one batch of outer files, analysed by this worker's Analyser. `discarded`: batches
    whose results the driver threw away (see _DoneByBatch)."""
    worker = get_worker()
    plugin: ScanPlugin = worker.plugins[scan_plugin_name(scan_id)]
    with plugin.lock:   # one analysis at a time per worker process: run workers with --nthreads 1
        config = plugin.config
        every_s = min(BEAT_EVERY_S, (config.limits.doc_timeout_s + config.worker_grace_s) / 4)   # or faster
        plugin.analyser.done.forget_batches(discarded)
        plugin.analyser.done.batch = batch_id
        sizes = [e.size for e in entries]
        beats = plugin.analyser.heartbeat = _Beats(worker, progress_topic(scan_id), batch_id, sizes, every_s)
        try:
            return BatchOutcome(worker.address, plugin.analyser.run(entries, scan_id))
        except Exception as exc:   # never let Dask log the arguments (paths) of a failed task
            # What this batch marked analysed was never returned: later batches must analyse it.
            plugin.analyser.done.forget_batches([batch_id])
            return BatchOutcome(worker.address, None, f"parser failed: {type(exc).__name__}", beats.index)
        finally:
            plugin.analyser.heartbeat = None


def worker_view(roots: list[str], config: ScanConfig) -> dict:
    """Run on every worker before a scan: the local roots it cannot see, and its fingerprint (the OCR
    engine found on the worker is part of it, as on the driver)."""
    import os

    from ..fingerprint import detector_fingerprint, reading_setting

    return {"missing": [r for r in roots if not os.path.exists(r)],
            "fingerprint": detector_fingerprint(config.detector, reading_setting(config))}
