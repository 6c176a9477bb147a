"""The text of an unstructured or date header without building its header object, where that text
is known to be the same (issue 16).

`str(msg[name])` for the default policy builds a header object: the header value parser walks the
value token by token (0.05-0.2 ms a value), and a thread's Subject and Date values are new in nearly
every message (1,440 Subjects and 720 Dates of 2,839 messages in the scale-6 mail corpus). What the
object's text is, for the values taken here (email.headerregistry as in CPython 3.11; the tests
compare every answer with the running stdlib's):
- unstructured headers (Subject, X-*): the value parser cuts the value into runs of blanks and of
  other characters, each kept as written, and decodes RFC 2047 encoded words; so a value without
  `=?` reads as written. Surrogates (undecodable 8-bit bytes) become U+FFFD: only ASCII values here.
- date headers: an empty value reads '', one parsedate_to_datetime refuses (ValueError) reads as
  written, any other reads as format_datetime of its date.
Every other header and value: None, and the caller builds the header object as before.

`mime_view` does the same for Content-Type and Content-Disposition, whose values are new in every
multipart (its boundary). Message's MIME methods (get_content_type, get_boundary, get_filename,
get_param...) read only the header's text, so they answer the same on a compat32 Message holding
that text. For a value of plain tokens and quoted strings (`multipart/mixed; boundary="==_x"`) the
text is the type as written, then, where there are parameters, `;` and each parameter name's
first value re-written as ` name="value"`, joined by `;` (MimeParameters.__str__; a value read
as written, without its quotes). A comment, an escape, `=?`, `*` or `'` (RFC 2231), a missing
quote, or anything else: None.

`plain_addresses` gives an address header's (display name, address) pairs, as its header object's
`addresses` give them, for a list of plain mailboxes: `jane@example.org` or `Jane Smith
<jane@example.org>`, names and addresses of RFC 5322 atoms (less `?`, so no encoded word) and
dot-atoms, blanks between. The parser reads a name as its atoms joined by one space and an address
as written; a quoted name, a comment, a name with a dot, a group or an empty entry: None.
tests/test_plain_headers.py compares the answers with the header objects'.
"""
from __future__ import annotations

import email.utils
import re
from email import headerregistry
from email.message import Message
from email.policy import EmailPolicy, compat32, linesep_splitter

_UNSTRUCTURED = (headerregistry.UnstructuredHeader, headerregistry.UniqueUnstructuredHeader)
_DATES = (headerregistry.DateHeader, headerregistry.UniqueDateHeader)
_TOKEN = r"[A-Za-z0-9._+-]+"
_PARAMETERS = rf'(?:;[ \t]*{_TOKEN}=(?:{_TOKEN}|"[A-Za-z0-9 ._+=/:,;-]+"))*[ \t]*'
_PLAIN_MIME = (re.compile(rf"({_TOKEN}/{_TOKEN}){_PARAMETERS}"), re.compile(rf"({_TOKEN}){_PARAMETERS}"))
_PARAMETER = re.compile(rf';[ \t]*({_TOKEN})=(?:({_TOKEN})|"([^"]*)")')
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=^_`{|}~-]+"
_ADDR_SPEC = rf"{_ATEXT}(?:\.{_ATEXT})*@{_ATEXT}(?:\.{_ATEXT})*"
_MAILBOX = re.compile(rf"[ \t]*(?:({_ATEXT}(?:[ \t]+{_ATEXT})*)[ \t]*<({_ADDR_SPEC})>|({_ADDR_SPEC}))[ \t]*")
_ADDRESS_CLASSES = (headerregistry.AddressHeader, headerregistry.UniqueAddressHeader,
                    headerregistry.SingleAddressHeader, headerregistry.UniqueSingleAddressHeader)
_MIME_CLASSES = {"content-type": headerregistry.ContentTypeHeader,
                 "content-disposition": headerregistry.ContentDispositionHeader}


def plain_text(registry: headerregistry.HeaderRegistry, name: str, raw: str) -> str | None:
    """str(policy.header_fetch_parse(name, raw)) for a policy with this header registry, or None
    where that needs the header object. `raw` is the value as the parser stored it."""
    value = "".join(linesep_splitter.split(raw))      # as header_fetch_parse unfolds it
    if not value.isascii():
        return None
    kind = registry.registry.get(name.lower(), registry.default_class)
    if kind in _UNSTRUCTURED:
        return None if "=?" in value else value
    if kind in _DATES:
        return _date_text(value)
    return None


def _date_text(value: str) -> str | None:
    if not value:
        return ""
    try:
        date = email.utils.parsedate_to_datetime(value)
    except ValueError:
        return value
    except Exception:   # what the header object would fail on: the caller builds it and says so
        return None
    try:
        return email.utils.format_datetime(date)
    except Exception:
        return None


def reads_mime_headers_plainly(policy) -> bool:
    """Does `policy` give Content-Type and Content-Disposition the stdlib's header classes, fetched
    as EmailPolicy fetches them (policy.default and its clones with a HeaderRegistry)?"""
    registry = getattr(policy, "header_factory", None)
    return isinstance(policy, EmailPolicy) \
        and type(policy).header_fetch_parse is EmailPolicy.header_fetch_parse \
        and isinstance(registry, headerregistry.HeaderRegistry) \
        and all(registry.registry.get(name) is kind for name, kind in _MIME_CLASSES.items())


def mime_view(content_type: str | None, disposition: str | None, default_type: str) -> Message | None:
    """A compat32 Message whose MIME methods answer as a part's with these stored Content-Type and
    Content-Disposition values (None: absent) and default type, under a policy
    reads_mime_headers_plainly accepts; None where a value is not plain (module docstring)."""
    view = Message(policy=compat32)
    view.set_default_type(default_type)
    for name, raw, plain in (("Content-Type", content_type, _PLAIN_MIME[0]),
                             ("Content-Disposition", disposition, _PLAIN_MIME[1])):
        if raw is None:
            continue
        value = "".join(linesep_splitter.split(raw))
        match = plain.fullmatch(value)
        if match is None:
            return None
        view._headers.append((name, _mime_text(value, match.group(1))))
    return view


def _mime_text(value: str, kind: str) -> str:
    """The header object's text for a value _PLAIN_MIME matched; `kind` is its type as written."""
    first: dict[str, str] = {}
    for parameter in _PARAMETER.finditer(value, len(kind)):
        first.setdefault(parameter.group(1), parameter.group(2) or parameter.group(3))
    if not first:
        return value
    return kind + "; " + "; ".join(f'{name}="{text}"' for name, text in first.items())


def plain_addresses(registry: headerregistry.HeaderRegistry, name: str,
                    raw: str) -> list[tuple[str, str]] | None:
    """[(a.display_name, a.addr_spec) for a in policy.header_fetch_parse(name, raw).addresses] for a
    policy with this header registry, where the value is a list of plain mailboxes; else None."""
    if registry.registry.get(name.lower(), registry.default_class) not in _ADDRESS_CLASSES:
        return None
    value = "".join(linesep_splitter.split(raw))
    if not value.isascii():
        return None
    pairs = []
    for entry in value.split(","):      # no comma can stand in a plain mailbox
        mailbox = _MAILBOX.fullmatch(entry)
        if mailbox is None:
            return None
        phrase, angled, bare = mailbox.groups()
        pairs.append((" ".join(phrase.split()), angled) if phrase else ("", bare))
    return pairs
