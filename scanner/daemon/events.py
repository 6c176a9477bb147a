"""From watchdog events to paths that have settled.

The observer threads only record which paths changed; the main loop takes
a path once it has been quiet for the debounce period (a file still being
written keeps postponing itself), or once it has waited `max_delay_s`.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from watchdog.events import (DirModifiedEvent, FileClosedNoWriteEvent, FileOpenedEvent, FileSystemEvent,
                             FileSystemEventHandler)

# Events that change nothing we store. A directory's own "modified" event
# fires for every change inside it, which its children's events already cover.
_IGNORED = (FileOpenedEvent, FileClosedNoWriteEvent, DirModifiedEvent)


class Debouncer:
    def __init__(self, quiet_s: float, max_delay_s: float = 60.0, clock=time.monotonic):
        self.quiet_s = quiet_s
        self.max_delay_s = max_delay_s
        self.clock = clock
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[float, float]] = {}   # path -> (first event, last event)
        self.wakeup = threading.Event()                       # set whenever something is added

    def touch(self, path: str) -> None:
        now = self.clock()
        with self._lock:
            first, _ = self._pending.get(path, (now, now))
            self._pending[path] = (first, now)
        self.wakeup.set()

    def ready(self) -> list[str]:
        """Paths quiet for `quiet_s` (or pending for `max_delay_s`), removed from the queue."""
        now = self.clock()
        with self._lock:
            due = [p for p, (first, last) in self._pending.items()
                   if now - last >= self.quiet_s or now - first >= self.max_delay_s]
            for path in due:
                del self._pending[path]
        return due

    def next_due_in(self) -> float | None:
        """Seconds until the next path could be ready; None when the queue is empty."""
        now = self.clock()
        with self._lock:
            if not self._pending:
                return None
            return max(0.0, min(min(last + self.quiet_s, first + self.max_delay_s) - now
                                for first, last in self._pending.values()))

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)


class ChangeHandler(FileSystemEventHandler):
    """Feeds every changed path (both ends of a move) to the debouncer, minus the ignored ones."""

    def __init__(self, debouncer: Debouncer, ignore: tuple[str, ...] = ()):
        self.debouncer = debouncer
        self.ignore = tuple(os.path.abspath(p) for p in ignore)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if isinstance(event, _IGNORED):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if path and not self._ignored(path):
                self.debouncer.touch(path)

    def _ignored(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.ignore)


class OverflowSignal(logging.Handler):
    """watchdog handles an inotify queue overflow itself and only logs it: events were lost, so
    the affected roots must be crawled again. This handler turns that log record into a flag."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.flag = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.flag.set()

    def install(self) -> "OverflowSignal":
        for name in ("watchdog.observers.inotify_c", "watchdog.observers.inotify"):
            logging.getLogger(name).addHandler(self)
        return self

    def uninstall(self) -> None:
        for name in ("watchdog.observers.inotify_c", "watchdog.observers.inotify"):
            logging.getLogger(name).removeHandler(self)
