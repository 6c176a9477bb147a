"""A per-document wall-clock limit inside a worker (SIGALRM, main thread only)."""
from __future__ import annotations

import contextlib
import signal
import threading


class DocumentTimeout(BaseException):
    """Raised inside the worker when one document runs past doc_timeout_s.

    A BaseException, so that no parser's `except Exception` guard can turn it into a parse error.
    """


def _raise(signum, frame):
    raise DocumentTimeout()


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise DocumentTimeout after `seconds` without progress; the yielded `rearm()` marks progress.

    A large file streamed in many units is not a slow file: each unit re-arms
    the limit, so only a parser that stops producing text is cut off.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield lambda: signal.setitimer(signal.ITIMER_REAL, seconds)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
