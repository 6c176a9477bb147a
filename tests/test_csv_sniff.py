"""CandidateSniffer gives csv.Sniffer's dialect (or its error) for every sample (issue 16)."""
from __future__ import annotations

import csv
import random

from connectors.extractors.csv_sniff import CandidateSniffer

DELIMITERS = ",;|\t"
PLAIN = ["Jane", "Smith", "07700 900123", "SW1A 1AA", "a b", "", " ", "1.5", ":", "-", "Ünal", "a  b", "\\"]
WITH_DELIMITERS = ["tab\tin", "pipe|in", "x,y", "semi;co", "a, b", "c; d"]
QUOTED = ['"q,uoted"', "'x;y'", '"multi\nline"']


def _sample(rng: random.Random) -> str:
    """Rows of random cells joined by one delimiter, some rows (a share drawn per sample, around
    the 0.9 consistency the Sniffer asks for) ragged, joined by another delimiter or holding one
    in a cell; blank lines, quotes and prose mixed in."""
    regular = rng.choice((1.0, 0.97, 0.93, 0.9, 0.87, 0.8, 0.6))
    quoted = rng.random() < 0.2              # quotes take the Sniffer's other path
    main = rng.choice(DELIMITERS + " :")
    width = rng.randint(1, 6)
    rows = []
    for _ in range(rng.randint(0, 45)):
        odd = rng.random() >= regular
        cells = [rng.choice(PLAIN + (QUOTED if quoted else []) + (WITH_DELIMITERS if odd else []))
                 for _ in range(max(1, width + (rng.choice((-1, 1)) if odd and rng.random() < 0.5 else 0)))]
        delim = rng.choice(DELIMITERS + " ") if odd and rng.random() < 0.3 else main
        row = "Dear Jane, thanks; see you | soon" if odd and rng.random() < 0.1 else delim.join(cells)
        rows.append("" if rng.random() < 0.05 else row)
    return rng.choice(("\n", "\r\n")).join(rows)


def _answer(sniffer: csv.Sniffer, sample: str):
    try:
        d = sniffer.sniff(sample, delimiters=DELIMITERS)
    except csv.Error as exc:
        return ("error", str(exc))
    return (d.delimiter, d.quotechar, d.doublequote, d.skipinitialspace, d.quoting, d.lineterminator)


def test_the_same_dialect_as_the_stdlib_on_random_samples():
    rng = random.Random(16)
    answers = set()
    for _ in range(1000):
        sample = _sample(rng)
        theirs = _answer(csv.Sniffer(), sample)
        assert _answer(CandidateSniffer(), sample) == theirs, sample
        answers.add(theirs[0])
    assert {",", ";", "|", "\t", "error"} <= answers     # every kind of answer was met


def test_the_same_dialect_on_samples_with_ties_and_a_preferred_delimiter():
    samples = ["a,b;c\nd,e;f\n", "a;b|c\nd;e|f\n", "a|b\tc\nd|e\tf", "x, y, z\n1, 2, 3\n", "one\ntwo\n", "",
               "a,b\n" * 30 + "a;b;c\n" * 5, "a;b\n" * 9 + "a,b,c,d\n" * 20, "a , b\n" * 3]
    for sample in samples:
        assert _answer(CandidateSniffer(), sample) == _answer(csv.Sniffer(), sample), sample
