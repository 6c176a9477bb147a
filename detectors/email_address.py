"""The bare address inside whatever wrapped it: quotes, brackets, `mailto:`, quoted-printable
leftovers, Exchange address paths.

Outlook-forwarded header lists write `'jane.doe@example.com'; 'john.roe@example.com'`;
undecoded quoted-printable leaves `=3Djane@…` and soft line breaks (`jane.do=\\ne@…`); an
Exchange recipient may be written `/o=ORG/ou=…/cn=Recipients/cn=jdoe@example.com`. Each must be
keyed as the address a `find --email` query gives, or the person is findable nowhere.
"""
from __future__ import annotations

import re

_SOFT_BREAK = re.compile(r"=\r?\n")
_WRAPPERS = "'\"`<>[](){}«»‘’“”,;: \t\r\n"
_MAILTO = re.compile(r"^(?:mailto|smtp|sip):", re.IGNORECASE)
_QP_EQUALS = re.compile(r"^(?:=3D)+", re.IGNORECASE)   # "=3D" is a QP-encoded "="


def bare_email(value: str) -> str:
    """`value` without wrappers, soft breaks or an address path before the local part."""
    value = _SOFT_BREAK.sub("", value).strip(_WRAPPERS)
    value = _MAILTO.sub("", value).strip(_WRAPPERS)
    if "@" not in value:
        return value
    local, domain = value.rsplit("@", 1)
    local = re.split(r"[/=]", _QP_EQUALS.sub("", local))[-1]   # "/cn=recipients/cn=jdoe" -> "jdoe"
    return f"{local.strip(_WRAPPERS)}@{domain.strip(_WRAPPERS)}"
