"""A wall-clock limit on one page's OCR (SIGALRM, main thread only), nested inside the scanner's.

The scanner may already run a per-document timer on SIGALRM. This one only
arms when the page limit ends first, and restores the outer timer (less the
time spent) and its handler afterwards, so the document limit still holds.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time


class PageTimeout(BaseException):
    """One page ran past ocr_page_timeout_s. A BaseException: no `except Exception` may swallow it."""


def _raise(signum, frame):
    raise PageTimeout()


@contextlib.contextmanager
def page_deadline(seconds: float):
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:
        yield       # the document's own limit ends first: it alone applies
        return
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 0.001))
