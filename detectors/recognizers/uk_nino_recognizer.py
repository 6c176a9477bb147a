"""National Insurance numbers: two prefix letters (HMRC rules), six digits, suffix A-D."""

from presidio_analyzer import Pattern

from detectors.checksums import nino_valid
from detectors.recognizers.base import SpanPatternRecognizer


class UkNiNumberRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_NINO"
    PREFILTER_GROUP = 2   # compiled with the others of group 2 (recognizers/base.py)
    PATTERNS = [Pattern("nino", r"\b(?P<value>[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b", 0.7)]
    CONTEXT = ["ni", "nino", "national insurance", "ni number", "ni no", "insurance number"]

    def validate_result(self, pattern_text: str) -> bool:
        return nino_valid(pattern_text)
