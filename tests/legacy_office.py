"""Builders for Word 97 .doc and Excel 97 .xls files, written by real, independent writers.

.doc: LibreOffice's "MS Word 97" export (Debian libreoffice-writer-nogui), from HTML the test
writes. AbiWord is no use here: its `--to=doc` writes RTF under a .doc name. .xls: xlwt, and
LibreOffice Calc (libreoffice-calc-nogui) for the cell notes and links xlwt cannot write.
Damaged and encrypted copies are made by rewriting one stream of a real file in place
(olefile keeps every other byte), so the compound file around it stays real.
"""
from __future__ import annotations

import datetime
import html
import os
import shutil
import struct
import subprocess

import olefile

from builders import Person

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = "LibreOffice (soffice; Debian libreoffice-writer-nogui), which writes the .doc files, is missing"
WELSH = "Siân Llewellyn, Tŷ Newydd"        # ŷ is not in cp1252: a real writer needs UTF-16 for it


def cv_html(person: Person, author: str) -> str:
    """A CV: the person in a paragraph, a table row, a hyperlink's text and the author property."""
    e = html.escape
    return f"""<html><head><meta charset="utf-8"><title>Curriculum vitae</title>
<meta name="author" content="{e(author)}"></head><body>
<p>Curriculum vitae. Home address: {e(person.address)}.</p>
<p>Referee: {e(WELSH)}.</p>
<table border="1"><tr><td>Name</td><td>Email</td><td>Phone</td></tr>
<tr><td>{e(person.name)}</td><td>{e(person.email)}</td><td>{e(person.phone)}</td></tr></table>
<p>Contact: <a href="mailto:{e(person.email)}">Email {e(person.name)} at home</a> any time.</p>
</body></html>"""


def long_html(lines: int) -> str:
    body = "".join(f"<p>Line {i} of a long minute book, kept for the record.</p>\n" for i in range(lines))
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def word97_documents(sources: dict[str, str], workdir) -> dict[str, bytes]:
    """{name: html} -> {name: .doc bytes}, converted by one headless LibreOffice run."""
    return libreoffice_convert(sources, "html", "doc:MS Word 97", workdir)


def libreoffice_convert(sources: dict[str, str], suffix: str, target: str, workdir) -> dict[str, bytes]:
    """{name: source text} -> {name: converted bytes}; a name missing from the result failed to convert."""
    src, out, profile = (os.path.join(workdir, d) for d in ("src", "out", "profile"))
    os.makedirs(src)
    paths = []
    for name, text in sources.items():
        paths.append(os.path.join(src, f"{name}.{suffix}"))
        with open(paths[-1], "w", encoding="utf-8") as f:
            f.write(text)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", out, *paths],
                   check=True, capture_output=True, timeout=300)
    result = {}
    for name in sources:
        path = os.path.join(out, f"{name}.{target.split(':')[0]}")
        if os.path.exists(path):
            with open(path, "rb") as f:
                result[name] = f.read()
    return result


def noted_fods(person: Person, note_author: str) -> str:
    """A flat ODF sheet with a cell note (comment) and a mailto: link behind other words."""
    e = html.escape
    cell = '<table:table-cell office:value-type="string">{}<text:p>{}</text:p></table:table-cell>'
    note = f"<office:annotation><dc:creator>{e(note_author)}</dc:creator><text:p>Rang on {e(person.phone)}" \
           "</text:p></office:annotation>"
    link = f'<text:a xlink:href="mailto:{e(person.email)}">email</text:a>'
    rows = [cell.format("", "Name") + cell.format("", "Contact"),
            cell.format(note, e(person.name)) + cell.format("", link)]
    body = "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="Calls">{body}</table:table>
</office:spreadsheet></office:body></office:document>"""


def payroll_xls(person: Person, start: datetime.date) -> bytes:
    """Two sheets: staff with name/email columns, a date and numbers; payroll keyed by email."""
    import io

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    staff = book.add_sheet("Staff")
    for col, label in enumerate(["Name", "Email", "Start date", "Salary", "Mobile"]):
        staff.write(0, col, label)
    staff.write(1, 0, person.name)
    staff.write(1, 1, person.email)
    staff.write(1, 2, start, xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    staff.write(1, 3, 28450.5)
    staff.write(1, 4, 7700900123)
    staff.write(2, 0, WELSH)
    pay = book.add_sheet("Payroll")
    pay.write(0, 0, "Employee email")
    pay.write(0, 1, "Postcode")
    pay.write(1, 0, person.email)
    pay.write(1, 1, person.postcode)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def long_xls(rows: int) -> bytes:
    import io

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Ledger")
    for r in range(rows):
        sheet.write(r, 0, f"entry {r}")
        sheet.write(r, 1, r * 1.25)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_stream(data: bytes, name: str, edit, tmp_path) -> bytes:
    """A copy of the compound file with stream `name` replaced by edit(stream) (same length)."""
    path = os.path.join(tmp_path, f"rewrite-{name}")
    with open(path, "wb") as f:
        f.write(data)
    with olefile.OleFileIO(path) as ole:
        stream = ole.openstream(name).read()
    new = edit(bytearray(stream))
    assert len(new) == len(stream)
    with olefile.OleFileIO(path, write_mode=True) as ole:
        ole.write_stream(name, bytes(new))
    with open(path, "rb") as f:
        return f.read()


def streams(data: bytes, *names: str) -> list[bytes]:
    with olefile.OleFileIO(data) as ole:
        return [ole.openstream(n).read() for n in names]


def set_doc_encrypted(word: bytearray) -> bytearray:
    word[0x0B] |= 0x01          # FibBase flags (offset 0x0A) bit 8: fEncrypted
    return word


def retype_xls_record(stream: bytearray, old: int, new: int) -> bytearray:
    """Give the first BIFF record `old` the type `new` (same length): e.g. WRITEACCESS -> FILEPASS."""
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == old:
            struct.pack_into("<H", stream, pos, new)
            return stream
        pos += 4 + size
    raise AssertionError(f"no record 0x{old:04x}")


def clx_pair_offset(word: bytes) -> int:
    """Where fcClx/lcbClx sit in this FIB (after the variable-length FibRgW and FibRgLw)."""
    csw = struct.unpack_from("<H", word, 0x20)[0]
    cslw = struct.unpack_from("<H", word, 0x22 + 2 * csw)[0]
    return 0x22 + 2 * csw + 2 + 4 * cslw + 2 + 8 * 33


def repiece(word: bytes, table: bytes, text: str, cuts: list[int]) -> tuple[bytes, bytes]:
    """The same document text re-laid as many pieces, as Word's fast save leaves it.

    Each run of `text` between `cuts` becomes a piece: cp1252 ("compressed") where every
    character fits, UTF-16LE otherwise; the runs are appended to the WordDocument stream in
    reverse order (file order is not text order), and a new CLX, with a property (Prc) entry
    before its piece table, is appended to the table stream and pointed at by the FIB.
    """
    bounds = [0, *sorted(set(cuts)), len(text)]
    runs = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    new_word = bytearray(word)
    fcs = {}
    for index in reversed(range(len(runs))):
        try:
            raw, fc = runs[index].encode("cp1252"), (len(new_word) * 2) | 0x40000000
        except UnicodeEncodeError:
            raw, fc = runs[index].encode("utf-16-le"), len(new_word)
        fcs[index] = fc
        new_word += raw
    cps, pos = [0], 0
    for run in runs:
        pos += len(run)
        cps.append(pos)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(struct.pack("<HIH", 0, fcs[i], 0)
                                                          for i in range(len(runs)))
    clx = b"\x01" + struct.pack("<h", 3) + b"\x00\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", new_word, clx_pair_offset(word), len(table), len(clx))
    return bytes(new_word), table + clx
