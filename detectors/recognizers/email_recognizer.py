"""Email addresses, by regex (no tldextract, so nothing touches the network)."""

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer


class EmailAddressRecognizer(SpanPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NEEDS = "@"
    PATTERNS = [
        Pattern(
            "email",
            r"(?<![\w.+\-])(?P<value>[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
            r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})\b",
            0.9,
        )
    ]
    CONTEXT = ["email", "e-mail", "mail", "address"]
