"""A per-document wall-clock limit inside a worker (SIGALRM, main thread only)."""
from __future__ import annotations

import contextlib
import signal
import threading


class DocumentTimeout(Exception):
    """Raised inside the worker when one document runs past doc_timeout_s."""


def _raise(signum, frame):
    raise DocumentTimeout()


@contextlib.contextmanager
def time_limit(seconds: float):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
