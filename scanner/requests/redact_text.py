"""Removing the subject's values from text-like files: txt, json, xml, html, eml; CSV/TSV cells or rows.

Values are the subject's findings as detected afresh (surface forms); each
is replaced where it stands in the raw file, also in its HTML/XML-escaped
form. CSV/TSV rows holding a value can instead be removed whole.
"""
from __future__ import annotations

import csv
import io
import json
from html import escape

from connectors.extractors.encoding import guess_encoding

ERASED = "[erased]"


def decode(raw: bytes) -> tuple[str, str]:
    encoding = guess_encoding(raw[:64 * 1024]) or "utf-8"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return raw.decode("utf-8", "surrogateescape"), "utf-8"


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogateescape" if encoding == "utf-8" else "strict")


def surface_variants(values: set[str]) -> list[str]:
    """Each value and its escaped forms (HTML/XML, and JSON's `\\u00e9` as Python and most exporters
    write non-ASCII), longest first so a name inside an email is not cut first."""
    variants = set()
    for v in values:
        if v.strip():
            variants |= {v, escape(v, quote=False), escape(v, quote=True), v.replace("'", "&apos;"),
                         json.dumps(v)[1:-1], json.dumps(v, ensure_ascii=False)[1:-1]}
    return sorted(variants, key=lambda s: (-len(s), s))


def replace_values(text: str, values: set[str]) -> str:
    for variant in surface_variants(values):
        text = text.replace(variant, ERASED)
    return text


def redact_text(raw: bytes, values: set[str]) -> bytes:
    text, encoding = decode(raw)
    return encode(replace_values(text, values), encoding)


def remove_rows(raw: bytes, values: set[str], tab: bool) -> bytes:
    """CSV/TSV without the rows that hold any value (re-written in the file's own dialect)."""
    text, encoding = decode(raw)
    dialect = csv.excel_tab if tab else _sniff(text)
    out = io.StringIO()
    writer = csv.writer(out, dialect=dialect, lineterminator="\r\n" if "\r\n" in text else "\n")
    for row in csv.reader(io.StringIO(text, newline=""), dialect=dialect):
        if not any(v in cell for cell in row for v in values):
            writer.writerow(row)
    return encode(out.getvalue(), encoding)


def _sniff(text: str):
    try:
        return csv.Sniffer().sniff(text[:64 * 1024], delimiters=",;|\t")
    except csv.Error:
        return csv.excel
