"""Does a span overlap any of a set of spans? A sorted, merged set answers by bisection.

The person rules asked `any(f.overlaps(o) for o in others)` for every candidate, and
resolve_overlaps for every finding against those kept: quadratic, 500,000 calls on the
speed corpus (issue 16). The answer is the same as Finding.overlaps against each span:
half-open spans, nothing overlaps a span starting before 0, and an empty span at p is
overlapped by any span holding p strictly inside it.
"""

from bisect import bisect_left
from typing import Iterable, List, Tuple


class SpanSet:
    def __init__(self, spans: Iterable[Tuple[int, int]] = ()):
        # Disjoint, sorted runs of overlapping spans; touching spans stay apart ([1, 3) and [3, 5)
        # overlap no empty span at 3). Empty spans are kept aside: merging would lose them.
        self._starts: List[int] = []
        self._ends: List[int] = []
        self._points: List[int] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if start < 0 and end <= 0:
            return   # a field's value not in the text (-1, -1): overlaps nothing
        if start >= end:
            self._points.append(start)
            return
        i = bisect_left(self._ends, start + 1)        # the first run ending after `start`
        j = bisect_left(self._starts, end)              # the runs starting before `end`
        if i < j:                                       # runs i..j-1 overlap: merge them in
            start, end = min(start, self._starts[i]), max(end, self._ends[j - 1])
        del self._starts[i:j], self._ends[i:j]
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def overlaps(self, start: int, end: int) -> bool:
        """Finding(start, end).overlaps(o) for some o added."""
        if start < 0:
            return False
        i = bisect_left(self._starts, end) - 1          # the last run starting before `end`
        if i >= 0 and self._ends[i] > start:
            return True
        return any(start < p < end for p in self._points)
