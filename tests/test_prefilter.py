"""The pattern prefilter (detectors/prefilter.py) changes where Python's `re` looks, never what it finds
(issue 16): the same pattern findings with and without it, on generated mail-like text, the UK labelled
set, the presidio-research sentences and random near-misses, and every Python match ends where the
compiled scan says one can."""

import importlib.util
import json
import logging
import os
import random
import re
import threading
from pathlib import Path

import pytest
from faker import Faker
from presidio_analyzer import Pattern

from detectors import DetectorSettings, prefilter
from detectors.detector import Detector
from detectors.pattern_shape import shape_of
from detectors.prefilter_view import canonical
from detectors.recognizers import build_recognisers
from detectors.recognizers.base import SpanPatternRecognizer

ROOT = Path(__file__).resolve().parent.parent
needs_hyperscan = pytest.mark.skipif(prefilter.hyperscan is None,
                                     reason="hyperscan is not installed (no wheel for this platform)")

# Characters that make near-misses: digits, separators, letters of the identifier shapes, and characters
# Hyperscan would class differently from Python (Arabic-Indic digits, the Kelvin sign, which matches k
# without case, \x1c, which is whitespace to Python only).
NEAR = "0123456789" * 4 + " -./:()+#@=\n" * 2 + "ABCDEHJKLNPRSTWXYZ" + "abdenost" + "é٣\u212a\x1c\u00a0—"
LABELS = ["DOB: ", "date of birth ", "born on ", "Passport No. ", "sort code ", "NHS number ", "tel ",
          "postcode ", "IBAN ", "card ", "IP ", "email ", "account ", ""]


@pytest.fixture(scope="module")
def detectors():
    """A detector with the prefilter as it ships, one with every recogniser behind it (also those whose
    TRIGGER or NEEDS does the job already: their patterns span lines), and one searching every window."""
    as_shipped = Detector(DetectorSettings(use_ner=False))
    every = Detector(DetectorSettings(use_ner=False))
    for recogniser in every.recognisers:
        recogniser.PREFILTER = True
    every.prefilter = prefilter.Prefilter(every.recognisers)
    without = Detector(DetectorSettings(use_ner=False))
    without.prefilter = None
    return as_shipped, every, without


def _same_findings(detectors, texts):
    *prefiltered, without = detectors
    found = 0
    for text in texts:
        plain = without._pattern_findings(text)
        for detector in prefiltered:
            assert detector._pattern_findings(text) == plain, text
        found += len(plain)
    return found


def _mail_like(seed: int, count: int) -> list:
    """faker en_GB messages: a body, a signature with numbers and an address, a quoted earlier message."""
    fake, rnd = Faker("en_GB"), random.Random(seed)
    Faker.seed(seed)
    texts, previous = [], ""
    for _ in range(count):
        signature = (f"{fake.name()}\n{fake.job()}\nTel: {fake.phone_number()}  Mob: {fake.cellphone_number()}\n"
                     f"{fake.email()}\n{fake.street_address()}\n{fake.city()}\n{fake.postcode()}\n")
        body = "\n".join(fake.paragraph() for _ in range(rnd.randint(1, 3)))
        extras = [f"{rnd.choice(LABELS)}{value}" for value in
                  (fake.iban(), fake.credit_card_number(), fake.ipv4(), fake.ipv6(), fake.date(pattern="%d/%m/%Y"),
                   fake.ssn(), f"{rnd.randint(10, 99)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)} "
                   f"{rnd.randint(10000000, 99999999)}", fake.bban())]
        text = f"Dear {fake.first_name()},\n{body}\n{rnd.choice(extras)}\n\n{signature}"
        if previous:
            text += "\n-----Original Message-----\n" + "".join(f"> {line}\n" for line in previous.splitlines())
        texts.append(text)
        previous = text if rnd.random() < 0.6 else ""
    return texts


def _near_misses(seed: int, count: int) -> list:
    """Random runs of identifier characters, and real forms with one character changed."""
    rnd = random.Random(seed)
    forms = ["07700 900123", "+44 (0)20 7946 0123", "HU7 4QT", "QQ 12 34 56 C", "943 476 5919", "20-00-00 12345678",
             "GB82 WEST 1234 5698 7654 32", "4111 1111 1111 1111", "192.168.0.1", "jane.doe=\n@example.co.uk",
             "DOB 12/03/1980", "=3Djane@example.com", "MORGA753116SM9IJ", "Passport No. 123456789"]
    texts = []
    for _ in range(count):
        noise = "".join(rnd.choice(NEAR) for _ in range(rnd.randint(5, 120)))
        form = list(rnd.choice(forms))
        form[rnd.randrange(len(form))] = rnd.choice(NEAR)
        texts.append(f"{noise}\n{rnd.choice(LABELS)}{''.join(form)} {noise[::-1]}")
    return texts


def _load_benchmark_module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_hyperscan
def test_mail_like_text_and_near_misses_give_the_same_findings(detectors):
    assert detectors[0].prefilter is not None and all(db for db in detectors[1].prefilter._databases)
    assert _same_findings(detectors, _mail_like(seed=16, count=60)) > 300
    assert _same_findings(detectors, _near_misses(seed=5, count=800)) > 50


@needs_hyperscan
def test_the_uk_labelled_set_gives_the_same_findings(detectors):
    samples = _load_benchmark_module("uk_labelled").generate(300)
    assert _same_findings(detectors, [s["text"] for s in samples]) > 1000


@needs_hyperscan
def test_the_presidio_research_sentences_give_the_same_findings(detectors):
    found = [Path(p) for p in (os.environ.get("PRESIDIO_RESEARCH_SET", ""),
                               ROOT.parent / "shared/benchmarks/presidio-research/synth_dataset_v2.json",
                               "/work/shared/benchmarks/presidio-research/synth_dataset_v2.json") if p]
    path = next((p for p in found if p.is_file()), None)
    if path is None:
        pytest.skip("the presidio-research set is not in shared/")
    texts = [d["full_text"] for d in json.loads(path.read_text())]
    assert _same_findings(detectors, texts) > 300


@needs_hyperscan
def test_every_python_match_ends_where_the_scan_says_one_can():
    """The superset the construction rests on, pattern by pattern, on ASCII text (test_prefilter_unicode.py:
    on any text)."""
    recognisers = [r for r in build_recognisers(frozenset(), frozenset()) if hasattr(r, "prefilter_patterns")]
    for recogniser in recognisers:
        recogniser.PREFILTER = True
    scanner = prefilter.Prefilter(recognisers)
    ascii_near = "".join(c for c in NEAR if c.isascii() and c != "\x1c")
    rnd = random.Random(11)
    texts = _mail_like(seed=3, count=30) + ["".join(rnd.choice(ascii_near) for _ in range(400)) for _ in range(200)]
    checked = 0
    for text in texts:
        candidates = scanner.scan(text)
        for index, recogniser in enumerate(recognisers):
            where = candidates[index]
            for pattern, (regex, flags) in enumerate(recogniser.prefilter_patterns()):
                for match in re.finditer(regex, text, flags):
                    if match.end() > match.start():
                        assert match.end() in where._ends[pattern], (type(recogniser).__name__, regex, match)
                        checked += 1
    assert checked > 500


@needs_hyperscan
def test_hyperscan_reads_every_ascii_byte_as_python_does_but_x1c_to_x1f():
    """Python's str classes and Hyperscan's agree on every ASCII byte the prefilter hands over as itself;
    \\x1c-\\x1f (whitespace to Python only) are handed over as a class, as non-ASCII characters are."""
    import hyperscan

    for cls in (r"\s", r"\S", r"\w", r"\W", r"\d", r"\D", r".", r"[^a]", r"\bx", r"x\b"):
        for flags, hs_flags in ((0, 0), (re.IGNORECASE, hyperscan.HS_FLAG_CASELESS)):
            database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            database.compile(expressions=[cls.encode()], ids=[0], elements=1, flags=[hs_flags])
            for c in map(chr, range(128)):
                text = c + "x" if cls.startswith(r"\b") else "x" + c if cls.endswith(r"\b") else c
                hits = []
                database.scan(text.encode("latin-1"), match_event_handler=lambda *a: hits.append(a))
                if bool(hits) != bool(re.search(cls, text, flags)):
                    assert 0x1C <= ord(c) <= 0x1F, (cls, hex(ord(c)))
    assert canonical("a\u00e9\u212a\x1cb\u2019") == b"a\x81\x86\x1cb\xff"


def test_pattern_shapes():
    assert shape_of(r"\d{3}-\d{4}", 0).longest == 8
    assert shape_of(r"(?<![\w])\d+", 0).longest is None
    assert shape_of(r"\d(?![ \-]?\d)", 0).reach == 2
    assert shape_of(r"\d\b", 0).reach == 1   # a word boundary at the end reads one past it
    assert shape_of(r"\d(?=a(?=bc))", 0).reach == 3   # the inner look-ahead counted from the outer's end
    assert shape_of(r"\d(?=a+)", 0).reach is None
    assert shape_of(r"(?i:nhs)\d", 0).caseless is False and shape_of(r"x", re.IGNORECASE).caseless
    # What Hyperscan could read differently from a search of one window: refused, searched as before.
    for regex, flags in ((r"^\d+", 0), (r"\d+$", 0), (r"\d{,4}", 0), (r"é\d", 0), (r"\d", re.MULTILINE),
                         (r"(?s)\d.", 0), (r"(?s:.)\d", 0), (r"[\u0660-\u0669]", 0), (r"(", 0)):
        assert shape_of(regex, flags) is None, regex


class _TooWide(SpanPatternRecognizer):
    """A pattern Python takes and Hyperscan refuses even as a prefilter (a bounded repeat too large)."""

    ENTITY = "TEST_TOO_WIDE"
    PATTERNS = [Pattern("too wide", r"(?<!\d)(?P<value>9\d{8}\d{0,70000})(?!\d)", 0.5)]


@needs_hyperscan
def test_a_pattern_hyperscan_refuses_is_searched_as_before(caplog):
    prefilter._say_once.cache_clear()
    recognisers = build_recognisers(frozenset(), frozenset())[:2] + [_TooWide()]
    with caplog.at_level(logging.INFO, logger="detectors.prefilter"):
        scanner = prefilter.prefilter_for(recognisers)
        prefilter.prefilter_for(recognisers)
    candidates = scanner.scan("call 07700 900123 or 912345678 today")
    assert candidates[1] is not None and candidates[2] is None   # the others keep the prefilter
    assert sum("Bounded repeat" in r.message for r in caplog.records) == 1   # once a process, not per text


def test_without_hyperscan_the_detector_searches_every_window(monkeypatch, caplog):
    prefilter._say_once.cache_clear()
    monkeypatch.setattr(prefilter, "hyperscan", None)
    with caplog.at_level(logging.INFO, logger="detectors.prefilter"):
        detector = Detector(DetectorSettings(use_ner=False))
        Detector(DetectorSettings(use_ner=False))
    assert detector.prefilter is None
    assert len([r for r in caplog.records if "hyperscan is not installed" in r.message]) == 1   # once a process
    found = detector.analyze("Tel: 07700 900123, jane.doe@example.co.uk, HU7 4QT, DOB: 12/03/1980")
    assert {f.entity_type for f in found} >= {"PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE", "DATE_OF_BIRTH"}


@needs_hyperscan
def test_threads_scan_at_once(detectors):
    """Hyperscan's scratch space is per thread: two threads scanning at once each get their own."""
    texts = _mail_like(seed=8, count=40)
    expected = [detectors[-1]._pattern_findings(t) for t in texts]
    results, errors = {}, []

    def run(name):
        try:
            results[name] = [detectors[0]._pattern_findings(t) for t in texts]
        except Exception as error:   # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and all(found == expected for found in results.values())
