"""connectors.extractors.xlsx_book gives openpyxl.load_workbook's values (or its error) for every workbook shape,
and reads the shapes it covers without building openpyxl's Workbook."""
from __future__ import annotations

import warnings

import pytest

openpyxl = pytest.importorskip("openpyxl")

import connectors.extractors.xlsx_book as xlsx_book  # noqa: E402
from xlsx_variants import VARIANTS, read_values  # noqa: E402

# The shapes the light reader hands to openpyxl itself: a chartsheet is a sheet kind it does not hold;
# a damaged part makes it fail, and openpyxl's own error is then the answer.
HANDED_ON = {"chartsheet", "broken styles.xml", "bad core properties"}


def _openpyxl(stream):
    return openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)


@pytest.fixture
def handed_on(monkeypatch):
    calls = []
    real = xlsx_book.load_workbook
    monkeypatch.setattr(xlsx_book, "load_workbook", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_values_are_openpyxls(name, handed_on):
    xlsx = VARIANTS[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # openpyxl warns about the damaged and odd shapes
        expected = read_values(_openpyxl, xlsx)
        handed_on.clear()
        assert read_values(xlsx_book.open_book, xlsx) == expected
    assert bool(handed_on) == (name in HANDED_ON)


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date")    # the variant's out-of-range serial
def test_styles_are_read_once_per_distinct_part(monkeypatch):
    applied = []
    real = xlsx_book.apply_stylesheet
    monkeypatch.setattr(xlsx_book, "apply_stylesheet", lambda archive, wb: applied.append(1) or real(archive, wb))
    monkeypatch.setattr(xlsx_book, "_STYLES", xlsx_book._StyleDates())
    first, second = VARIANTS["dates"](), VARIANTS["dates, 1904 epoch"]()
    for xlsx in (first, second, first):
        assert read_values(xlsx_book.open_book, xlsx) == read_values(_openpyxl, xlsx)
    assert len(applied) == 1     # both were written by one application with the same styles.xml
