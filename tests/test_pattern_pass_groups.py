"""The pattern pass driven with fewer calls (issue 16): one Hyperscan scan per group of recognisers (same
view table and PREFILTER_GROUP) instead of one per recogniser, recognisers handing the Detector plain tuples, and a unit's findings keyed in one call. Each
must change nothing: the same pattern findings as the search without the prefilter, and the same rows."""

import logging
import random

import pytest
from faker import Faker
from presidio_analyzer import Pattern

from connectors.document import PageMark
from detectors import DetectorSettings, prefilter
from detectors.detector import Detector
from detectors.recognizers import build_recognisers
from detectors.recognizers.base import SpanPatternRecognizer
from scanner.findings import ContentFindings, value_keys
from scanner.keys import Keyer

needs_hyperscan = pytest.mark.skipif(prefilter.hyperscan is None,
                                     reason="hyperscan is not installed (no wheel for this platform)")


def _texts(seed: int, count: int) -> list:
    """faker en_GB lines with the labels and numbers the recognisers (and their triggers) look for."""
    fake, rnd = Faker("en_GB"), random.Random(seed)
    Faker.seed(seed)
    labels = ["DOB: ", "Passport No. ", "sort code ", "Tel: ", "IBAN ", "card ", "IP ", "NI number ", ""]
    values = [fake.phone_number, fake.postcode, fake.iban, fake.credit_card_number, fake.ipv4, fake.email,
              lambda: fake.date(pattern="%d/%m/%Y"), lambda: f"{rnd.randint(10, 99)}-{rnd.randint(10, 99)}-"
              f"{rnd.randint(10, 99)}", lambda: str(rnd.randint(100000000, 999999999))]
    return ["\n".join(f"{fake.sentence()} {rnd.choice(labels)}{rnd.choice(values)()}" for _ in range(rnd.randint(1, 6)))
            for _ in range(count)]


class _Refused(SpanPatternRecognizer):
    """A pattern Hyperscan will not compile (too wide a bounded repeat), so its group is refused."""

    ENTITY = "TEST_REFUSED"
    PATTERNS = [Pattern("too wide", r"(?<!\d)(?P<value>8\d{8}\d{0,70000})(?!\d)", 0.5)]


@needs_hyperscan
def test_one_scan_per_group_finds_what_every_window_search_finds():
    shipped = Detector(DetectorSettings(use_ner=False))
    groups = shipped.prefilter._groups
    assert len(groups) < sum(map(bool, shipped.prefilter._databases))   # fewer scans than recognisers
    assert all(len({part.table for part in group.parts}) == 1 for group in groups)
    without = Detector(DetectorSettings(use_ner=False))
    without.prefilter = None
    texts = _texts(seed=11, count=150)
    assert sum(len(without._pattern_findings(t)) for t in texts) > 300
    for text in texts:
        assert shipped._pattern_findings(text) == without._pattern_findings(text), text


@needs_hyperscan
def test_a_refused_group_falls_back_to_one_database_a_recogniser(caplog):
    prefilter._say_once.cache_clear()
    recognisers = build_recognisers(frozenset(), frozenset()) + [_Refused()]
    with caplog.at_level(logging.INFO, logger="detectors.prefilter"):
        fallback = prefilter.Prefilter(recognisers)
    assert sum("Bounded repeat" in r.message for r in caplog.records) == 1   # the refused one, said once
    assert all(len(group.parts) == 1 for group in fallback._groups)
    assert fallback._databases[-1] is None and sum(map(bool, fallback._databases)) == len(recognisers) - 5
    # The triggers still skip their recognisers in a text that cannot hold them, and only there.
    skipped = [i for i, found in enumerate(fallback.scan("call 07700 900123 today")) if found is prefilter.NOWHERE]
    triggered = [i for i, r in enumerate(recognisers) if getattr(r, "TRIGGER", None)]
    assert set(triggered) <= set(skipped)
    assert not set(triggered) & {i for i, found in enumerate(fallback.scan("Passport: DOB 12/03/1980 sort code 20-00-00"))
                                 if found is prefilter.NOWHERE}
    grouped = prefilter.Prefilter(recognisers[:-1])
    for text in _texts(seed=3, count=60):
        a, b = fallback.scan(text)[:-1], grouped.scan(text)
        assert [x is prefilter.NOWHERE for x in a] == [x is prefilter.NOWHERE for x in b], text
        assert [x.spans(0, len(text)) for x in a if x] == [x.spans(0, len(text)) for x in b if x], text


def test_a_recogniser_finds_the_same_as_tuples_and_as_presidio_results():
    for recogniser in build_recognisers(frozenset(), frozenset()):
        for text in _texts(seed=5, count=20):
            whole = [(0, len(text))]
            results = [(r.entity_type, r.start, r.end, r.score) for r in recogniser.find_in(text, whole)]
            assert results == [(recogniser.ENTITY, *found) for found in recogniser.found_in(text, whole)]
            assert sorted(results) == sorted((r.entity_type, r.start, r.end, r.score) for r in recogniser.find(text))


def test_a_unit_keyed_at_once_gives_the_rows_of_one_finding_at_a_time():
    detector = Detector(DetectorSettings(use_ner=False))
    keyer = Keyer(bytes(32))
    texts = _texts(seed=7, count=30)
    units = [(0, 0, texts[0]), (len(texts[0]) - 40, 40, texts[1]), (-1, 0, "jane.doe@example.co.uk.txt"),
             (5000, 20, "Tel 07700 900123\nTel 07700 900456\n")]   # the first number lies in the overlap
    units += [(1000 * i, 25, text) for i, text in enumerate(texts[2:], 2)]
    units += [(700 * i, 0, text) for i, text in enumerate(texts[2:12], 2)]   # the same values again, some earlier
    pages = [PageMark(0, 1, False, "page 1", ""), PageMark(3000, 2, True, "page 2", "")]
    one, many = ContentFindings(pages=pages), ContentFindings(pages=pages)
    for offset, skip, text in units:
        findings = detector.analyze(text)
        many.add_unit(keyer, findings, offset, skip)
        for f in findings:   # what scanner/analysis.py did before add_unit
            if not 0 <= f.end <= skip:
                one.add(keyer, f.entity_type, f.text, f.score, offset + f.start if offset >= 0 and f.start >= 0 else -1)
    rows = one.rows("hash", "detector")
    assert len(rows) > 50 and any(r["count"] > 1 for r in rows) and any(r["ocr"] for r in rows)
    assert many.rows("hash", "detector") == rows
    keys = {r["value_key"] for r in rows}
    assert not keys & {key for _, _, key in value_keys(keyer, "PHONE_NUMBER", "07700 900123")}
    assert {key for _, _, key in value_keys(keyer, "PHONE_NUMBER", "07700 900456")} <= keys
