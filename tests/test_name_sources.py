"""Every place a name is stored is read: each mail header, each document property and annotation author.

One file per (format, place), each naming a different person there only; one scan of them all
(with --no-ner: the name index must not need NER), then `find --name` for each person.
"""
from __future__ import annotations

import io
import mailbox
import os
import zipfile
from email.message import EmailMessage

import pytest

from builders import pdf_document
from core_helpers import cli_json

HEADERS = ["From", "To", "Cc", "Bcc", "Reply-To", "Sender", "X-From", "X-To", "X-cc", "X-bcc", "Resent-From",
           "Resent-To", "Resent-Cc", "Disposition-Notification-To"]
PEOPLE = iter([
    "Funmilayo Oyelaran", "Tomasz Wierzba", "Eiko Nakashima", "Devika Rajagopalan", "Karl Brandstetter",
    "Siân Pritchard", "Ines Morand", "Grace Okafor", "Peter Lindqvist", "Margot Ellwood", "Ravi Anand",
    "Mathis Duval", "Neil Carver", "Åsa Lindgren", "Yusuf Adebayo", "Zofia Kowalczyk", "Hélène Marchetti",
    "Oluwaseun Bakare", "Bartholomew Quist", "Ingrid Solberg", "Kwabena Mensah", "Chiara Bellandi",
    "Jiří Dvořák", "Aoife Brennan", "Lorcan Dempsey", "Mei Tanaka", "Rashid Hamdan", "Priya Venkatesan",
    "Olamide Ogunleye", "Henrike Vosskamp", "Dragan Petrović", "Annika Holmqvist",
])


def _message(headers: dict[str, str], body: str = "Renewal notes.") -> bytes:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "records@example.co.uk")
    msg["To"] = headers.pop("To", "casework@example.co.uk")
    for key, value in headers.items():
        msg[key] = value
    msg["Subject"], msg["Message-ID"] = "Renewal", f"<{abs(hash(body + str(headers)))}@example.co.uk>"
    msg.set_content(body)
    return bytes(msg)


def _header_value(header: str, name: str) -> str:
    surname, first = name.split()[-1], name.split()[0]
    if header.startswith("X-"):
        return f"{surname.upper()}, {first} (E-mail)"        # as exporters write them: no address syntax
    return f'"{surname}, {first}" <someone@example.net>'


def _docx(author="Records Team", last="Records Team", comment_author="", change_author="", manager="") -> bytes:
    import docx

    document = docx.Document()
    para = document.add_paragraph("Renewal notes.")
    if comment_author:
        document.add_comment(para.runs, text="Checked.", author=comment_author, initials="X")
    document.core_properties.author, document.core_properties.last_modified_by = author, last
    out = io.BytesIO()
    document.save(out)
    return _patch(out.getvalue(), change_author, manager)


def _patch(data: bytes, change_author: str, manager: str) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "word/document.xml" and change_author:
                change = (f'<w:p><w:del w:id="9" w:author="{change_author}" w:date="2024-01-02T10:00:00Z">'
                          f'<w:r><w:delText>old</w:delText></w:r></w:del></w:p>').encode()
                raw = raw.replace(b"<w:sectPr", change + b"<w:sectPr", 1)
            if item.filename == "docProps/app.xml" and manager:
                raw = raw.replace(b"</Properties>", f"<Manager>{manager}</Manager></Properties>".encode())
            dst.writestr(item, raw)
    return out.getvalue()


def _xlsx(creator="Records Team", last="Records Team", comment_author="") -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    book = openpyxl.Workbook()
    book.active.append(["ref", "status"])
    book.active.append(["4411", "open"])
    if comment_author:
        book.active["B2"].comment = Comment("Chased.", comment_author)
    book.properties.creator, book.properties.lastModifiedBy = creator, last
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pptx(author: str) -> bytes:
    import pptx

    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "Renewals"
    deck.core_properties.author = author
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _odt(creator="Records Team", initial="Records Team", annotation="") -> bytes:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
    note = (f"<office:annotation><dc:creator>{annotation}</dc:creator><text:p>Checked.</text:p>"
            "</office:annotation>") if annotation else ""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>'
               f"<text:p>Renewal notes.{note}</text:p></office:text></office:body></office:document-content>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ns}><office:meta>'
            f"<meta:initial-creator>{initial}</meta:initial-creator><dc:creator>{creator}</dc:creator>"
            "</office:meta></office:document-meta>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("meta.xml", meta)
    return out.getvalue()


def _pdf_info(author: str) -> bytes:
    info = b"<< /Author <FEFF" + author.encode("utf-16-be").hex().upper().encode() + b"> >>"
    return pdf_document(b"BT /F1 12 Tf 72 720 Td (Renewal notes.) Tj ET", [info], b" /Info 6 0 R")


def _pdf_xmp(author: str) -> bytes:
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
           f"<rdf:li>{author}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>").encode()
    stream = b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream"
    data = pdf_document(b"BT /F1 12 Tf 72 720 Td (Renewal notes.) Tj ET", [stream])
    # the builder's catalog has no /Metadata: point it at object 6, same length, so the xref stays right
    return data.replace(b"<< /Type /Catalog /Pages 2 0 R >>", b"<</Type/Catalog/Pages 2 0 R/Metadata 6 0 R>>")


def _places() -> dict[str, tuple[str, bytes, str]]:
    """{place: (file name, bytes, person named there only)}"""
    places = {}
    for header in HEADERS:
        person = next(PEOPLE)
        places[f"eml {header}"] = ("h-" + header.lower() + ".eml", _message({header: _header_value(header, person)}),
                                   person)
    builders = {
        "docx author": ("docx", lambda p: _docx(author=p)),
        "docx last modified by": ("docx", lambda p: _docx(last=p)),
        "docx manager": ("docx", lambda p: _docx(manager=p)),
        "docx comment author": ("docx", lambda p: _docx(comment_author=p)),
        "docx tracked change author": ("docx", lambda p: _docx(change_author=p)),
        "xlsx creator": ("xlsx", lambda p: _xlsx(creator=p)),
        "xlsx last modified by": ("xlsx", lambda p: _xlsx(last=p)),
        "xlsx comment author": ("xlsx", lambda p: _xlsx(comment_author=p)),
        "pptx author": ("pptx", _pptx),
        "odt creator": ("odt", lambda p: _odt(creator=p)),
        "odt initial creator": ("odt", lambda p: _odt(initial=p)),
        "odt annotation author": ("odt", lambda p: _odt(annotation=p)),
        "pdf info author": ("pdf", _pdf_info),
        "pdf xmp creator": ("pdf", _pdf_xmp),
        "html meta author": ("html", lambda p: f'<html><head><meta charset="utf-8"><meta name="author" '
                                                f'content="{p}"></head><body><p>Renewal.</p></body></html>'.encode()),
        "eml html inside text/plain": ("eml", lambda p: _message({}, f"<p>Dear colleague,</p><p>&nbsp;{p}</p>")),
    }
    for place, (ext, build) in builders.items():
        person = next(PEOPLE)
        places[place] = (place.replace(" ", "-").replace("/", "-") + "." + ext, build(person), person)
    return places


PLACES = _places()
SAME_MESSAGE = "Ivo Andrić"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    root = tmp_path_factory.mktemp("name-sources")
    corpus = root / "files"
    corpus.mkdir()
    for name, data, _ in PLACES.values():
        (corpus / name).write_bytes(data)
    message = _message({"X-To": "ANDRIĆ, Ivo"}, "Forwarded.\n")
    (corpus / "same.eml").write_bytes(message)
    (corpus / "initial.txt").write_text("Signed for and on behalf: I. Andrić\n", encoding="utf-8")
    box = mailbox.mbox(str(corpus / "same.mbox"))
    box.add(message)
    box.close()
    inventory = str(root / "inventory")
    cli_json(["scan", str(corpus), "--inventory", inventory, "--no-ner", "--workers", "1", "--quiet",
              "--format", "json"])
    return corpus, inventory


def _found(inventory: str, name: str, *extra: str) -> list[dict]:
    return cli_json(["find", "--name", name, "--inventory", inventory, "--format", "json", *extra])


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_name_stored_there_is_found(scanned, place):
    corpus, inventory = scanned
    file_name, _, person = PLACES[place]
    found = {os.path.basename(r["path"]) for r in _found(inventory, person)}
    assert found == {file_name}, place


def test_the_same_message_as_eml_and_as_mbox_member_is_found_alike(scanned):
    corpus, inventory = scanned
    rows = _found(inventory, SAME_MESSAGE)
    assert {os.path.basename(r["path"]) for r in rows} == {"same.eml", "same.mbox"}
    assert len({tuple(r["matched"]) for r in rows}) == 1


def test_an_initial_is_found_only_by_a_loose_query_and_marked(scanned):
    _, inventory = scanned
    assert {os.path.basename(r["path"]) for r in _found(inventory, SAME_MESSAGE)} == {"same.eml", "same.mbox"}
    loose = {os.path.basename(r["path"]): r["matched"] for r in _found(inventory, SAME_MESSAGE, "--loose")}
    assert loose["initial.txt"] == ["name~initial"]
    assert loose["same.eml"] == ["name"]
