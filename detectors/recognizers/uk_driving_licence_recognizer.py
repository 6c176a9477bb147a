"""DVLA driving licence numbers (16 characters, encoded surname and date of birth)."""

from presidio_analyzer import Pattern

from detectors.checksums import driving_licence_valid
from detectors.recognizers.base import SpanPatternRecognizer


class UkDrivingLicenceNumberRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_DRIVING_LICENCE"
    PREFILTER_GROUP = 3   # compiled with the others of group 3 (recognizers/base.py)
    FLAGS = 0
    PATTERNS = [Pattern("dvla", r"\b(?P<value>[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z0-9]{2})(?: ?\d{2})?\b", 0.7)]
    CONTEXT = ["driving licence", "licence", "driver", "dvla"]

    def validate_result(self, pattern_text: str) -> bool:
        return driving_licence_valid(pattern_text)
