"""vCard (2.1, 3.0, 4.0): one `PROPERTY: value` line per property; Fields for FN, N, EMAIL, TEL.

N (`Family;Given;Additional;Prefix;Suffix`) is written `Given Additional Family`,
the form a name takes in prose.
"""
from __future__ import annotations

import quopri
import re
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import FieldSink, capped
from .encoding import guess_encoding

FIELD_PROPERTIES = {"FN", "N", "EMAIL", "TEL"}
_SKIP = {"BEGIN", "END", "VERSION", "PHOTO", "LOGO", "SOUND", "KEY", "PRODID", "UID", "REV"}
_ESCAPE = re.compile(r"\\([\\;,nN])")


def unfold(text: str) -> Iterator[str]:
    """Logical lines: a line starting with a space or tab continues the previous one (RFC 6350 3.2);
    a vCard 2.1 quoted-printable line ending in '=' continues on the next."""
    current = ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and current:
            current += line[1:]
        elif current.endswith("=") and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper():
            current += "\n" + line
        else:
            if current:
                yield current
            current = line
    if current:
        yield current


def _value(params: list[str], raw: str) -> str:
    upper = [p.upper() for p in params]
    if any("QUOTED-PRINTABLE" in p for p in upper):
        charset = next((p.split("=", 1)[1] for p in upper if p.startswith("CHARSET=")), "utf-8")
        raw_bytes = quopri.decodestring(raw.replace("=\n", "").encode("latin-1", errors="replace"))
        try:
            raw = raw_bytes.decode(charset.lower(), errors="replace")
        except LookupError:
            raw = raw_bytes.decode("utf-8", errors="replace")
    return raw


def _display(name: str, value: str) -> str:
    if name == "N":
        parts = [p.strip() for p in re.split(r"(?<!\\);", value)] + [""] * 5
        family, given, additional = parts[0], parts[1], parts[2]
        value = " ".join(p for p in (given, additional, family) if p)
    elif name in ("ADR", "ORG"):
        value = ", ".join(p.strip() for p in re.split(r"(?<!\\);", value) if p.strip())
    value = _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    return value.replace("\n", " ").strip()


def _lines(text: str, sink: FieldSink) -> Iterator[str]:
    offset = 0
    out: list[str] = []
    for line in unfold(text):
        if ":" not in line:
            continue
        key, raw = line.split(":", 1)
        params = key.split(";")
        name = params[0].split(".")[-1].upper()      # `item1.EMAIL` -> EMAIL
        if name in _SKIP or not raw.strip():
            continue
        value = _display(name, _value(params[1:], raw))
        if not value:
            continue
        prefix = f"{name}: "
        if name in FIELD_PROPERTIES:
            sink.add(name, value, offset + len(prefix))
        piece = f"{prefix}{value}\n"
        out.append(piece)
        offset += len(piece)
    yield "".join(out)


def extract_vcard(blob: Blob, ctx: ExploreContext) -> Extracted:
    data = blob.read_all(ctx.limits.max_text_bytes)
    text = data.decode(guess_encoding(data[:65536]), errors="replace")
    sink = FieldSink(ctx)
    chunks = list(capped(_lines(text, sink), ctx))
    return Extracted(chunks, sink.fields)
