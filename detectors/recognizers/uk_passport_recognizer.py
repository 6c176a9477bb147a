"""UK passport numbers: nine digits (or two letters + seven digits), only next to the word passport."""

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer


class UkPassportNumberRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_PASSPORT"
    # Nine digits alone are anything; the label is part of the pattern.
    TRIGGER = r"passport"   # the label
    PATTERNS = [
        Pattern(
            "passport labelled",
            r"(?i:passport)(?:\s?(?:no\.?|number|num|#))?\W{0,4}(?P<value>(?:\d{9}|[A-Z]{2}\d{7}))(?!\w)",
            0.7,
        ),
    ]
    CONTEXT = ["passport", "travel document"]
