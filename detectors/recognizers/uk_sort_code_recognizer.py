"""UK bank details: a sort code (nn-nn-nn) with an 8-digit account number near it."""

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer


class UkSortCodeRecognizer(SpanPatternRecognizer):
    ENTITY = "UK_SORT_CODE_ACCOUNT"
    TRIGGER = r"\d\d-\d\d-\d|sort\s?code"   # a dashed sort code or the label
    PATTERNS = [
        # sort code then account number, in either order, within a few words
        Pattern(
            "sort code + account",
            r"(?<![\w\-])(?P<value>\d{2}-\d{2}-\d{2}\W{1,4}(?:\w+\W{1,3}){0,4}?\d{8})(?!\w)",
            0.6,
        ),
        Pattern(
            "account + sort code",
            r"(?<![\w\-])(?P<value>\d{8}\W{1,4}(?:\w+\W{1,3}){0,4}?\d{2}-\d{2}-\d{2})(?![\w\-])",
            0.6,
        ),
        Pattern(
            "sort code labelled",
            r"(?i:sort\s?code)\W{0,4}(?P<value>\d{2}[\- ]?\d{2}[\- ]?\d{2})(?![\w\-])",
            0.6,
        ),
    ]
    CONTEXT = ["sort code", "account", "acc", "a/c", "bank", "account number", "bacs"]
