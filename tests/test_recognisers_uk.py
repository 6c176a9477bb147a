"""One parametrised table per recogniser: valid forms, near-misses and failed checksums, on raw text."""

import pytest

from detectors.recognizers.credit_card_recognizer import PaymentCardRecognizer
from detectors.recognizers.date_of_birth_recognizer import DateOfBirthRecognizer
from detectors.recognizers.email_recognizer import EmailAddressRecognizer
from detectors.recognizers.iban_recognizer import IbanCodeRecognizer
from detectors.recognizers.intl_phone_recognizer import IntlPhoneRecognizer
from detectors.recognizers.ip_recognizer import IpAddressRecognizer
from detectors.recognizers.uk_driving_licence_recognizer import UkDrivingLicenceNumberRecognizer
from detectors.recognizers.uk_nhs_recognizer import UkNhsNumberRecognizer
from detectors.recognizers.uk_nino_recognizer import UkNiNumberRecognizer
from detectors.recognizers.uk_passport_recognizer import UkPassportNumberRecognizer
from detectors.recognizers.uk_phone_recognizer import UkPhoneRecognizer
from detectors.recognizers.uk_postcode_recognizer import UkPostalCodeRecognizer
from detectors.recognizers.uk_sort_code_recognizer import UkSortCodeRecognizer

from detectors import Detector, DetectorSettings

CHEAP = Detector(DetectorSettings(use_ner=False))  # every default recogniser, context and overlaps, no spaCy


def found(recogniser, text):
    """What the Detector reports for this recogniser's entity type: context boost, overlaps and bar applied."""
    entity = recogniser.supported_entities[0]
    return [f.text for f in CHEAP.analyze(text) if f.entity_type == entity]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tel: 01482 420150", "01482 420150"),
        ("call (01482) 420150 today", "(01482) 420150"),
        ("+44 (0)1482 420 150", "+44 (0)1482 420 150"),
        ("+441482420150", "+441482420150"),
        ("0044 1482 420150", "0044 1482 420150"),
        ("mobile 07700 900123", "07700 900123"),
        ("freephone 0800 123 4567", "0800 123 4567"),
        ("London 020 7946 0018", "020 7946 0018"),
        ("01482-420-150", "01482-420-150"),
    ],
)
def test_uk_phone_forms(text, expected):
    assert found(UkPhoneRecognizer(), text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "dated 01/04/2024",
        "on 2024-04-01",
        "order 1482420150",
        "ref 014824",
        "ISBN 978-0-14-103614-4",
        "0148242015012345",
    ],
)
def test_uk_phone_near_misses(text):
    assert found(UkPhoneRecognizer(), text) == []


@pytest.mark.parametrize("text", ["+1 212 555 0100", "+33 1 42 68 53 00", "01482 4201"])
def test_uk_phone_recogniser_rejects_other_plans_and_short_numbers(text):
    assert UkPhoneRecognizer().find(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Phone: +1-984-182-0190", "+1-984-182-0190"),
        ("call 905-674-3793 now", "905-674-3793"),
        ("fax: +46 (0)8 928 571 38", "+46 (0)8 928 571 38"),
        ("phone 0490 75 40 81", "0490 75 40 81"),
    ],
)
def test_intl_phone_forms(text, expected):
    assert found(IntlPhoneRecognizer(), text) == [expected]


@pytest.mark.parametrize(
    "text", ["released 2024-04-16", "SSN 853-37-1694 phone", "total 1234 5678", "v2.15.17"]
)
def test_intl_phone_near_misses(text):
    assert found(IntlPhoneRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Postcode: HU13 0GD.", ["HU13 0GD"]),
        ("SW1A1AA", ["SW1A1AA"]),
        ("post code hu13 0gd", ["hu13 0gd"]),
        ("EC1A 1BB and M1 1AE", ["EC1A 1BB", "M1 1AE"]),
        ("QU13 0GD", []),
        ("HU13 0CD", []),
        ("hu13 0gd", ["hu13 0gd"]),        # issue 15: typed in lower case, a real area
        ("ABC123", []),
    ],
)
def test_postcode(text, expected):
    assert sorted(found(UkPostalCodeRecognizer(), text)) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NI number AB 12 34 56 C", ["AB 12 34 56 C"]),
        ("JG103759A", ["JG103759A"]),
        ("QQ123456C", []),
        ("GB123456A", []),
        ("AB123456E", []),
        ("AB1234567C", []),
    ],
)
def test_nino(text, expected):
    assert found(UkNiNumberRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NHS number 943 476 5919", ["943 476 5919"]),
        ("NHS no: 9434765919", ["9434765919"]),
        ("ref 943 476 5919", ["943 476 5919"]),  # 3-3-4 layout passes alone
        ("NHS number 943 476 5918", []),  # failed mod 11
        ("reference 9434765919", []),  # plain ten digits without NHS context stay below the bar
        ("943 476 59190", []),
    ],
)
def test_nhs(text, expected):
    assert found(UkNhsNumberRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sort code 12-34-56 account 12345678", ["12-34-56 account 12345678"]),
        ("Account 12345678, sort code 12-34-56", ["12345678, sort code 12-34-56"]),
        ("Sort code: 123456", ["123456"]),
        ("dated 12-34-56", []),
        ("sort of 12345678", []),
    ],
)
def test_sort_code(text, expected):
    assert found(UkSortCodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("IBAN GB82 WEST 1234 5698 7654 32", ["GB82 WEST 1234 5698 7654 32"]),
        ("GB82WEST12345698765432", ["GB82WEST12345698765432"]),
        ("GB83WEST12345698765432", []),
        ("GB82 WEST", []),
    ],
)
def test_iban(text, expected):
    assert found(IbanCodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("card 4111 1111 1111 1111", ["4111 1111 1111 1111"]),
        ("4111-1111-1111-1111", ["4111-1111-1111-1111"]),
        ("378282246310005", ["378282246310005"]),
        ("4111 1111 1111 1112", []),
        ("12345678901", []),
    ],
)
def test_card(text, expected):
    assert found(PaymentCardRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jane.Smith@Example.co.uk", ["Jane.Smith@Example.co.uk"]),
        ("<a.b+c@x-y.org>", ["a.b+c@x-y.org"]),
        ("jane@localhost", []),
        ("@example.com", []),
        ("jane.smith at example.co.uk", []),
    ],
)
def test_email(text, expected):
    assert found(EmailAddressRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("from 192.168.1.20", ["192.168.1.20"]),
        ("6e40:4041:c617:e898:c11:40d2:c669:2eb4", ["6e40:4041:c617:e898:c11:40d2:c669:2eb4"]),
        ("256.1.1.1", []),
        ("version 1.2.3.4.5", []),
        ("10:30:00", []),
    ],
)
def test_ip(text, expected):
    assert found(IpAddressRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB: 12/03/1980", ["12/03/1980"]),
        ("date of birth as 9 May 1980", ["9 May 1980"]),
        ("born on 3rd March 1975", ["3rd March 1975"]),
        ("D.O.B 1980-03-12", ["1980-03-12"]),
        ("meeting on 12/03/2024", []),
        ("born in Hull", []),
    ],
)
def test_date_of_birth(text, expected):
    assert found(DateOfBirthRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Passport number: 123456789", ["123456789"]),
        ("passport no. AB1234567", ["AB1234567"]),
        ("order 123456789", []),
        ("passport 12345678", []),
    ],
)
def test_passport(text, expected):
    assert found(UkPassportNumberRecognizer(), text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Licence MORGA657054SM9IJ", ["MORGA657054SM9IJ"]),
        ("SMITH812155JA9AB", ["SMITH812155JA9AB"]),
        ("MORGA613054SM9IJ", []),  # month 13
        ("MORGA657354SM9IJ", []),  # day 35
        ("morga657054sm9ij", []),
    ],
)
def test_driving_licence(text, expected):
    assert found(UkDrivingLicenceNumberRecognizer(), text) == expected
