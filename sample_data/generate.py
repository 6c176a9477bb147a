#!/usr/bin/env python3
"""Generate sample_data/: a few synthetic people (faker en_GB, seeded), each in
every supported format, plus files with no personal data.

    python sample_data/generate.py          # rewrites sample_data/ beside this script

Everything here is synthetic. File names never hold personal data, so the
inventory built from this tree can be checked byte by byte for plaintext.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

from faker import Faker

SEED = 2026
HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_TIME = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    email: str
    phone: str
    postcode: str
    street: str
    town: str
    nino: str
    nhs: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def nhs_number(fake: Faker) -> str:
    while True:
        digits = [fake.random_int(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1))) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def uk_phone(fake: Faker, i: int) -> str:
    """Numbers from Ofcom's ranges for fiction where phonenumbers accepts them, and a mobile."""
    digits = "".join(str(fake.random_int(0, 9)) for _ in range(3))
    forms = [f"0113 496 0{digits}", f"020 7946 0{digits}", f"07911 12{digits}4", f"0161 496 0{digits}"]
    return forms[i % len(forms)]


def make_people(n: int = 3) -> list[Person]:
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    people = []
    for i in range(n):
        first, last = fake.first_name(), fake.last_name()
        people.append(Person(
            first, last, f"{first}.{last}@example-{i}.co.uk".lower(), uk_phone(fake, i),
            fake.postcode(), fake.street_address(), fake.city(),
            "".join(fake.random_element("ABCEGHJKLMNPRSTWXYZ") for _ in range(2)).replace("BG", "AB")
            + "".join(str(fake.random_int(0, 9)) for _ in range(6)) + fake.random_element("ABCD"),
            nhs_number(fake)))
    return people


def letter(p: Person) -> str:
    return (f"Dear {p.name},\n\nThank you for updating your details. We now hold:\n"
            f"Address: {p.street}, {p.town}, {p.postcode}\nTelephone: {p.phone}\nEmail: {p.email}\n"
            f"NI number: {p.nino}\nNHS number: {p.nhs[:3]} {p.nhs[3:6]} {p.nhs[6:]}\n\n"
            "Kind regards,\nCustomer Services\n")


# -- one writer per format ----------------------------------------------------

def write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def csv_bytes(people: list[Person], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    w.writerow(["Customer Name", "Email", "Phone", "Postcode", "Notes"])
    for p in people:
        w.writerow([p.name, p.email, p.phone, p.postcode, "renewal due"])
    return out.getvalue().encode()


def docx_bytes(text: str) -> bytes:
    import docx
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.core_properties.created = FIXED_TIME.replace(tzinfo=None)
    return _saved(d)


def xlsx_bytes(people: list[Person]) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Full Name", "Email", "Mobile", "Postcode"])
    for p in people:
        ws.append([p.name, p.email, p.phone, p.postcode])
    wb.properties.created = wb.properties.modified = FIXED_TIME.replace(tzinfo=None)
    return _saved(wb)


def pptx_bytes(text: str) -> bytes:
    from pptx import Presentation
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Account review"
    slide.placeholders[1].text = text
    return _saved(prs)


def odf_bytes(text: str, spreadsheet_rows: list[list[str]] | None = None) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    if spreadsheet_rows is None:
        doc = OpenDocumentText()
        for line in text.splitlines():
            doc.text.addElement(P(text=line))
    else:
        doc = OpenDocumentSpreadsheet()
        table = Table(name="Contacts")
        for row in spreadsheet_rows:
            tr = TableRow()
            for value in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    return _saved(doc)


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (no PDF library needed)."""
    esc = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in lines]
    stream = "BT /F1 11 Tf 72 760 Td " + " ".join(f"({ln}) Tj 0 -15 Td" for ln in esc) + " ET"
    data = zlib.compress(stream.encode("latin-1"))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def rtf_bytes(text: str) -> bytes:
    body = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("\n", "\\par\n")
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0\\fs22 " + body + "}").encode("cp1252")


def vcard_bytes(p: Person) -> bytes:
    return (f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{p.name}\r\nN:{p.last};{p.first};;;\r\n"
            f"EMAIL;TYPE=INTERNET:{p.email}\r\nTEL;TYPE=CELL:{p.phone}\r\n"
            f"ADR;TYPE=HOME:;;{p.street};{p.town};;{p.postcode};UK\r\nEND:VCARD\r\n").encode()


def eml_bytes(p: Person, n: int, attachments: dict[str, bytes] | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Customer Services <service@example-shop.co.uk>"
    msg["To"] = f"{p.name} <{p.email}>"
    msg["Subject"] = "Your account details"
    msg["Date"] = format_datetime(FIXED_TIME)
    msg["Message-ID"] = f"<sample-{n}@example-shop.co.uk>"
    msg.set_content(letter(p))
    for name, data in (attachments or {}).items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(msg)


def mbox_bytes(messages: list[bytes]) -> bytes:
    out = io.BytesIO()
    for raw in messages:
        out.write(b"From service@example-shop.co.uk Wed May  1 09:30:00 2024\n")
        for line in raw.replace(b"\r\n", b"\n").split(b"\n"):
            out.write((b">" + line if line.startswith(b"From ") else line) + b"\n")
        out.write(b"\n")
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 9, 30, 0)), data)
    return out.getvalue()


def tar_gz_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), int(FIXED_TIME.timestamp())
            t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def seven_zip_bytes(members: dict[str, bytes]) -> bytes:
    import py7zr
    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(data, name)
    return out.getvalue()


def _saved(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- the tree -------------------------------------------------------------------

def person_files(p: Person, n: int) -> dict[str, bytes]:
    text = letter(p)
    rows = [["Full Name", "Email", "Phone", "Postcode"], [p.name, p.email, p.phone, p.postcode]]
    return {
        "letter.txt": text.encode(),
        "letter-utf16.txt": text.encode("utf-16"),
        "letter-cp1252.txt": (text + "Balance: £12.50 — paid\n").encode("cp1252"),
        "contact.csv": csv_bytes([p]),
        "contact.tsv": csv_bytes([p], "\t"),
        "record.json": json.dumps({"customer": {"name": p.name, "email": p.email, "phone": p.phone,
                                                "postcode": p.postcode}}, indent=1).encode(),
        "record.xml": (f"<?xml version='1.0'?><customer><name>{p.name}</name><email>{p.email}</email>"
                       f"<phone>{p.phone}</phone><postcode>{p.postcode}</postcode></customer>\n").encode(),
        "page.html": (f"<html><head><title>Profile</title><style>p{{}}</style></head><body><h1>Profile</h1>"
                      f"<p>{p.name}</p><p>{p.email}</p><p>Tel: {p.phone}</p></body></html>\n").encode(),
        "letter.docx": docx_bytes(text),
        "contacts.xlsx": xlsx_bytes([p]),
        "review.pptx": pptx_bytes(text),
        "letter.odt": odf_bytes(text),
        "contacts.ods": odf_bytes("", rows),
        "letter.pdf": pdf_bytes(text.splitlines()),
        "letter.rtf": rtf_bytes(text),
        "card.vcf": vcard_bytes(p),
        "message.eml": eml_bytes(p, 100 + n, {"statement.docx": docx_bytes(text)}),
    }


def build(root: str) -> list[Person]:
    people = make_people()
    for sub in ("people", "crm", "mail", "backups", "no-personal-data"):
        shutil.rmtree(os.path.join(root, sub), ignore_errors=True)
    for n, p in enumerate(people, start=1):
        for name, data in person_files(p, n).items():
            write(os.path.join(root, "people", f"person-{n}", name), data)
    customers = csv_bytes(people)
    write(os.path.join(root, "crm", "customers.csv"), customers)
    mbox = mbox_bytes([eml_bytes(p, n, {"statement.docx": docx_bytes(letter(p))} if n == 1 else None)
                       for n, p in enumerate(people, start=1)])
    write(os.path.join(root, "mail", "export.mbox"), mbox)
    write(os.path.join(root, "backups", "2024-05.tar.gz"), tar_gz_bytes({
        "home/sales/clients.csv": customers, "mail/export.mbox": mbox,
        "home/sales/archive.zip": zip_bytes({"notes.txt": letter(people[0]).encode()})}))
    write(os.path.join(root, "backups", "old.zip"), zip_bytes({
        "inner.zip": zip_bytes({"notes.txt": letter(people[1]).encode()}), "crm/customers.csv": customers}))
    write(os.path.join(root, "backups", "letters.7z"), seven_zip_bytes({
        "letters/letter.txt": letter(people[2]).encode()}))
    write(os.path.join(root, "no-personal-data", "readme.txt"),
          b"This folder holds product notes with no personal data.\nRelease 4.2 ships in June.\n")
    write(os.path.join(root, "no-personal-data", "stock.csv"),
          b"sku,description,quantity\nA-100,Blue widget,12\nB-200,Red widget,7\n")
    write(os.path.join(root, "no-personal-data", "config.json"), b'{"retries": 3, "timeout_s": 30}\n')
    # The key to the sample, for tests: kept outside the scanned tree (faker's output changes between versions).
    with open(os.path.join(root, "..", "tests", "data", "sample_people.json"), "w") as f:
        json.dump([dict(vars(p), name=p.name) for p in people], f, indent=1)
    return people


if __name__ == "__main__":
    for person in build(HERE):
        print(f"{person.name}: {person.email}, {person.phone}")
