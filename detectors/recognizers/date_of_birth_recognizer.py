"""Dates of birth: a date written next to "DOB", "date of birth", "born" and the like."""

from presidio_analyzer import Pattern

from detectors.recognizers.base import SpanPatternRecognizer

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s" + _MONTH + r",?\s\d{4}"
    r"|" + _MONTH + r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4})"
)
_LABEL = r"(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)"


class DateOfBirthRecognizer(SpanPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    # "DOB: 12/03/1980", "date of birth as 9 May 1980", "born on the 3rd March 1975"
    _FILLER = r"(?:(?:is|was|as|on|the|of|recorded|given|shown|:)\s+){0,3}"
    TRIGGER = r"d\.?o\.?b|date|birth|born"   # every label holds one of these
    PATTERNS = [
        Pattern(
            "dob labelled", r"\b" + _LABEL + r"\W{0,4}" + _FILLER + r"(?P<value>" + _DATE + r")(?!\w)", 0.8
        )
    ]
    CONTEXT = ["dob", "date of birth", "born", "birthday"]
