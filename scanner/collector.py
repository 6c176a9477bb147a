"""The cyclic garbage collector's pace while a task is analysed (issue 16).

A task allocates hundreds of thousands of container objects: email header trees, findings, segments,
rows. Almost none are in reference cycles: they die by reference count when the message or task is
done, or live on in the bounded per-process caches (parsed headers, segment findings, value keys).
At CPython's default pace (a young collection every 700 net allocations, `gc.get_threshold()`) they
are still young when a collection finds them alive, so they move to the old generation, and every
full collection walks all of them again. On the mail corpus at scale 6 (2,839 messages, no NER)
that was 1.0 of the worker's 11.5 CPU seconds, 0.78 in ten full collections.

While a task runs the young generation is collected every YOUNG_THRESHOLD allocations instead:
task objects die before any collection sees them, the cached ones are walked far less often, and
cycles are still collected, only later (at most that many objects wait). What the collector frees
is the same either way, so no result changes; only the pace does, and it is put back afterwards.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator

YOUNG_THRESHOLD = 50_000

_lock = threading.Lock()
_runs = 0                        # analyses in progress in this process (threads may overlap)
_before: tuple[int, ...] = ()    # the thresholds to put back when the last one ends


@contextlib.contextmanager
def analysis_pace() -> Iterator[None]:
    """Collect the young generation every YOUNG_THRESHOLD allocations while the block runs."""
    global _runs, _before
    with _lock:
        if _runs == 0:
            _before = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, _before[0]), *_before[1:])
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0:
                gc.set_threshold(*_before)
