"""UK telephone numbers in every common written form, validated by phonenumbers."""

import phonenumbers
from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer

# +44 / 0044 / +44 (0) / (0...) / 0..., then 9-10 digits with spaces, dashes
# or a closing bracket between; not glued to other digits or letters.
_PREFIX = r"(?:(?:\+|\b00)\s?44\s?(?:\(0\)\s?)?|\(0|\b0)"
_UK_LEADING_DIGITS = "1235789"
_BODY = r"[1-9](?:[ \-\)]{0,2}\d){8,9}"


class UkPhoneRecognizer(SpanPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        Pattern("uk phone", r"(?<![\w+])(?P<value>" + _PREFIX + _BODY + r")(?![\w])(?![ \-]?\d)", 0.6)
    ]
    CONTEXT = [
        "tel",
        "telephone",
        "phone",
        "mob",
        "mobile",
        "call",
        "called",
        "fax",
        "contact",
        "landline",
        "ring",
        "number",
        "sms",
        "text",
    ]

    # In an allocated range per phonenumbers' metadata: the pattern's score.
    # Right length but unallocated (Ofcom drama ranges, ranges newer than the
    # metadata): a little less, still above the default bar.
    POSSIBLE_SCORE = 0.55

    def validate_result(self, pattern_text: str) -> bool:
        number = self._parse(pattern_text)
        return number is not None and phonenumbers.is_possible_number(number)

    def _score(self, value: str, score: float) -> float:
        if not self.validate_result(value):
            return 0.0
        return score if phonenumbers.is_valid_number(self._parse(value)) else self.POSSIBLE_SCORE

    @staticmethod
    def _parse(text: str):
        try:
            number = phonenumbers.parse(text, "GB")
        except phonenumbers.NumberParseException:
            return None
        # 04 and 06 are unused in the UK plan; phonenumbers' length check alone would let them by.
        if number.country_code != 44 or str(number.national_number)[:1] not in _UK_LEADING_DIGITS:
            return None
        return number
