"""The generated corpus of benchmarks/names.py: each file holds one person's name, written one way.

People come from many origins (Faker locales, accented names too); each
subject has two decoys, one sharing the given name and one the surname. A
file holds exactly one of them (plus an unrelated third party), so a returned
file is right or wrong as a whole. Nothing here is anyone's real data.
"""
from __future__ import annotations

import io
import itertools
import mailbox
import os
import random
import unicodedata
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage

from faker import Faker

LOCALES = ["en_GB", "yo_NG", "en_IN", "vi_VN", "pl_PL", "tr_TR", "cs_CZ", "hu_HU", "fr_FR", "de_DE", "es_ES",
           "sv_SE", "it_IT", "pt_BR", "ga_IE", "nl_NL", "fi_FI"]


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    middle: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss"})


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).translate(_FOLD)


def _key(word: str) -> str:
    return _plain(word).casefold()


def people(n: int, seed: int) -> tuple[list[Person], dict[int, list[Person]], list[Person]]:
    """(subjects, {subject index: [decoy sharing the given name, decoy sharing the surname]}, others)."""
    rng = random.Random(seed)
    fakers = []
    for i, loc in enumerate(LOCALES):
        f = Faker(loc)
        f.seed_instance(seed + i)
        fakers.append(f)
    firsts, lasts, used = [], [], set()
    while len(firsts) < n * 4:
        f = rng.choice(fakers)
        first, last = f.first_name().split()[0], f.last_name()
        if _key(first) in used or _key(last) in used or "." in last or len(_key(first)) < 3:
            continue
        used |= {_key(first), _key(last)}
        firsts.append(first)
        lasts.append(last)
    people_ = [Person(a, b, rng.choice(firsts)) for a, b in zip(firsts, lasts)]
    subjects, rest = people_[:n], people_[n:]
    decoys = {i: [Person(s.first, rest[2 * i].last, rest[2 * i].middle),
                  Person(rest[2 * i + 1].first, s.last, rest[2 * i + 1].middle)]
              for i, s in enumerate(subjects)}
    others = rest[2 * n:]
    return subjects, decoys, others


# How a name is written: (form name, function, fits a header or property).
FORMS = {
    "plain": (lambda p: p.full, True),
    "surname-comma": (lambda p: f"{p.last}, {p.first}", True),
    "caps-surname-comma": (lambda p: f"{p.last.upper()}, {p.first}", True),
    "all-caps": (lambda p: p.full.upper(), True),
    "middle-initial": (lambda p: f"{p.first} {p.middle[0]}. {p.last}", True),
    "middle-name": (lambda p: f"{p.first} {p.middle} {p.last}", True),
    "title": (lambda p: f"Mrs {p.first} {p.last}", True),
    "surname-first": (lambda p: f"{p.last.upper()} {p.first}", True),
    "no-accents": (lambda p: _plain(p.full), True),
    "comma-initial": (lambda p: f"{p.last}, {p.first} {p.middle[0]}.", True),
    "line-break": (lambda p: f"{p.first}\n{p.last}", False),
}


def _sentence(rng: random.Random, name: str, other: Person) -> str:
    lead = rng.choice(["Spoke to", "Letter received from", "Call note: rang", "Meeting with",
                       "Complaint raised by"])
    return (f"Reference 2024/{rng.randint(100, 999)}\n{lead} {name} about the renewal.\n"
            f"Copied to the account manager, {other.full}, for action.\n")


def _docx(body: str, author: str = "", change_author: str = "") -> bytes:
    import docx

    document = docx.Document()
    for line in body.splitlines():
        document.add_paragraph(line)
    document.core_properties.author = author or "Records Team"
    document.core_properties.last_modified_by = "Records Team"
    out = io.BytesIO()
    document.save(out)
    if not change_author:
        return out.getvalue()
    return _with_tracked_change(out.getvalue(), change_author)


def _with_tracked_change(data: bytes, author: str) -> bytes:
    from xml.sax.saxutils import quoteattr

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "word/document.xml":
                change = (f'<w:p><w:ins w:id="9" w:author={quoteattr(author)} w:date="2024-01-02T10:00:00Z">'
                          f'<w:r><w:t>Renewal agreed.</w:t></w:r></w:ins></w:p>').encode()
                raw = raw.replace(b"<w:sectPr", change + b"<w:sectPr", 1)
            dst.writestr(item, raw)
    return out.getvalue()


def _xlsx(rows: list[list[str]], creator: str = "") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.properties.creator = creator or "Records Team"
    book.properties.lastModifiedBy = "Records Team"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _odt(body: str, creator: str = "") -> bytes:
    from xml.sax.saxutils import escape

    paras = "".join(f"<text:p>{escape(line)}</text:p>" for line in body.splitlines())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{paras}</office:text></office:body></office:document-content>")
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"><office:meta>'
            f"<meta:initial-creator>{escape(creator or 'Records Team')}</meta:initial-creator>"
            f"<dc:creator>{escape(creator or 'Records Team')}</dc:creator></office:meta></office:document-meta>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _pdf(lines: list[str], author: str = "") -> bytes:
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
    from builders import pdf_document

    def literal(t: str) -> str:
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = " 0 -16 Td ".join(f"({literal(t if t.isascii() else _plain(t))}) Tj" for t in lines)
    info = b"<< /Author <FEFF" + (author or "Records Team").encode("utf-16-be").hex().upper().encode() + b"> >>"
    return pdf_document(f"BT /F1 12 Tf 72 720 Td {ops} ET".encode("latin-1"), [info], b" /Info 6 0 R")


def _message(rng: random.Random, headers: dict[str, str], body: str, subtype: str = "plain") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "Records Team <records@example.co.uk>")
    msg["To"] = headers.pop("To", "casework@example.co.uk")
    for key, value in headers.items():
        msg[key] = value
    msg["Subject"] = "Renewal"
    msg["Date"] = "Tue, 02 Jan 2024 10:00:00 +0000"
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@example.co.uk>"
    msg.set_content(body, subtype=subtype)
    return msg


def _address(rng: random.Random) -> str:
    return f"p{rng.getrandbits(32):x}@example.net"


def _display(name: str) -> str:
    return f'"{name}"' if "," in name else name


# Where a name is put: (carrier name, extension, needs a form fit for a header/property, builder).
def _carriers():
    def txt(rng, name, other):
        return _sentence(rng, name, other).encode("utf-8")

    def admin_form(rng, name, other):
        return (f"Requester: {name} <{_address(rng)}>\nCustomer ref: {rng.randint(1000, 9999)}\n"
                f"Handled by: {other.full}\n").encode("utf-8")

    def csv_cell(rng, name, other):
        return (f"ref,customer,agent\n{rng.randint(1000, 9999)},\"{name}\",{other.full}\n").encode("utf-8")

    def html_body(rng, name, other):
        marked = "</b> <b>".join(name.split(" ")) if "\n" not in name else name.replace("\n", "</p><p>")
        return (f"<html><body><table><tr><td>Customer</td><td><b>{marked}</b></td></tr>"
                f"<tr><td>Agent</td><td>{other.full}</td></tr></table></body></html>").encode("utf-8")

    def html_meta(rng, name, other):
        return (f'<html><head><meta charset="utf-8"><meta name="author" content="{name}">'
                f"<title>Renewal</title></head><body><p>Agent: {other.full}</p></body></html>").encode("utf-8")

    def xml_elements(rng, name, other, person=None):
        return (f"<customers><customer><forename>{person.first}</forename><surname>{person.last}</surname>"
                f"</customer><agent>{other.full}</agent></customers>").encode("utf-8")

    def docx_body(rng, name, other):
        return _docx(_sentence(rng, name, other))

    def docx_author(rng, name, other):
        return _docx(f"Agent: {other.full}\nRenewal notes.", author=name)

    def docx_change(rng, name, other):
        return _docx(f"Agent: {other.full}\nRenewal notes.", change_author=name)

    def xlsx_cell(rng, name, other):
        return _xlsx([["ref", "customer", "agent"], [str(rng.randint(1000, 9999)), name, other.full]])

    def xlsx_creator(rng, name, other):
        return _xlsx([["agent"], [other.full]], creator=name)

    def odt_body(rng, name, other):
        return _odt(_sentence(rng, name, other))

    def odt_creator(rng, name, other):
        return _odt(f"Agent: {other.full}", creator=name)

    def pdf_body(rng, name, other):
        return _pdf(_sentence(rng, name, other).splitlines())

    def pdf_author(rng, name, other):
        return _pdf([f"Agent: {other.full}"], author=name)

    def eml_from(rng, name, other):
        return bytes(_message(rng, {"From": f"{_display(name)} <{_address(rng)}>"}, f"Regards,\n{other.full}"))

    def eml_cc(rng, name, other):
        return bytes(_message(rng, {"Cc": f"{other.full} <{_address(rng)}>, {_display(name)} <{_address(rng)}>"},
                              "Please see below."))

    def eml_x_headers(rng, name, other):
        return bytes(_message(rng, {"From": _address(rng), "X-From": name, "X-To": other.full},
                              "Forwarded for action."))

    def eml_forwarded(rng, name, other):
        return bytes(_message(rng, {}, f"-----Original Message-----\nFrom: {other.full}\nTo: {name}; "
                                       f"{other.last}, {other.first}\nSubject: Renewal\n\nSee attached."))

    def eml_html_in_plain(rng, name, other):
        return bytes(_message(rng, {}, f"<p>Dear colleague,</p><p>&nbsp;{name}</p><p>{other.full}</p>"))

    def mbox_member(rng, name, other):
        return _sentence(rng, name, other)      # wrapped into an mbox by write_corpus

    return {
        "txt": ("txt", False, txt), "admin-form": ("txt", True, admin_form), "csv": ("csv", True, csv_cell),
        "html": ("html", False, html_body), "html-meta": ("html", True, html_meta),
        "xml": ("xml", True, xml_elements), "docx": ("docx", False, docx_body),
        "docx-author": ("docx", True, docx_author), "docx-change": ("docx", True, docx_change),
        "xlsx": ("xlsx", True, xlsx_cell), "xlsx-creator": ("xlsx", True, xlsx_creator),
        "odt": ("odt", False, odt_body), "odt-creator": ("odt", True, odt_creator),
        "pdf": ("pdf", False, pdf_body), "pdf-author": ("pdf", True, pdf_author),
        "eml-from": ("eml", True, eml_from), "eml-cc": ("eml", True, eml_cc),
        "eml-x-headers": ("eml", True, eml_x_headers), "eml-forwarded": ("eml", True, eml_forwarded),
        "eml-html-in-plain": ("eml", True, eml_html_in_plain), "mbox": ("mbox", False, mbox_member),
    }


CARRIERS = _carriers()


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
        return True
    except UnicodeEncodeError:
        return False


@dataclass(frozen=True)
class Planted:
    path: str
    owner: int          # the subject's index
    is_decoy: bool
    carrier: str
    form: str


def _write(path: str, data, ext: str) -> None:
    if ext == "mbox":
        box = mailbox.mbox(path)
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "records@example.co.uk", "casework@example.co.uk", "Note"
        msg.set_content(data)
        box.add(msg)
        box.close()
        return
    with open(path, "wb") as f:
        f.write(data)


def write_corpus(root: str, subjects: int, seed: int) -> tuple[list[Person], list[Planted]]:
    """Every carrier for every subject (forms taken in turn), decoys in four carriers each."""
    subjects_, decoys, others = people(subjects, seed)
    rng = random.Random(seed)
    planted, n = [], itertools.count()
    form_cycle = itertools.cycle(list(FORMS))
    for i, subject in enumerate(subjects_):
        for carrier, (ext, header, build) in CARRIERS.items():
            form = next(form_cycle)
            while header and not FORMS[form][1]:
                form = next(form_cycle)
            planted.append(_plant(root, next(n), rng, subject, i, False, carrier, form, others))
        for decoy in decoys[i]:
            for carrier in rng.sample(sorted(CARRIERS), 4):
                form = rng.choice([f for f, (_, fits) in FORMS.items() if fits or not CARRIERS[carrier][1]])
                planted.append(_plant(root, next(n), rng, decoy, i, True, carrier, form, others))
    return subjects_, planted


def _plant(root, n, rng, person: Person, owner: int, decoy: bool, carrier: str, form: str, others) -> Planted:
    ext, _, build = CARRIERS[carrier]
    name = FORMS[form][0](person)
    if ext == "pdf" and carrier == "pdf" and not _latin1(name):
        name = _plain(name)        # the test PDF's text layer is Latin-1 (its author property is Unicode)
    other = rng.choice(others)
    data = build(rng, name, other, person=person) if carrier == "xml" else build(rng, name, other)
    path = os.path.join(root, f"{n:05d}.{ext}")
    _write(path, data, ext)
    return Planted(path, owner, decoy, carrier, "elements" if carrier == "xml" else form)
