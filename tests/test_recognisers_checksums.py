"""Check-digit and format rules as pure functions: valid values, near-misses, failed checksums."""

import pytest

from detectors.checksums import (
    driving_licence_valid,
    iban_valid,
    luhn_valid,
    nhs_valid,
    nino_valid,
    postcode_valid,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("943 476 5919", True),  # NHS Digital's published example
        ("9434765919", True),
        ("401 023 2137", True),  # 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 92, 92 % 11 = 4, check 7
        ("943 476 5918", False),  # check digit off by one
        ("401 023 2136", False),
        ("0000000000", False),  # all one digit: never issued
        ("943 476 591", False),  # nine digits
        ("123 456 7890", False),  # weighted sum 210, remainder 1: check digit would be 10, never issued
    ],
)
def test_nhs_mod11(value, expected):
    assert nhs_valid(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("4111 1111 1111 1111", True),
        ("4111-1111-1111-1111", True),
        ("378282246310005", True),  # Amex test number
        ("4111 1111 1111 1112", False),
        ("1234 5678 9012 3456", False),
        ("41111111111", False),  # too short
    ],
)
def test_luhn(value, expected):
    assert luhn_valid(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("GB82 WEST 1234 5698 7654 32", True),  # ISO 13616 example
        ("gb82west12345698765432", True),
        ("DE89 3704 0044 0532 0130 00", True),
        ("GB83 WEST 1234 5698 7654 32", False),  # check digits wrong
        ("GB82 WEST 1234 5698 7654 33", False),
        ("GB82", False),
    ],
)
def test_iban_mod97(value, expected):
    assert iban_valid(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("AB 12 34 56 C", True),
        ("JG103759A", True),
        ("QQ123456C", False),  # Q never a first letter
        ("DA123456A", False),  # D never a first letter
        ("AO123456A", False),  # O never a second letter
        ("GB123456A", False),  # reserved prefix
        ("AB123456E", False),  # suffix only A-D
        ("AB12345C", False),  # five digits
    ],
)
def test_nino_prefix_rules(value, expected):
    assert nino_valid(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("HU13 0GD", True),
        ("hu130gd", True),
        ("SW1A 1AA", True),
        ("M1 1AE", True),
        ("GIR 0AA", True),
        ("EC1A 1BB", True),
        ("W1A 0AX", True),
        ("QU13 0GD", False),  # Q never first
        ("HU13 0CD", False),  # C never in the inward letters
        ("HU13 GD", False),
        ("12345", False),
    ],
)
def test_postcode_shape(value, expected):
    assert postcode_valid(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("MORGA657054SM9IJ", True),  # DVLA's example: decade 6, month 57 (July, female), day 05, year 4
        ("SMITH812155JA9AB", True),  # decade 8, month 12, day 15, year 5
    ],
)
def test_driving_licence_dates(value, expected):
    assert driving_licence_valid(value) is expected


@pytest.mark.parametrize(
    "value", ["MORGA613054SM9IJ", "MORGA657354SM9IJ", "MORGA65705SM9IJ", "MORGA600054SM9IJ"]
)
def test_driving_licence_bad_month_day_or_length(value):
    assert not driving_licence_valid(value)
