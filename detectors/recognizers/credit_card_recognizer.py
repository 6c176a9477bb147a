"""Payment card numbers: 12-19 digits (optionally in groups), Luhn check."""

from presidio_analyzer import Pattern

from detectors.checksums import luhn_valid
from detectors.recognizers.base import SpanPatternRecognizer


class PaymentCardRecognizer(SpanPatternRecognizer):
    ENTITY = "CREDIT_CARD"
    PREFILTER_GROUP = 2   # compiled with the others of group 2 (recognizers/base.py)
    PATTERNS = [
        Pattern(
            "card grouped", r"(?<![\w\-])(?P<value>\d{4}([ \-])\d{4,6}\2\d{4,5}(?:\2\d{1,4})?)(?![\w\-])", 0.6
        ),
        Pattern("card plain", r"(?<![\w\-.])(?P<value>\d{12,19})(?![\w\-]|\.\d)", 0.5),
    ]
    CONTEXT = ["card", "credit", "debit", "visa", "mastercard", "amex", "cc", "payment", "pan", "expiry"]

    def validate_result(self, pattern_text: str) -> bool:
        return luhn_valid(pattern_text)
