"""Builders for one synthetic person in every extracted format (faker en_GB), and sniffing checks.

Other tests/test_extract_*.py files import the builders from here. Each
builder returns the file's bytes, made with the real library for the format
(python-docx, openpyxl, python-pptx, odfpy) or written by hand where that is
the format's ordinary form (CSV, JSON, XML, HTML, RTF, vCard, PDF).
"""
from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass

import pytest
from faker import Faker

from builders import pdf_document, text_pdf
from connectors import Blob, Location
from connectors.sniff import sniff


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    phone: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def make_person(seed: int = 7) -> Person:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    first, last = fake.first_name(), fake.last_name()
    return Person(first, last, f"{first}.{last}@example.org".lower(), "07700 900" + f"{seed % 1000:03d}")


def build_csv(p: Person, sep: str = ",") -> bytes:
    rows = [["id", "full_name", "email", "mobile"], ["1", p.name, p.email, p.phone], ["2", "", "", ""]]
    return "".join(sep.join(r) + "\r\n" for r in rows).encode()


def build_json(p: Person) -> bytes:
    person = {"name": p.name, "contact": {"email": p.email, "phone": p.phone}}
    return json.dumps({"customers": [person]}).encode()


def build_xml(p: Person) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<people><person email="{p.email}">'
            f"<name>{p.name}</name><phone>{p.phone}</phone></person></people>\n").encode()


def build_html(p: Person) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>Staff</title><style>.x{{color:red}}</style>"
            f"<script>var secret='{p.last}Script';</script></head><body><h1>Contact</h1>"
            f"<p>{p.first} <b>{p.last}</b></p><p>Tel: {p.phone}</p>"
            f'<a href="mailto:{p.email}">email us</a></body></html>').encode()


def build_docx(p: Person) -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"Prepared for {p.last}"
    d.add_paragraph(f"Dear {p.name},")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = p.email
    table.rows[0].cells[1].text = p.phone
    _mailto_link(d.add_paragraph("Write to "), f"mailto:{p.first}@example.net", "our office")
    return _save(d)


def _mailto_link(paragraph, url: str, label: str) -> None:
    """A hyperlink whose address is only in the relationship part, as Word writes it."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = label
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def build_xlsx(p: Person) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Contacts"
    ws.append(["Name", "Email", "Phone"])
    ws.append([p.name, p.email, p.phone])
    return _save(wb)


def build_pptx(p: Person) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = f"Account manager: {p.name}"
    slide.placeholders[1].text = f"{p.email}\n{p.phone}"
    slide.notes_slide.notes_text_frame.text = "call back tomorrow"
    slide.shapes.add_textbox(Inches(1), Inches(5), Inches(4), Inches(1)).text_frame.text = "box"
    return _save(prs)


def build_odt(p: Person) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text=f"Patient: {p.name}"))
    doc.text.addElement(P(text=f"{p.email} {p.phone}"))
    return _save(doc)


def build_ods(p: Person) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="People")
    for row in (["Name", "Email", "Phone"], [p.name, p.email, p.phone]):
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    return _save(doc)


def build_rtf(p: Person) -> bytes:
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24 "
            f"Name: {p.name}\\par Email: {p.email}\\par Phone: {p.phone}\\par Caf\\'e9\\par}}").encode()


def build_vcard(p: Person) -> bytes:
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{p.last};{p.first};;;\r\nFN:{p.name}\r\nEMAIL;TYPE=work:{p.email}\r\n"
            f"TEL;TYPE=cell:{p.phone}\r\nEND:VCARD\r\n").encode()


def build_pdf(p: Person, encrypt: bool = False) -> bytes:
    """A one-page PDF with a real text layer; `encrypt`: one that needs a password to open."""
    if not encrypt:
        return text_pdf([p.name, p.email, p.phone])
    # Standard handler, RC4 40-bit, with a /U that no empty password produces: needs a password.
    file_id = b"<00112233445566778899aabbccddeeff>"
    return pdf_document(
        f"BT /F1 12 Tf 72 720 Td ({p.name}) Tj 0 -16 Td ({p.email}) Tj 0 -16 Td ({p.phone}) Tj ET".encode(),
        [b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>"],
        b" /Encrypt 6 0 R /ID [" + file_id + file_id + b"]")


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


BUILDERS = {
    "csv": build_csv, "json": build_json, "xml": build_xml, "html": build_html, "docx": build_docx,
    "xlsx": build_xlsx, "pptx": build_pptx, "odt": build_odt, "ods": build_ods, "pdf": build_pdf,
    "rtf": build_rtf, "vcard": build_vcard,
}
EXPECTED_MIME = {
    "csv": "text/csv", "json": "application/json", "xml": "text/xml", "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf", "rtf": "text/rtf", "vcard": "text/vcard",
}


def blob_of(data: bytes, name: str = "sample") -> Blob:
    return Blob(Location(f"/data/{name}"), len(data), data=data)


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_sniff_finds_each_format_from_content(fmt):
    data = BUILDERS[fmt](make_person())
    assert sniff(blob_of(data, "no-extension")) == EXPECTED_MIME[fmt]


@pytest.mark.parametrize("data, mime", [
    (b"name\temail\nJo\tjo@example.org\n", "text/tab-separated-values"),
    ("name,email\nJos\u00e9,jo@example.org\n".encode("utf-16-le"), "text/csv"),
    ("Dear Sir,\nThank you for your letter.\n".encode("utf-16-be"), "text/plain"),
    (b'[{"a": 1}, {"a": 2', "application/json"),
    (b"Dear Sir,\nI write to complain about the noise.\nYours\n", "text/plain"),
    (b"To: a@example.org, b@example.org\nCc: c@example.org, d@example.org\n\nHi\n", "text/plain"),
], ids=["tsv", "csv-utf16le", "text-utf16be", "json-cut", "prose", "headers"])
def test_sniff_text_refinements(data, mime):
    assert sniff(blob_of(data)) == mime


def test_binary_named_txt_gets_no_extractor():
    from connectors.extractors import extractor_for

    data = random.Random(3).randbytes(8192)
    blob = blob_of(data, "notes.txt")
    assert extractor_for(sniff(blob), blob) is None
