"""The recogniser set: ours on by default, Presidio's US-only ones off by default.

`build_recognisers(enable, disable)` returns the active instances; a name in
`enable`/`disable` is a recogniser class name or an entity type (any case).
"""

from typing import FrozenSet, List

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    UrlRecognizer,
    UsBankRecognizer,
    UsItinRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

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

ON_BY_DEFAULT = (
    EmailAddressRecognizer,
    UkPhoneRecognizer,
    IntlPhoneRecognizer,
    UkPostalCodeRecognizer,
    UkNiNumberRecognizer,
    UkNhsNumberRecognizer,
    UkSortCodeRecognizer,
    IbanCodeRecognizer,
    PaymentCardRecognizer,
    IpAddressRecognizer,
    DateOfBirthRecognizer,
    UkPassportNumberRecognizer,
    UkDrivingLicenceNumberRecognizer,
)
# US-only formats and bare URLs raised thousands of false hits on UK text (issue 3).
OFF_BY_DEFAULT = (
    UsSsnRecognizer,
    UsBankRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsItinRecognizer,
    UrlRecognizer,
)


def _selected(cls, names: FrozenSet[str]) -> bool:
    entity = getattr(cls, "ENTITY", "") or _presidio_entity(cls)
    return cls.__name__.lower() in names or entity.lower() in names


def _presidio_entity(cls) -> str:
    return cls().supported_entities[0]


def build_recognisers(enable: FrozenSet[str], disable: FrozenSet[str]) -> List[EntityRecognizer]:
    enable = frozenset(n.lower() for n in enable)
    disable = frozenset(n.lower() for n in disable)
    chosen = [c for c in ON_BY_DEFAULT if not _selected(c, disable)]
    chosen += [c for c in OFF_BY_DEFAULT if _selected(c, enable) and not _selected(c, disable)]
    return [cls() for cls in chosen]


def all_recogniser_names() -> List[str]:
    return [c.__name__ for c in ON_BY_DEFAULT + OFF_BY_DEFAULT]
