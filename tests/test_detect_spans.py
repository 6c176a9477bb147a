"""SpanSet answers exactly what `any(Finding.overlaps(...))` answered, on random spans (issue 16)."""

import random

import pytest

from detectors.model import Finding
from detectors.spans import SpanSet


def _finding(start, end):
    return Finding("X", start, end, "", 0.5, "test")


@pytest.mark.parametrize("seed", range(20))
def test_same_answer_as_pairwise_overlaps(seed):
    rnd = random.Random(seed)
    spans, kept = SpanSet(), []
    for _ in range(200):
        start = rnd.choice([-1, rnd.randint(0, 60)])
        end = -1 if start < 0 else start + rnd.choice([0, 0, 1, 2, 3, rnd.randint(0, 20)])
        query = _finding(start, end)
        assert spans.overlaps(start, end) == any(query.overlaps(k) for k in kept), (start, end, kept)
        if rnd.random() < 0.5:
            spans.add(start, end)
            kept.append(query)


def test_touching_spans_leave_the_point_between_them_free():
    spans = SpanSet([(1, 3), (3, 5)])
    assert not spans.overlaps(3, 3) and spans.overlaps(2, 2) and spans.overlaps(4, 6) and not spans.overlaps(5, 9)
    assert SpanSet([(1, 3), (2, 5)]).overlaps(3, 3)       # inside [2, 5)
    assert SpanSet([(4, 4)]).overlaps(3, 5) and not SpanSet([(4, 4)]).overlaps(4, 6)
