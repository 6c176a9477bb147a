"""UK postcodes: outward code of a valid shape, space optional, inward digit + two letters."""

from presidio_analyzer import Pattern

from detectors.checksums import postcode_valid
from detectors.recognizers.base import SpanPatternRecognizer


class UkPostalCodeRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_POSTCODE"
    FLAGS = 0  # postcodes are written in capitals; lower case is too often a word
    PATTERNS = [
        Pattern("uk postcode", r"\b(?P<value>[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", 0.6),
        Pattern(
            "uk postcode, lower case",
            r"(?i:postcode|post code)\W{0,3}(?P<value>[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2})\b",
            0.6,
        ),
    ]
    CONTEXT = ["postcode", "post code", "address", "postal"]

    def validate_result(self, pattern_text: str) -> bool:
        return postcode_valid(pattern_text)
