"""The server the pool's workers fork from: how it is started, what it preloads, and starting it early.

Pool workers fork from a `forkserver` that imported the analysis stack once (and, for the default
detector settings, loaded the spaCy model): ~1.5 s of CPU a worker would otherwise spend before its
first file. That preload is serial: no worker starts before it ends, with one worker or with eight.
Started when the pool first needs it, it followed the scanning process's own start-up (imports of
the inventory stack, reading the previous inventory, the walk: ~0.7 s) instead of running beside
it; `EarlyServer` starts it first for a first scan, and with the first file to read for a rescan,
so on two cores both run at once.

Light on purpose (no connectors, detectors or pyarrow): the scan command imports it before anything else.
"""
from __future__ import annotations

import atexit
import json
import multiprocessing as mp
import os
import signal
from dataclasses import asdict
from multiprocessing import forkserver

from detectors.model import DetectorSettings

from .config import ScanConfig

PRELOAD = "scanner.worker_preload"          # the analysis stack and the parsers every worker imports
PRELOAD_MODEL = "scanner.worker_model"      # the scan's detector: recognisers, prefilter, the model if any
DETECTOR_ENV = "PDSWEEP_SERVER_DETECTOR"    # its settings, as the server reads them when it starts


def uses_pool(config: ScanConfig) -> bool:
    """Whether this scan's analysis runs in local worker processes (`executors.executor_for`)."""
    return config.executor == "pool" or (config.executor == "auto" and auto_picks_pool(config))


def auto_picks_pool(config: ScanConfig, tasks: int | None = None) -> bool:
    """The "auto" executor's rule: the pool for more than one worker (no more than `tasks`), or where
    isolation is asked for (the CLI always does); else in this process."""
    workers = config.workers if tasks is None else min(config.workers, tasks)
    return workers > 1 or config.isolate_workers


def server_settings() -> DetectorSettings:
    """The detector settings the server builds its detector with (the default where none were set)."""
    raw = os.environ.get(DETECTOR_ENV)
    return DetectorSettings(**json.loads(raw)) if raw else DetectorSettings()


def context(settings: DetectorSettings):
    """Workers fork from a forkserver; the server is a clean process started by exec, so the parent,
    holding threads, locks and the progress bar, is never forked. Spawn where there is no
    forkserver, or where its socket (TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX, 0600 in a 0700 folder:
    the server runs what it is sent, so it must not move to the abstract namespace, where any local
    user could connect) would pass the 107-byte limit of an AF_UNIX path.

    The server is one per process (the stdlib's): the detector it built when it started stays until
    it stops. Its settings reach it through the environment it inherits as it starts (the preload
    takes module names only). A later scan with other settings still gets the right detector
    (`worker_model.detector_for` answers None and the worker builds its own)."""
    if "forkserver" not in mp.get_all_start_methods() or len(_socket_path()) > 107:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD, PRELOAD_MODEL])   # read when the server starts
    os.environ[DETECTOR_ENV] = json.dumps(dict(asdict(settings), enable=sorted(settings.enable),
                                               disable=sorted(settings.disable)))
    return ctx


def _socket_path() -> str:
    """The path the forkserver's socket gets: in multiprocessing's temporary folder for this process
    (made in TMPDIR by its first use, then kept for the life of the process, as the server's socket
    is), which this call makes where it is not yet made."""
    from multiprocessing import util
    return os.path.join(util.get_temp_dir(), "listener-XXXXXXXX")


class EarlyServer:
    """The forkserver started before the pool asks for it: now for the first scan of an inventory,
    about to import and walk; for a rescan, by `start()` once its walk finds the first file to read.

    A first scan will read whatever it finds. A rescan may find nothing to read, and an unchanged
    tree should cost little more than the interpreter's start: its server starts with the first
    new or changed file, and preloads beside the rest of the walk (it used to start when the pool
    needed it, after the walk: a rescan's walk and preload then ran one after the other).
    `close(forked)` at the end of the scan stops a server this object started if no worker was
    forked from it (an empty tree, or a scan refused before reading): its preload would otherwise go
    on for a second and more after the command ended. Such a scan still pays the server's start
    until then (~0.4 s of CPU, on another core when one is free).
    The stdlib keeps the server's pid private (`forkserver._forkserver`); where that changes, the
    server is left to end by itself, as it always did when its parent exits.
    """

    def __init__(self, config: ScanConfig):
        self.pid: int | None = None
        self.config = config
        self.started = False
        if not _scanned_before(config.inventory):
            self.start()

    def start(self) -> None:
        """Start the server (once), where the scan's workers will fork from one."""
        if self.started:
            return
        self.started = True
        if not uses_pool(self.config) or context(self.config.detector).get_start_method() != "forkserver":
            return
        server = getattr(forkserver, "_forkserver", None)
        already = getattr(server, "_forkserver_pid", None)
        forkserver.ensure_running()
        if already is None:
            self.pid = getattr(server, "_forkserver_pid", None)

    def close(self, forked: bool) -> None:
        if self.pid is None or forked:
            return
        if forkserver._forkserver._forkserver_pid == self.pid:
            _kill_server()      # mid-preload it would not read its stop request
        self.pid = None


def kill_server_at_exit() -> None:
    """For the CLI, whose process ends with its scan: the workers' server is killed as the process
    exits, where it used to see the exit and then tear down its ~300 MB of imports and model in
    Python (0.1-0.25 s of CPU and wall, after the command had ended but holding its output pipe
    open: `pdsweep scan ... | jq` waited for it). Every worker has ended by then, and the server
    holds nothing to save."""
    atexit.unregister(_kill_server)     # registered once, however many scans the process runs
    atexit.register(_kill_server)


def _kill_server() -> None:
    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)
        server._stop()                  # reaps it and removes its socket
    except OSError:
        pass                            # already gone (its socket with it)


def _scanned_before(inventory: str) -> bool:
    """Whether the inventory exists (its manifest: scanner/inventory/manifest.py, not imported here,
    since the inventory package imports pyarrow and DuckDB)."""
    return os.path.exists(os.path.join(inventory, "manifest.json"))
