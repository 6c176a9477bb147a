"""IBANs of any country (GB and the rest), mod-97 check."""

from presidio_analyzer import Pattern

from detectors.checksums import iban_valid
from detectors.recognizers.base import SpanPatternRecognizer


class IbanCodeRecognizer(SpanPatternRecognizer):
    ENTITY = "IBAN_CODE"
    PREFILTER_GROUP = 3   # compiled with the others of group 3 (recognizers/base.py)
    PATTERNS = [
        Pattern("iban", r"\b(?P<value>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", 0.8),
    ]
    CONTEXT = ["iban", "bank", "account", "transfer"]

    def validate_result(self, pattern_text: str) -> bool:
        return iban_valid(pattern_text)
