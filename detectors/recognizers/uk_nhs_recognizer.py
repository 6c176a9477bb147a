"""NHS numbers: ten digits (3-3-4), mod-11 check digit."""

from presidio_analyzer import Pattern

from detectors.checksums import nhs_valid
from detectors.recognizers.base import SpanPatternRecognizer


class UkNhsNumberRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_NHS"
    PREFILTER_GROUP = 1   # compiled with the others of group 1 (recognizers/base.py)
    # One random ten-digit number in eleven passes mod 11, so without the
    # usual 3-3-4 layout or a context word the score stays below the bar.
    PATTERNS = [
        Pattern("nhs 3-3-4", r"(?<![\w+\-])(?P<value>\d{3}([ \-])\d{3}\2\d{4})(?![\w\-])(?! \d)", 0.5),
        Pattern("nhs plain", r"(?<![\w+\-])(?P<value>\d{10})(?![\w\-])", 0.35),
        # Labelled: "NHS number is 015 177 0336" beats the phone reading of the same digits.
        Pattern(
            "nhs labelled",
            r"(?i:\bnhs)(?:\s*(?:no\.?|number|num|#))?(?:\s*is)?\s*:?\s*"
            r"(?P<value>\d{3}([ \-]?)\d{3}\2\d{4})(?![\w\-])(?! \d)",
            0.9,
        ),
    ]
    CONTEXT = ["nhs", "nhs no", "nhs number", "national health service", "patient", "chi"]

    def validate_result(self, pattern_text: str) -> bool:
        return nhs_valid(pattern_text)
