"""A small share with the subject and another person in every editable format, plus a zip and a PDF.

Built from faker en_GB people at test time. `build_share(dir)` returns the
people and the paths, so tests know where each person must (not) be found.
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builders import Person, make_docx, make_eml, make_mbox, make_person, make_zip, text_pdf  # noqa: E402


def people() -> tuple[Person, Person]:
    """(subject, other): two distinct en_GB people."""
    subject, other = make_person(11), make_person(12)
    assert subject.email != other.email
    return subject, other


def line(p: Person) -> str:
    return f"{p.name} can be reached at {p.email}."


def build_share(root: Path) -> dict:
    s, o = people()
    root.mkdir(parents=True, exist_ok=True)
    both = f"Client record.\n\n{line(s)}\n\n{line(o)}\n"
    files = {
        "notes.txt": both.encode(),
        "clients.csv": f"Name,Email\n{s.name},{s.email}\n{o.name},{o.email}\n".encode(),
        "people.json": json.dumps([{"name": s.name, "email": s.email},
                                   {"name": o.name, "email": o.email}], indent=1).encode(),
        "people.xml": (f"<?xml version='1.0'?>\n<people><person><name>{s.name}</name><email>{s.email}</email>"
                       f"</person>\n<person><name>{o.name}</name><email>{o.email}</email></person></people>\n"
                       ).encode(),
        "page.html": f"<html><body><p>{line(s)}</p>\n<p>{line(o)}</p></body></html>\n".encode(),
        "letter.eml": make_eml(o, body=f"Dear {o.name},\nWe spoke about {s.name} ({s.email}).\n",
                               message_id="<letter.1@example.co.uk>"),
        "report.docx": make_docx(both),
        "sheet.xlsx": build_xlsx([("Name", "Email"), (s.name, s.email), (o.name, o.email)]),
        "minutes.odt": build_odt([line(s), line(o)]),
        "only-subject.txt": f"{line(s)}\n".encode(),
        "backup.zip": None,
        "statement.pdf": build_pdf([s.name, s.email]),
    }
    for name, data in files.items():
        if data is not None:
            (root / name).write_bytes(data)
    make_zip(root / "backup.zip", {"home/old-notes.txt": both.encode()})
    make_mbox(root / "mail.mbox", [
        make_eml(s, message_id="<to.subject@example.co.uk>"),
        make_eml(o, message_id="<to.other@example.co.uk>"),
    ])
    return dict(subject=s, other=o, root=root)


def build_xlsx(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_odt(paragraphs) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    for text in paragraphs:
        doc.text.addElement(P(text=text))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer."""
    return text_pdf(lines)


