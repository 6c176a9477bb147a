"""UK postcodes: outward code of a valid shape, space optional, inward digit + two letters.

Capitals are the written form; lower or mixed case (`hu7 4qt`, `Hu7 4Qt`, as typed into CRMs
and letters) is a postcode too when it keeps the space and its area is a real postcode area
(lower case without the space is too often an identifier), or when it follows "postcode".
"""

from presidio_analyzer import Pattern

from detectors.checksums import postcode_typed_valid, postcode_valid
from detectors.recognizers.base import SpanPatternRecognizer


class UkPostalCodeRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_POSTCODE"
    PREFILTER_GROUP = 2   # compiled with the others of group 2 (recognizers/base.py)
    FLAGS = 0  # capitals are matched as written; other cases only through the (?i:) patterns
    PATTERNS = [
        Pattern("uk postcode", r"\b(?P<value>[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\b", 0.6),
        Pattern("uk postcode, any case, spaced", r"(?i:\b(?P<value>[a-z]{1,2}[0-9][a-z0-9]? [0-9][a-z]{2})\b)",
                0.6),
        Pattern(
            "uk postcode, lower case",
            r"(?i:postcode|post code)\W{0,3}(?P<value>(?i:[a-z]{1,2}[0-9][a-z0-9]? ?[0-9][a-z]{2}))\b",
            0.6,
        ),
    ]
    CONTEXT = ["postcode", "post code", "address", "postal"]

    def validate_result(self, pattern_text: str) -> bool:
        if pattern_text.isupper():
            return postcode_valid(pattern_text)
        return postcode_typed_valid(pattern_text)
