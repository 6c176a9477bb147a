"""Findings from structure a file gives for free: name columns, mail headers, vCard FN, phone
columns whose numbers a spreadsheet stored without their leading 0.

A field is duck-typed: `.label`, `.value`, `.start` (offset of the value in the
text, or -1). We never import connectors.
"""

import re
from email.utils import getaddresses
from functools import lru_cache
from typing import Iterable, List, Tuple

from detectors.email_address import bare_email
from detectors.model import Finding

RECOGNISER = "StructuredField"
FIELD_SCORE = 0.95
ADDRESS_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "sender", "delivered-to", "return-path", "resent-from",
                   "resent-sender", "resent-to", "resent-cc", "resent-bcc", "disposition-notification-to"}
_NAME_LABEL = re.compile(
    r"(^|[\s_\-.])(name|first ?name|given ?name|forename|fore ?names|surname|last ?name|family ?name|"
    r"full ?name|"
    r"contact|customer|client|patient|employee|person|fn|n|display ?name|attendee|recipient|sender|tenant|"
    r"applicant|member|owner|account ?holder)($|[\s_\-.])",
    re.IGNORECASE,
)
_NOT_A_NAME_LABEL = re.compile(
    r"(company|business|file|user ?name|host|server|product|street|town|city|"
    r"domain|org|account ?name|bank|id|number|no\b|email|phone|tel)",
    re.IGNORECASE,
)


def is_name_label(label: str) -> bool:
    label = label.strip()
    return bool(_NAME_LABEL.search(label)) and not _NOT_A_NAME_LABEL.search(label)


def _at(field, value: str, text: str) -> int:
    """Offset of `value` in the text: inside the field's own value when known."""
    if not isinstance(field.start, int) or field.start < 0:
        return -1
    inner = field.value.find(value)
    start = field.start + inner if inner >= 0 else -1
    # An offset that does not point at the value (a connector's slip) is not trusted.
    return start if start >= 0 and text[start : start + len(value)] == value else -1


def _finding(entity: str, value: str, start: int) -> Finding:
    end = start + len(value) if start >= 0 else -1
    return Finding(entity, start, end, value, FIELD_SCORE, RECOGNISER)


# Per process, bounded: a thread's messages carry the same From and To lines, and the stdlib's address
# parser was a third of the fields' cost (issue 16).
@lru_cache(maxsize=4096)
def _addresses(value: str) -> Tuple[Tuple[str, str], ...]:
    return tuple(getaddresses([value]))


def _header_findings(field, text: str) -> List[Finding]:
    results = []
    value = field.value.strip()
    if "@" not in value and "<" not in value:
        # A bare display name (connectors give the name and the address as separate fields):
        # getaddresses() would read it as an address.
        if any(c.isalpha() for c in value):
            results.append(_finding("PERSON", value, _at(field, value, text)))
        return results
    for display, address in _addresses(field.value):
        display = display.strip().strip('"').strip()
        if display and "@" not in display and any(c.isalpha() for c in display):
            results.append(_finding("PERSON", display, _at(field, display, text)))
        address = bare_email(address)
        if "@" in address:
            results.append(_finding("EMAIL_ADDRESS", address, _at(field, address, text)))
    return results


_DOB_LABEL = re.compile(
    r"^\s*(d\.?o\.?b\.?|date[\s_]*of[\s_]*birth|birth[\s_]*date|birthday|born)\s*$", re.IGNORECASE
)
_ORG_LABEL = re.compile(
    r"company|organi[sz]ation|employer|business|supplier|vendor|firm|practice|school|"
    r"street|address|town|city|county",
    re.IGNORECASE,
)


_PHONE_LABEL = re.compile(r"phone|mobile|\btel\b|\btel\.|telephone|\bcell\b|contact ?no|contact ?number|fax",
                          re.IGNORECASE)
# A UK number typed into a number cell: Excel drops the trunk 0 ("0113 496 0123" -> 1134960123), and
# a bare ten-digit number is no phone number to the recognisers. Under a phone column it is one.
_UK_NUMBER_WITHOUT_ZERO = re.compile(r"^[1-357-9]\d{9}$")


def not_person_spans(fields: Iterable) -> List[Tuple[int, int]]:
    """Spans of cells whose column says company, address... : no person is found inside them."""
    return [
        (f.start, f.start + len(f.value or ""))
        for f in fields or ()
        if isinstance(f.start, int)
        and f.start >= 0
        and _ORG_LABEL.search(f.label or "")
        and not is_name_label(f.label or "")
    ]


def field_findings(text: str, fields: Iterable) -> List[Finding]:
    results: List[Finding] = []
    for field in fields or ():
        label, value = (field.label or "").strip(), (field.value or "").strip()
        if not value:
            continue
        if label.lower() in ADDRESS_HEADERS:
            results.extend(_header_findings(field, text))
        elif _PHONE_LABEL.search(label) and _UK_NUMBER_WITHOUT_ZERO.match(value):
            results.append(_finding("PHONE_NUMBER", value, _at(field, value, text)))
        elif _DOB_LABEL.search(label) and any(c.isdigit() for c in value) and len(value) <= 40:
            results.append(_finding("DATE_OF_BIRTH", value, _at(field, value, text)))
        elif (
            is_name_label(label) and any(c.isalpha() for c in value) and "@" not in value and len(value) <= 80
        ):
            results.append(_finding("PERSON", value, _at(field, value, text)))
    return results
