"""The daemon's main loop: watch, debounce, update, re-crawl on schedule, report status, stop cleanly.

All inventory work happens on the main thread through one Session; observer
threads only queue paths. SIGTERM/SIGINT ask the loop to stop after the
current batch; if that batch is still running after HARD_STOP_S, the main
thread is interrupted, what is buffered is checkpointed, and the daemon
exits 0 (a restart reconciles the rest with an incremental crawl).
"""
from __future__ import annotations

import _thread
import logging
import os
import signal
import threading
import time
import warnings

from connectors.errors import ConnectorError

from ..errors import PdsweepError
from .config import DaemonConfig
from .events import ChangeHandler, Debouncer, OverflowSignal
from .roots import REMOTE_CHECK_EVERY_S, RootState, root_problem
from .session import Session
from .remote_roots import RemoteProbes
from .status import StatusWriter, now_iso, read_status
from .watching import Observers, needs_polling

log = logging.getLogger("pdsweep.daemon")

# watchdog warns (quoting paths and internals) when a re-added directory already had a watch; harmless.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.")

SUPPRESSION_CHECK_EVERY_S = 60.0   # after updates that read files: is erased data back?
HARD_STOP_S = 8.0          # a stop request waits this long for the current batch, then interrupts it
CHECK_ROOTS_EVERY_S = 2.0


class Daemon:
    def __init__(self, config: DaemonConfig):
        self.config = config
        self.roots = [RootState(r) for r in config.roots]
        self.debouncer = Debouncer(config.debounce_s, config.max_delay_s)
        self.stop_event = threading.Event()
        self.status = StatusWriter(config.scan.inventory)
        self.counts = dict(updates=0, files_read=0, gone=0, errors=0, suppressed=0)
        self._suppression_checked = 0.0
        self.state = "starting"
        self.started = now_iso()
        self.last_update: str | None = None
        self._previous_devices = _previous_devices(config.scan.inventory)
        self._hard_stop: threading.Timer | None = None
        self.probes = RemoteProbes()

    # -- lifecycle ------------------------------------------------------------
    def request_stop(self, signum=None, frame=None) -> None:
        if self.stop_event.is_set():
            # A second signal, or the hard-stop timer (its interrupt_main() calls this handler): stop now.
            # Raising here, in the main thread, is the interrupt; calling interrupt_main() again from the
            # handler would call the handler again, without end (a RecursionError, not a stop).
            raise KeyboardInterrupt
        log.info("stop requested (%s); finishing the current batch", _signal_name(signum))
        self.stop_event.set()
        self.debouncer.wakeup.set()
        self._hard_stop = threading.Timer(HARD_STOP_S, _thread.interrupt_main)
        self._hard_stop.daemon = True
        self._hard_stop.start()

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self.request_stop)
        try:
            # The status file is ours only once we hold the lock: a refused second daemon must not touch it.
            session = Session(self.config.scan, on_locked=lambda: self._write_status(force=True))
        except KeyboardInterrupt:                  # a stop request while the model was loading
            self._stopped()
            return 0
        overflow = OverflowSignal().install()
        observers = Observers(ChangeHandler(self.debouncer, ignore=(self.config.scan.inventory,)),
                              self.config.poll_interval_s, self.config.smb_poll_interval_s)
        self.session, self.observers, self.overflow = session, observers, overflow
        log.info("daemon started", extra=dict(roots=len(self.roots), inventory=self.config.scan.inventory))
        try:
            self._loop()
        except KeyboardInterrupt:
            log.warning("stop: the current batch was interrupted; a restart re-reads it")
        finally:
            self.state = "stopping"
            if self._hard_stop:
                self._hard_stop.cancel()
            observers.stop()
            overflow.uninstall()
            session.close()
            self._stopped()
        return 0

    def _stopped(self) -> None:
        if self._hard_stop:
            self._hard_stop.cancel()
        self.state = "stopped"
        self._write_status(force=True)
        log.info("daemon stopped", extra=dict(self.counts))

    def _loop(self) -> None:
        last_check = -CHECK_ROOTS_EVERY_S
        while not self.stop_event.is_set():
            now = time.monotonic()
            if now - last_check >= CHECK_ROOTS_EVERY_S:
                self._check_roots(now)
                last_check = now
            if self.overflow.flag.is_set():
                self.overflow.flag.clear()
                self._overflowed(now)
            self._process_events()
            if not self.stop_event.is_set():
                self._crawl_one_due(time.monotonic())
            self.state = "watching" if any(r.cfg.watch for r in self.roots) else "idle"
            self._write_status()
            wait = self.debouncer.next_due_in()
            self.debouncer.wakeup.wait(0.5 if wait is None else min(0.5, max(0.02, wait)))
            self.debouncer.wakeup.clear()

    # -- roots ------------------------------------------------------------------
    def _check_roots(self, now: float) -> None:
        for root in self.roots:
            if root.state == "lost" and now < root.retry_at:
                continue
            if root.observer:       # a change feed falls back to polling when the server sends no changes
                root.observer = self.observers.kind(root.path) or root.observer
            if not self._check_due(root, now):
                continue
            done, problem = self._problem(root)
            if not done:
                continue         # a remote root's probe is under way; its answer is read on a later round
            root.checked_at = now
            if problem:
                self._lose(root, problem, now)
                continue
            if root.state == "lost":
                log.info("root available again: %s; crawling it", root.path)
                root.state, root.backoff_s, root.crawl_due = "ok", 0.0, now
            if root.cfg.watch:
                self._ensure_watched(root, now)

    def _watch_ended(self, root: RootState) -> bool:
        """A watched remote root whose watch is not running (not started yet, or its connection dropped):
        nothing is read there until a background probe says the server answers and the watch is back,
        followed by a crawl. Reading now, on this loop, could wait out a hung server's timeouts while
        the local roots' changes queue up."""
        return root.cfg.is_remote and root.cfg.watch and not (root.observer and self.observers.alive(root.path))

    def _problem(self, root: RootState) -> tuple[bool, str | None]:
        """(done, why the root cannot be crawled now)."""
        if root.cfg.is_remote:
            return self.probes.poll(root.cfg)
        return True, root_problem(root, self._previous_devices.get(root.path))

    def _check_due(self, root: RootState, now: float) -> bool:
        """Local roots: every time. Remote roots cost a round trip: every REMOTE_CHECK_EVERY_S, or at
        once when their watch has ended (the connection dropped) or they are lost."""
        if not root.cfg.is_remote or root.state == "lost" or root.checked_at is None or self._watch_ended(root):
            return True
        return now - root.checked_at >= REMOTE_CHECK_EVERY_S

    def _ensure_watched(self, root: RootState, now: float) -> None:
        if root.observer and self.observers.alive(root.path):
            return
        if root.observer:    # the watch died under us (root deleted or moved, then back)
            log.warning("lost the watch on %s; rescanning it", root.path)
            self.observers.unwatch(root.path)
            root.crawl_due = now
        if root.cfg.is_remote:
            polling = self.config.polling is True      # else its change feed, polling only if that has none
        else:
            polling = self.config.polling if self.config.polling is not None else needs_polling(root.path)
        try:
            root.observer = self.observers.watch(root.path, polling, root.cfg.reader)
        except OSError as exc:      # e.g. the inotify watch limit
            root.observer = None
            self._lose(root, f"cannot watch: {type(exc).__name__}: {exc.strerror}", now)
            return
        log.info("watching %s (%s)", root.path, root.observer)

    def _lose(self, root: RootState, reason: str, now: float) -> None:
        if root.observer:
            self.observers.unwatch(root.path)
            root.observer = None
        if root.lose(reason, now):      # counted and logged once per outage, not once per retry
            log.warning("root unavailable: %s (%s); retrying with back-off", root.path, reason)
            self.counts["errors"] += 1

    def _overflowed(self, now: float) -> None:
        for root in self.roots:
            if root.observer == "inotify":
                log.warning("events were lost (inotify queue overflow); rescanning %s", root.path)
                root.crawl_due = now

    def _crawl_one_due(self, now: float) -> None:
        # Only a root that has been checked (and so, when watched, is watched already: no change between
        # its crawl and its watch is missed); a remote root's first check runs in the background.
        due = [r for r in self.roots if r.state != "lost" and r.checked_at is not None
               and r.crawl_due is not None and r.crawl_due <= now and not self._watch_ended(r)]
        if not due:
            return
        root = min(due, key=lambda r: r.crawl_due)
        root.state = "crawling"
        self.state = "crawling"
        self._write_status(force=True)
        try:
            summary = self.session.crawl(root.path, root.cfg.excludes, self.stop_event.is_set)
        except Exception as exc:      # one root failing must not stop the others
            log.error("crawl of %s failed: %s", root.path, _reason(exc))
            self._lose(root, f"crawl failed: {_reason(exc)}", time.monotonic())
            return
        root.state = "ok"
        root.last_crawl = dict(ended=now_iso(), status=summary.status, files=summary.files,
                               files_read=summary.files_read, unchanged=summary.files_unchanged,
                               gone=summary.gone, errors=summary.errors, seconds=round(summary.seconds, 2))
        root.crawl_due = time.monotonic() + root.cfg.interval_s if root.cfg.interval_s else None
        self._requeue_unsettled()
        if summary.files_read:
            self._check_suppressed(force=True)
        log.info("crawl of %s %s: %d files, read %d, unchanged %d, gone %d", root.path, summary.status,
                 summary.files, summary.files_read, summary.files_unchanged, summary.gone,
                 extra=dict(root=root.path, **root.last_crawl))

    # -- events -------------------------------------------------------------------
    def _process_events(self) -> None:
        by_root: dict[int, list[str]] = {}
        for path in self.debouncer.ready():
            root = next((i for i, r in enumerate(self.roots) if r.holds(path)), None)
            if root is None or self.roots[root].state == "lost" or self._watch_ended(self.roots[root]):
                continue       # reconciled by a crawl when the root (or its watch) is back
            if path == self.roots[root].path:
                self.roots[root].crawl_due = time.monotonic()   # the root itself changed: crawl it
                continue
            by_root.setdefault(root, []).append(path)
        for index, paths in by_root.items():
            if self.stop_event.is_set():
                return
            self._update(self.roots[index], paths)

    def _update(self, root: RootState, paths: list[str]) -> None:
        try:
            summary = self.session.update(paths, self.stop_event.is_set, root.cfg.excludes)
        except Exception as exc:
            log.error("update under %s failed: %s", root.path, _reason(exc))
            if root.cfg.is_remote:
                # The server went away mid-update: these changes are caught up by a crawl once it is back.
                self._lose(root, f"update failed: {_reason(exc)}", time.monotonic())
                return
            root.errors += 1
            root.last_error = f"update failed: {type(exc).__name__}"
            self.counts["errors"] += 1
            return
        self.counts["updates"] += 1
        self.counts["files_read"] += summary.files_read
        self.counts["gone"] += summary.gone
        self.last_update = now_iso()
        self._requeue_unsettled()
        if summary.files_read:
            self._check_suppressed()
        log.info("updated %d path(s): read %d, gone %d, problems %d", len(paths), summary.files_read,
                 summary.gone, summary.errors + summary.skipped,
                 extra=dict(root=root.path, paths=len(paths), files_read=summary.files_read,
                            gone=summary.gone))
        log.debug("updated paths: %s", paths)

    def _check_suppressed(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._suppression_checked < SUPPRESSION_CHECK_EVERY_S:
            return
        self._suppression_checked = now
        try:
            count = self.session.suppressed()
        except Exception as exc:
            log.error("cannot check the suppression register: %s", type(exc).__name__)
            return
        if count > self.counts["suppressed"]:
            log.warning("%d location(s) hold data of erased subjects (a restore?); see `pdsweep suppressed`",
                        count, extra=dict(suppressed=count))
        self.counts["suppressed"] = count

    def _requeue_unsettled(self) -> None:
        for path in self.session.unsettled:
            self.debouncer.touch(path)
        self.session.unsettled.clear()

    # -- status ---------------------------------------------------------------------
    def _write_status(self, force: bool = False) -> None:
        now = time.monotonic()
        try:
            self.status.write(dict(
                pid=os.getpid(), state=self.state, started=self.started, inventory=self.config.scan.inventory,
                queue=len(self.debouncer), last_update=self.last_update, **self.counts,
                roots=[r.as_status(now) for r in self.roots]), force=force)
        except OSError as exc:
            log.error("cannot write the status file: %s", exc.strerror)


def _previous_devices(inventory: str) -> dict[str, int]:
    """Root devices recorded by the previous run: an unmounted share must not look empty."""
    try:
        status = read_status(inventory)
    except Exception:
        return {}
    return {r["path"]: r["device"] for r in status.get("roots", []) if r.get("device") is not None}


def _reason(exc: Exception) -> str:
    """Our own errors say what to do in one line; a library's message may quote anything: its type only."""
    return str(exc) if isinstance(exc, (PdsweepError, ConnectorError)) else type(exc).__name__


def _signal_name(signum) -> str:
    try:
        return signal.Signals(signum).name
    except (TypeError, ValueError):
        return "request"
