"""Phone numbers outside the UK plan: +CC forms, North American and European digit groups.

Digit groups alone are ambiguous (order numbers, dates, postcodes), so a bare
group scores below the bar and needs a context word such as "call" or "phone".
"""

import re

import phonenumbers
from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer

_EXT = r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?"


class IntlPhoneRecognizer(SpanPatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PREFILTER_GROUP = 1   # compiled with the others of group 1 (recognizers/base.py)
    PATTERNS = [
        Pattern(
            "international +cc",
            r"(?<![\w+])(?P<value>\+\d{1,3}[ \-.]?(?:\(0\)\s?)?\(?\d{1,5}\)?(?:[ \-.]?\d{1,5}){1,5}"
            + _EXT
            + r")(?![\w])",
            0.6,
        ),
        Pattern(
            "north american",
            r"(?<![\w\-.])(?P<value>(?:\+?1[ \-.]|001[ \-.])?(?:\(\d{3}\) ?|\d{3}[\-.])\d{3}[\-.]\d{4}"
            + _EXT
            + r")(?![\w\-.])",
            0.55,
        ),
        Pattern(
            "digit groups",
            r"(?<![\w\-.+/:])(?P<value>(?:\(\d{1,4}\) ?)?\d{2,5}(?:[ \-.]\d{2,5}){1,4}"
            + _EXT
            + r")(?![\w/:]|[\-.]\d)",
            0.3,
        ),
        Pattern("plain digits", r"(?<![\w\-.+/:])(?P<value>0?\d{9,10})(?![\w/:]|[\-.]\d)", 0.3),
    ]
    CONTEXT = [
        "phone",
        "telephone",
        "tel",
        "call",
        "mobile",
        "mob",
        "cell",
        "fax",
        "contact",
        "number",
        "reach",
        "dial",
        "text",
        "sms",
        "whatsapp",
        "registered",
        "message",
        "messages",
        "answering",
        "office",
        "desk",
        "landline",
        "extension",
    ]
    # Shapes that are something else: ISO and numeric dates, US SSNs, times.
    NOT_PHONE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{3}-\d{2}-\d{4}")

    def invalidate_result(self, pattern_text: str) -> bool:
        return self.NOT_PHONE.fullmatch(pattern_text) is not None

    def validate_result(self, pattern_text: str) -> bool:
        digits = sum(c.isdigit() for c in pattern_text.split("x")[0])
        if not 7 <= digits <= 15:
            return False
        if pattern_text.startswith("+"):
            try:
                return phonenumbers.is_possible_number(phonenumbers.parse(pattern_text, None))
            except phonenumbers.NumberParseException:
                return False
        return True
