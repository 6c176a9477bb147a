"""Removing the subject's values from office files: DOCX (python-docx), XLSX and ODT (their XML parts).

Each function takes the file's bytes and returns the new bytes; the caller
writes them atomically. A value split across formatting runs ("Jane" bold,
" Smith" plain) is replaced in the run where it begins; the following runs
lose only the value's characters and keep their formatting.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from .redact_text import ERASED, replace_values, surface_variants
from .refusal import Refused

_CORE_FIELDS = ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category")


def redact_docx(raw: bytes, values: set[str]) -> bytes:
    import docx

    document = docx.Document(io.BytesIO(raw))
    for paragraph in _docx_paragraphs(document):
        _redact_paragraph(paragraph, values)
    _redact_link_targets(document, values)
    props = document.core_properties
    for name in _CORE_FIELDS:
        value = getattr(props, name, None)
        if isinstance(value, str) and value:
            setattr(props, name, replace_values(value, values))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_paragraphs(document):
    def in_container(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from in_container(cell)
    yield from in_container(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            yield from in_container(part)


def _redact_link_targets(document, values: set[str]) -> None:
    """A hyperlink's target (`mailto:jane@…`) lives in its part's relationships, not in the text."""
    for part in document.part.package.iter_parts():
        for rel in part.rels.values():
            if rel.is_external and any(v in rel.target_ref for v in values):
                rel._target = replace_values(rel.target_ref, values)   # python-docx has no setter for it


def _redact_paragraph(paragraph, values: set[str]) -> None:
    if not any(v in paragraph.text for v in values):
        return
    from docx.text.run import Run

    # The runs in reading order, those inside hyperlinks too (`paragraph.runs` leaves them out).
    runs = [Run(r, paragraph) for r in paragraph._p.xpath("./w:r | ./w:hyperlink/w:r")]
    texts = [replace_values(run.text, values) for run in runs]          # values within one run
    for variant in surface_variants(values):                            # values across runs
        start = "".join(texts).find(variant)
        while start != -1:
            texts = _splice(texts, start, start + len(variant))
            start = "".join(texts).find(variant, start + len(ERASED))
    for run, text in zip(runs, texts):
        if run.text != text:
            run.text = text


def _splice(texts: list[str], start: int, end: int) -> list[str]:
    """The runs' texts with [start, end) of their concatenation replaced by ERASED, which goes in the
    run where the value began; the other runs lose only the characters of the value, and keep their
    formatting."""
    out, position, placed = [], 0, False
    for text in texts:
        first, last = position, position + len(text)
        position = last
        if last <= start or first >= end:
            out.append(text)
            continue
        head = text[:max(0, start - first)]
        tail = text[end - first:] if end < last else ""
        out.append(head + (ERASED if not placed else "") + tail)
        placed = True
    return out


def redact_xlsx(raw: bytes, values: set[str], remove_rows: bool = False) -> bytes:
    """Cells redacted in the package's XML (shared strings, inline strings, comments, document
    properties), every other part copied byte for byte: charts, images, pivots, macros stay. Removing
    whole rows goes through openpyxl, which drops what it cannot read back (charts, images): refused
    on such a workbook."""
    if not remove_rows:
        return _replace_in_package(raw, values, _is_xlsx_text_part)
    names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
    if any(n.startswith(_XLSX_OPENPYXL_LOSES) for n in names):
        raise Refused("the workbook has charts, images or pivot tables, which removing rows would lose: "
                      "use --rows redact, or remove the rows by hand")
    return _remove_xlsx_rows(raw, values)


def _remove_xlsx_rows(raw: bytes, values: set[str]) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw))
    for sheet in book.worksheets:
        doomed = [row[0].row for row in sheet.iter_rows()
                  if any(isinstance(c.value, str) and any(v in c.value for v in values) for c in row)]
        for index in reversed(doomed):
            sheet.delete_rows(index)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_XLSX_OPENPYXL_LOSES = ("xl/drawings/", "xl/charts/", "xl/media/", "xl/pivotTables/", "xl/pivotCache/",
                        "xl/embeddings/", "xl/vbaProject")


def _is_xlsx_text_part(name: str) -> bool:
    return (name in ("xl/sharedStrings.xml", "docProps/core.xml")
            or (name.startswith(("xl/worksheets/", "xl/comments", "xl/threadedComments/"))
                and name.endswith(".xml")))


def redact_odt(raw: bytes, values: set[str]) -> bytes:
    """Replace the values (XML-escaped) in the package's XML parts; everything else copied as is."""
    return _replace_in_package(raw, values, lambda name: name in ("content.xml", "styles.xml", "meta.xml"))


def _replace_in_package(raw: bytes, values: set[str], is_text_part) -> bytes:
    """A zip package with the values (XML-escaped) replaced in the parts `is_text_part` names; every
    other part, and every part's order and compression, as it was."""
    variants = set()
    for v in surface_variants(values):
        variants |= {escape(v), escape(v, {"'": "&apos;", '"': "&quot;"})}
    ordered = sorted(variants, key=lambda s: (-len(s), s))
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():      # ODF's `mimetype` stays first and stored
            data = source.read(info.filename)
            if is_text_part(info.filename):
                text = data.decode("utf-8")
                for variant in ordered:
                    text = text.replace(variant, ERASED)
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()
