"""What an .xlsx says about other workbooks and people beyond its cells.

External links (`xl/externalLinks/*.xml`) cache the values the workbook last
read from the linked file, and name that file (often under a user's profile
path); DDE links name their topic and cache their items. openpyxl is told to
skip them (a DDE link has no relationship part, and openpyxl refused the whole
workbook for it), and they are read here. Sheet hyperlinks to mailto:/tel:
give the address behind "email me".
"""
from __future__ import annotations

import re
from typing import Iterator

from .office import iter_xml, release
from .zipguard import Package

S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_EXTERNAL = re.compile(r"xl/externalLinks/externalLink[^/]*\.xml$")
_EXTERNAL_RELS = re.compile(r"xl/externalLinks/_rels/[^/]+\.rels$")
_SHEET_RELS = re.compile(r"xl/worksheets/_rels/[^/]+\.rels$")
_TARGET = re.compile(r'Target="([^"]{1,2000})"')
_CONTACT = re.compile(r"^(?:mailto|tel):([^?]{1,320})", re.I)
_VALUES = {S + tag for tag in ("v", "val", "sheetName", "definedName", "ddeLink", "ddeItem", "oleLink")}
_ATTRIBUTES = ("val", "ddeTopic", "ddeService", "name", "progId", "refersTo")
_MAX_RELS_BYTES = 16 * 1024 * 1024


def link_text(pkg: Package) -> Iterator[str]:
    names = sorted(pkg.names())
    for part in (n for n in names if _EXTERNAL.match(n)):
        yield from _external_values(pkg, part)
    targets = [t for n in names if _EXTERNAL_RELS.match(n) or _SHEET_RELS.match(n) for t in _targets(pkg, n)]
    if targets:
        yield "\n".join(dict.fromkeys(targets)) + "\n"


def _external_values(pkg: Package, part: str) -> Iterator[str]:
    """Cached cell values, sheet and defined names, DDE topics and items: one per line."""
    lines = []
    with pkg.zip.open(part) as stream:
        for _event, el in iter_xml(stream, _VALUES):
            lines.extend(v for v in [el.text, *(el.get(a) for a in _ATTRIBUTES)] if v and v.strip())
            release(el)
    if lines:
        yield "\n".join(v.strip() for v in lines) + "\n"


def _targets(pkg: Package, part: str) -> list[str]:
    """The linked workbook's path, and the bare address of a mailto:/tel: hyperlink."""
    if pkg.zip.getinfo(part).file_size > _MAX_RELS_BYTES:
        return []
    rels = pkg.zip.read(part).decode("utf-8", errors="replace")
    out = []
    for target in _TARGET.findall(rels):
        contact = _CONTACT.match(target)
        if contact:
            out.append(contact.group(1))
        elif "externalLinks" in part:
            out.append(target.replace("%20", " "))
    return out
