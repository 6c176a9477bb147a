"""Files written by real writers for the format-class tests and benchmarks/conformance.py.

LibreOffice (headless) writes the office formats from flat ODF sources this
module writes (one soffice run per target filter); msoffcrypto-tool encrypts
OOXML; qpdf encrypts PDFs; Info-ZIP `zip` and Python's zipfile write zips.
Strict OOXML has no writer here (LibreOffice 7.4 reads it but writes
Transitional), so it is made from LibreOffice's Transitional output by
swapping the namespaces as Excel's Strict writer names them.
"""
from __future__ import annotations

import html
import re
import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
QPDF = shutil.which("qpdf")
INFOZIP = shutil.which("zip")
NO_SOFFICE = "LibreOffice (soffice; Debian libreoffice-*-nogui) is missing"
NO_QPDF = "qpdf (Debian qpdf), which encrypts the PDFs, is missing"


@dataclass(frozen=True)
class Marks:
    """What must come out of every file: names in the body, a comment, a list and an address."""
    name: str = "Jane Quillfeather"
    email: str = "jane.quillfeather@example.com"
    commenter: str = "Rupert Annotator"
    comment: str = "Check with Mabel Commentwright first"
    listed: str = "Cyril Listmore"
    linked: str = "oswin.tate@example.org"


MARKS = Marks()
_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
       'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
       'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
       'office:version="1.2"')


def fodt(m: Marks = MARKS) -> str:
    """A text document: a paragraph, a comment with its author, a list, a mailto link."""
    e = html.escape
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:p>Contact {e(m.name)} at {e(m.email)} or 07700 900123.<office:annotation><dc:creator>{e(m.commenter)}</dc:creator>
<dc:date>2024-01-01T10:00:00</dc:date><text:p>{e(m.comment)}</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>First item Brenda Hollow</text:p></text:list-item>
<text:list-item><text:p>Second item {e(m.listed)}</text:p></text:list-item></text:list>
<text:p><text:a xlink:href="mailto:{e(m.linked)}">write to Oswin Tate</text:a></text:p>
</office:text></office:body></office:document>"""


def fods(m: Marks = MARKS) -> str:
    """A sheet with a header row, the person, and a hyperlinked address (columns wide enough that a
    PDF export draws every character)."""
    e = html.escape
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles><style:style style:name="wide" style:family="table-column">
<style:table-column-properties style:column-width="9cm"/></style:style></office:automatic-styles><office:body>
<office:spreadsheet><table:table table:name="People">
<table:table-column table:style-name="wide" table:number-columns-repeated="3"/>
<table:table-row>{cell.format("Name")}{cell.format("Email")}{cell.format("Web")}</table:table-row>
<table:table-row>{cell.format(e(m.name))}{cell.format(e(m.email))}
<table:table-cell office:value-type="string"><text:p><text:a xlink:href="mailto:{e(m.linked)}">{e(m.listed)}</text:a>
</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document>"""


def fodp(m: Marks = MARKS) -> str:
    """A deck: the person on a slide, a second name in the speaker notes."""
    e = html.escape
    frame = ('<draw:frame svg:x="1cm" svg:y="1cm" svg:width="20cm" svg:height="5cm"><draw:text-box>'
             '<text:p>{}</text:p></draw:text-box></draw:frame>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {_NS} office:mimetype="application/vnd.oasis.opendocument.presentation"><office:body>
<office:presentation><draw:page draw:name="p1">{frame.format(f"Contact {e(m.name)} at {e(m.email)}")}
<presentation:notes>{frame.format(f"Speaker notes: ask {e(m.listed)}")}</presentation:notes>
</draw:page></office:presentation></office:body></office:document>"""


SOURCES = {"fodt": fodt, "fods": fods, "fodp": fodp}
# What the format-class tests need, written once per session (tests/conftest.py: lo_written).
TEST_JOBS = {
    "text-docx": ("fodt", "docx:MS Word 2007 XML"),
    "text-odt": ("fodt", "odt"),
    "text-rtf": ("fodt", "rtf"),
    "text-pdf": ("fodt", "pdf"),
    "sheet-xlsx": ("fods", "xlsx:Calc MS Excel 2007 XML"),
    "sheet-xls": ("fods", "xls:MS Excel 97"),
    "deck-pptx": ("fodp", "pptx:Impress MS PowerPoint 2007 XML"),
    "deck-odp": ("fodp", "odp"),
}


def libreoffice(jobs: dict[str, tuple[str, str]], workdir) -> dict[str, bytes]:
    """{name: (source kind, "ext:Filter")} -> {name: bytes}, one soffice run per target filter.

    A name missing from the result was not written (its filter failed)."""
    by_target: dict[tuple[str, str], list[str]] = {}
    for name, (kind, target) in jobs.items():
        by_target.setdefault((kind, target), []).append(name)
    out: dict[str, bytes] = {}
    for n, ((kind, target), names) in enumerate(sorted(by_target.items())):
        src = os.path.join(workdir, f"src-{n}")
        dst = os.path.join(workdir, f"out-{n}")
        os.makedirs(src)
        paths = []
        for name in names:
            paths.append(os.path.join(src, f"{name}.{kind}"))
            with open(paths[-1], "w", encoding="utf-8") as f:
                f.write(SOURCES[kind]())
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{os.path.join(workdir, 'profile')}",
                        "--headless", "--norestore", "--convert-to", target, "--outdir", dst, *paths],
                       capture_output=True, timeout=300, check=False)
        ext = target.split(":")[0]
        for name in names:
            path = os.path.join(dst, f"{name}.{ext}")
            if os.path.exists(path):
                with open(path, "rb") as f:
                    out[name] = f.read()
    return out


_STRICT = (
    (b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/presentationml/2006/main", b"http://purl.oclc.org/ooxml/presentationml/main"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
)


def strict_ooxml(transitional: bytes) -> bytes:
    """The Strict spelling of a Transitional package: the namespaces Excel's Strict writer uses."""
    return rewrite_parts(transitional, lambda name, data: _swap(data, _STRICT))


def _swap(data: bytes, pairs) -> bytes:
    for old, new in pairs:
        data = data.replace(old, new)
    return data


def rewrite_parts(package: bytes, edit, extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a zip package with each part passed through edit(name, data), plus extra parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def ooxml_encrypted(package: bytes, password: str) -> bytes:
    """An OOXML package encrypted (agile, AES) by msoffcrypto-tool, as Office does on save."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(package)).encrypt(password, out)
    return out.getvalue()


def odf_encrypted(package: bytes, password: str = "s3cret") -> bytes:
    """An ODF package encrypted as LibreOffice does: AES-256-CBC parts, a manifest naming the cipher."""
    import base64
    import hashlib
    import zlib

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key_source = hashlib.sha256(password.encode()).digest()
    salt, iv = os.urandom(16), os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha1", key_source, salt, 100_000, 32)
    entries = []
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as zin, zipfile.ZipFile(out, "w") as zout:
        zout.writestr("mimetype", zin.read("mimetype"), zipfile.ZIP_STORED)
        for info in zin.infolist():
            if info.filename in ("mimetype", "META-INF/manifest.xml"):
                continue
            data = zin.read(info)
            if info.filename.endswith(".xml"):
                raw = zlib.compressobj(9, zlib.DEFLATED, -15)
                deflated = raw.compress(data) + raw.flush()
                padder = padding.PKCS7(128).padder()
                enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
                data = enc.update(padder.update(deflated) + padder.finalize()) + enc.finalize()
                entries.append((info.filename, len(deflated)))
            zout.writestr(info.filename, data, zipfile.ZIP_STORED)
        b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
        items = "".join(
            f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml" manifest:size="{size}">'
            f'<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
            f'manifest:checksum="{b64(os.urandom(32))}"><manifest:algorithm manifest:algorithm-name='
            f'"http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="{b64(iv)}"/>'
            f'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" '
            f'manifest:iteration-count="100000" manifest:salt="{b64(salt)}"/></manifest:encryption-data>'
            f'</manifest:file-entry>' for name, size in entries)
        zout.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
            + zin.read("mimetype").decode() + '"/>' + items + "</manifest:manifest>").encode())
    return out.getvalue()


def qpdf_owner_only(pdf: bytes, workdir, bits: int) -> bytes:
    """A PDF qpdf encrypts with an owner password and an empty user password (opens for anyone)."""
    src, dst = os.path.join(workdir, f"plain-{bits}.pdf"), os.path.join(workdir, f"owner-{bits}.pdf")
    with open(src, "wb") as f:
        f.write(pdf)
    weak = ["--allow-weak-crypto"] if bits < 256 else []
    subprocess.run([QPDF, *weak, "--encrypt", "", "owner-secret", str(bits), "--", src, dst],
                   check=True, capture_output=True, timeout=60)
    with open(dst, "rb") as f:
        return f.read()


def qpdf_user_password(pdf: bytes, workdir) -> bytes:
    src, dst = os.path.join(workdir, "plain-user.pdf"), os.path.join(workdir, "user.pdf")
    with open(src, "wb") as f:
        f.write(pdf)
    subprocess.run([QPDF, "--encrypt", "user-secret", "owner-secret", "256", "--", src, dst],
                   check=True, capture_output=True, timeout=60)
    with open(dst, "rb") as f:
        return f.read()


class _Unseekable(io.RawIOBase):
    """A pipe-like sink: zipfile then writes each member with a data descriptor (flag bit 3)."""

    def __init__(self):
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def streamed_zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip written as a streaming writer writes it: sizes and CRC after the data, not before."""
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return bytes(sink.data)


def restreamed(package: bytes) -> bytes:
    """An office package rewritten by a streaming writer, `mimetype` included (deflated, described after)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return streamed_zip({info.filename: z.read(info) for info in z.infolist()})


def zip_with_raw_members(members: list[tuple[bytes, int, bytes, bytes, bytes]]) -> bytes:
    """A zip from (raw name, method, compressed bytes, plain bytes, extra field), UTF-8 flag unset:
    for the methods and legacy name encodings no Python writer produces."""
    import struct
    import zlib

    local, central = bytearray(), bytearray()
    for name, method, payload, plain, extra in members:
        crc, offset = zlib.crc32(plain), len(local)
        local += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(payload), len(plain),
                             len(name), len(extra)) + name + extra + payload
        central += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(payload),
                               len(plain), len(name), len(extra), 0, 0, 0, 0, offset) + name + extra
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def unicode_path_extra(stored_name: bytes, real_name: str) -> bytes:
    """Info-ZIP's Unicode Path extra field (0x7075), as `zip` writes it beside a legacy name."""
    import struct
    import zlib

    body = b"\x01" + struct.pack("<I", zlib.crc32(stored_name)) + real_name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF from its object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"", deflate: bool = True) -> bytes:
    import zlib

    if deflate:
        data, extra = zlib.compress(data), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def filled_form_pdf(page_text: str, xfa_data: str, fields: dict[str, str], attachment: tuple[str, bytes]) -> bytes:
    """A filled-in form as Acrobat saves one: XFA datasets, AcroForm values (absent from the page
    content), and a file attached to the page with a FileAttachment annotation."""
    name, payload = attachment
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % page_text.encode("latin-1")
    field_refs = " ".join(f"{10 + i} 0 R" for i in range(len(fields))).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + field_refs + b"] /XFA [(datasets) 6 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [7 0 R]"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        pdf_stream(content, deflate=False),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        pdf_stream(xfa_data.encode("utf-8")),
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] /FS 8 0 R >>",
        b"<< /Type /Filespec /F (" + name.encode() + b") /UF (" + name.encode() + b") /EF << /F 9 0 R >> >>",
        pdf_stream(payload, b" /Type /EmbeddedFile"),
    ]
    for key, value in fields.items():
        objects.append(b"<< /FT /Tx /T (" + key.encode() + b") /V (" + value.encode("latin-1") + b") >>")
    return pdf_from_objects(objects)


_SS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_LINKED_BOOK = (
    _XML_HEAD + b'<externalLink xmlns="' + _SS + b'" xmlns:r="' + _OFFICE_RELS + b'"><externalBook r:id="rId1">'
    b'<sheetNames><sheetName val="Staff"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1">'
    b'<cell r="A1" t="str"><v>Linked Lucy Remote</v></cell></row></sheetData></sheetDataSet>'
    b'</externalBook></externalLink>')
_DDE_LINK = (
    _XML_HEAD + b'<externalLink xmlns="' + _SS + b'">'
    b'<ddeLink ddeService="Excel" ddeTopic="C:\\Users\\dora.dde\\Documents\\[staff.xls]Sheet1"><ddeItems>'
    b'<ddeItem name="R1C1" advise="1"><values rows="1" cols="1"><value t="str"><val>Dde Dora Valueheld</val>'
    b'</value></values></ddeItem></ddeItems></ddeLink></externalLink>')
_LINKED_BOOK_RELS = (
    _XML_HEAD + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + _OFFICE_RELS + b'/externalLinkPath" '
    b'Target="file:///C:/Users/lucy.remote/Documents/staff.xlsx" TargetMode="External"/></Relationships>')
_LINK_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"


def xlsx_with_external_links(xlsx: bytes) -> bytes:
    """The workbook with two external links as Excel writes them: a linked workbook with its cached
    values (and a path under its owner's profile), and a DDE link (which has no relationship part)."""
    parts = {"xl/externalLinks/externalLinkX1.xml": _LINKED_BOOK, "xl/externalLinks/externalLinkX2.xml": _DDE_LINK,
             "xl/externalLinks/_rels/externalLinkX1.xml.rels": _LINKED_BOOK_RELS}
    refs = b"".join(b'<externalReference r:id="rIdX%d"/>' % n for n in (1, 2))
    rels = b"".join(b'<Relationship Id="rIdX%d" Type="' % n + _OFFICE_RELS
                    + b'/externalLink" Target="externalLinks/externalLinkX%d.xml"/>' % n for n in (1, 2))
    types = b"".join(b'<Override PartName="/%s" ContentType="%s"/>' % (name.encode(), _LINK_TYPE)
                     for name in list(parts)[:2])

    def edit(name, data):
        if name == "xl/workbook.xml":
            data = re.sub(rb"<externalReferences>.*?</externalReferences>", b"", data)
            return data.replace(b"</sheets>", b"</sheets><externalReferences>" + refs + b"</externalReferences>")
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", rels + b"</Relationships>")
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", types + b"</Types>")
        return data
    return rewrite_parts(xlsx, edit, parts)


def mht(html_body: str) -> bytes:
    """A web archive as Word and Internet Explorer save one (Python's email writer, quoted-printable)."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    archive = MIMEMultipart("related")
    archive["Subject"] = "Imported page"
    archive.attach(MIMEText(f"<html><body>{html_body}</body></html>", "html", "utf-8"))
    return archive.as_bytes()


def docx_with_altchunks(docx: bytes, chunks: dict[str, bytes]) -> bytes:
    """The document with each chunk imported by `<w:altChunk>`, as mail merges and generators do."""
    rels = "".join(f'<Relationship Id="rIdAlt{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/aFChunk" Target="{name}"/>' for i, name in enumerate(chunks))
    body = "".join(f'<w:altChunk r:id="rIdAlt{i}"/>' for i in range(len(chunks)))
    types = {"htm": "text/html", "html": "text/html", "mht": "message/rfc822", "rtf": "application/rtf",
             "txt": "text/plain"}
    defaults = "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>' for ext, kind in types.items())

    def edit(name, data):
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
        if name == "word/document.xml":
            return re.sub(rb"(<w:sectPr)", body.encode() + rb"\1", data, count=1)
        if name == "[Content_Types].xml":
            return data.replace(b"<Default ", defaults.encode() + b"<Default ", 1)
        return data
    return rewrite_parts(docx, edit, {f"word/{name}": data for name, data in chunks.items()})
