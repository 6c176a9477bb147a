"""with_index_names (detectors/index_people.py) settles which spans give way by bisection (issue 16):
the same people as comparing every person with every added span, on random spans and on a long
generated list of names (the time it saves: benchmarks/detect_speed.py --long-list)."""

import random

from faker import Faker

from detectors import index_people
from detectors.model import Finding


def _pairwise(people, added):
    """The rule as first written: every person against every added span."""
    kept = [p for p in people if not any(a.start <= p.start and p.end <= a.end for a in added)]
    return kept + [a for a in added if not any(a.overlaps(p) and not (a.start <= p.start and p.end <= a.end)
                                               for p in kept)]


def _spans(rng, count, size, disjoint):
    spans, at = [], 0
    for _ in range(count):
        if disjoint:
            at += rng.randint(0, 6)
            start = at
        else:
            start = rng.randint(0, size)
        end = start + rng.randint(0 if not disjoint else 1, 12)
        at = end
        spans.append(Finding("PERSON", start, end, "x", 0.8, "r"))
    return spans


def test_the_people_kept_and_added_are_those_of_the_pairwise_rule():
    rng = random.Random(16)
    for _ in range(3000):
        people = _spans(rng, rng.randint(0, 12), 80, disjoint=False)
        added = _spans(rng, rng.randint(1, 6), 80, disjoint=True)   # added spans never overlap (a SpanSet)
        rng.shuffle(added)
        assert index_people._merged(people, added) == _pairwise(people, added)


def test_a_long_list_of_names_keeps_the_people_of_the_pairwise_rule(monkeypatch):
    """The real rules on 1,500 generated names in capitals, comma forms and plain: every merge
    answers as the pairwise rule does."""
    from detectors import DetectorSettings
    from detectors.detector import Detector
    fake = Faker("en_GB")
    Faker.seed(4)
    text = "\n".join(f"{fake.last_name().upper()}, {fake.first_name()}\n{fake.first_name()} {fake.last_name()}\n"
                     f"{fake.first_name().upper()} {fake.last_name().upper()}" for _ in range(500)) + "\n"
    checked = []
    real = index_people._merged

    def compared(people, added):
        assert real(people, added) == _pairwise(people, added)
        checked.append(len(added))
        return real(people, added)

    monkeypatch.setattr(index_people, "_merged", compared)
    assert any(f.recogniser == "NameIndex" for f in Detector(DetectorSettings(use_ner=False)).analyze(text))
    assert checked and sum(checked) > 500
