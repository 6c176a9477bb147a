"""UK telephone numbers in every common written form, validated by phonenumbers."""
import phonenumbers
from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer

# +44 / 0044 / +44 (0) / (0...) / 0..., then 9-10 digits with spaces, dashes
# or a closing bracket between; not glued to other digits or letters.
_PREFIX = r"(?:(?:\+|\b00)\s?44\s?(?:\(0\)\s?)?|\(0|\b0)"
_BODY = r"[1-9](?:[ \-\)]{0,2}\d){8,9}"


class UkPhoneRecognizer(SpanPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS = [Pattern("uk phone", r"(?<![\w+])(?P<value>" + _PREFIX + _BODY + r")(?![\w])(?![ \-]?\d)", 0.6)]
    CONTEXT = ["tel", "telephone", "phone", "mob", "mobile", "call", "called", "fax", "contact", "landline",
               "ring", "number", "sms", "text"]

    def validate_result(self, pattern_text: str) -> bool:
        try:
            number = phonenumbers.parse(pattern_text, "GB")
        except phonenumbers.NumberParseException:
            return False
        return number.country_code == 44 and phonenumbers.is_valid_number(number)
