"""The files benchmarks/conformance.py reads, written at run time by the writers available here.

Each entry is (format, writer, variant, bytes, expected): `expected` is "ok" when the person's
name or address must come out, or the status the file must honestly get instead ("encrypted"
for a password nobody gave us). Builders live in tests/format_writers.py, shared with the tests.
"""
from __future__ import annotations

import gzip
import io
import os
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage

import format_writers as fw
from format_writers import MARKS

# (format, LibreOffice source, --convert-to target): every export filter for a text, sheet or deck.
LIBREOFFICE = [
    ("odt", "fodt", "odt"), ("ott", "fodt", "ott"), ("fodt", "fodt", "fodt:OpenDocument Text Flat XML"),
    ("docx", "fodt", "docx:MS Word 2007 XML"), ("docx", "fodt", "docx:Office Open XML Text"),
    ("dotx", "fodt", "dotx:MS Word 2007 XML Template"), ("doc", "fodt", "doc:MS Word 97"),
    ("dot", "fodt", "dot:MS Word 97 Vorlage"), ("doc", "fodt", "doc:MS Word 95"),
    ("rtf", "fodt", "rtf:Rich Text Format"), ("xml", "fodt", "xml:MS Word 2003 XML"),
    ("html", "fodt", "html:HTML (StarWriter)"), ("txt", "fodt", "txt:Text (encoded):UTF8"),
    ("epub", "fodt", "epub:EPUB"), ("pdf", "fodt", "pdf:writer_pdf_Export"),
    ("ods", "fods", "ods"), ("ots", "fods", "ots"), ("fods", "fods", "fods:OpenDocument Spreadsheet Flat XML"),
    ("xlsx", "fods", "xlsx:Calc MS Excel 2007 XML"), ("xlsx", "fods", "xlsx:Calc Office Open XML"),
    ("xltx", "fods", "xltx:Calc MS Excel 2007 XML Template"), ("xls", "fods", "xls:MS Excel 97"),
    ("xlt", "fods", "xlt:MS Excel 97 Vorlage/Template"), ("xls", "fods", "xls:MS Excel 95"),
    ("xml", "fods", "xml:MS Excel 2003 XML"), ("csv", "fods", "csv:Text - txt - csv (StarCalc)"),
    ("html", "fods", "html:HTML (StarCalc)"), ("dif", "fods", "dif:DIF"), ("slk", "fods", "slk:SYLK"),
    ("pdf", "fods", "pdf:calc_pdf_Export"),
    ("odp", "fodp", "odp"), ("otp", "fodp", "otp"), ("fodp", "fodp", "fodp:OpenDocument Presentation Flat XML"),
    ("pptx", "fodp", "pptx:Impress MS PowerPoint 2007 XML"), ("pptx", "fodp", "pptx:Impress Office Open XML"),
    ("ppsx", "fodp", "ppsx:Impress MS PowerPoint 2007 XML AutoPlay"), ("ppt", "fodp", "ppt:MS PowerPoint 97"),
    ("pps", "fodp", "pps:MS PowerPoint 97 AutoPlay"), ("pdf", "fodp", "pdf:impress_pdf_Export"),
]
_PDF_OPEN = 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},' \
            '"DocumentOpenPassword":{"type":"string","value":"s3cret"}}'
_PDF_OWNER = 'pdf:writer_pdf_Export:{"RestrictPermissions":{"type":"boolean","value":"true"},' \
             '"PermissionPassword":{"type":"string","value":"owner"}}'


@dataclass(frozen=True)
class Sample:
    format: str
    writer: str
    variant: str
    data: bytes
    expected: str = "ok"
    marker: str = ""        # text only this variant's feature holds (default: the person's name or address)
    member: str = ""        # a member name the URI must carry (decoded names)


def libreoffice_samples(workdir: str) -> tuple[list[Sample], dict[str, bytes], list[str]]:
    """(samples, written files by key, targets LibreOffice failed to write)."""
    jobs = {f"{source}-{n}": (source, target) for n, (_fmt, source, target) in enumerate(LIBREOFFICE)}
    jobs["pdf-open"] = ("fodt", _PDF_OPEN)
    jobs["pdf-owner"] = ("fodt", _PDF_OWNER)
    written = fw.libreoffice(jobs, workdir)
    samples, failed = [], []
    for n, (fmt, source, target) in enumerate(LIBREOFFICE):
        key = f"{source}-{n}"
        if key in written:
            samples.append(Sample(fmt, "LibreOffice", target.split(":", 1)[-1], written[key]))
        else:
            failed.append(target)
    if "pdf-open" in written:
        samples.append(Sample("pdf", "LibreOffice", "open password", written["pdf-open"], "encrypted"))
    if "pdf-owner" in written:
        samples.append(Sample("pdf", "LibreOffice", "permission password only", written["pdf-owner"]))
    return samples, written, failed


def derived_samples(lo: dict[str, bytes], workdir: str) -> list[Sample]:
    """Files made from LibreOffice's output by other writers (msoffcrypto, qpdf, zip) or by hand."""
    idx = {target: f"{source}-{n}" for n, (_f, source, target) in enumerate(LIBREOFFICE)}
    docx, xlsx = lo[idx["docx:MS Word 2007 XML"]], lo[idx["xlsx:Calc MS Excel 2007 XML"]]
    pptx, odt, rtf = lo[idx["pptx:Impress MS PowerPoint 2007 XML"]], lo[idx["odt"]], lo[idx["rtf:Rich Text Format"]]
    pdf, xls = lo[idx["pdf:writer_pdf_Export"]], lo[idx["xls:MS Excel 97"]]
    out = [Sample(fmt, "hand-built (Strict namespaces)", "from LibreOffice", fw.strict_ooxml(data))
           for fmt, data in (("docx", docx), ("xlsx", xlsx), ("pptx", pptx))]
    for fmt, data in (("docx", docx), ("xlsx", xlsx), ("pptx", pptx)):
        out.append(Sample(fmt, "msoffcrypto-tool", "VelvetSweatshop", fw.ooxml_encrypted(data, "VelvetSweatshop")))
        out.append(Sample(fmt, "msoffcrypto-tool", "other password", fw.ooxml_encrypted(data, "pa55"), "encrypted"))
    out.append(Sample("odt", "hand-built (LibreOffice's cipher)", "password", fw.odf_encrypted(odt), "encrypted"))
    for ext, chunk in (("htm", b"<p>Hermione Chunkley</p>"), ("mht", fw.mht("<p>Hermione Chunkley</p>"))):
        out.append(Sample("docx", "hand-built", f"altChunk {ext}", fw.docx_with_altchunks(docx, {f"a.{ext}": chunk}),
                          marker="Hermione Chunkley"))
    out.append(Sample("docx", "hand-built", "altChunk rtf", fw.docx_with_altchunks(docx, {"c.rtf": rtf}),
                      marker=MARKS.commenter))
    out.append(Sample("xlsx", "hand-built", "external + DDE links", fw.xlsx_with_external_links(xlsx),
                      marker="Dde Dora Valueheld"))
    cut = rtf.rstrip().rfind(b"}")
    binary = bytes(range(256)) * 2 + b"}{}{\\" * 22          # braces, backslashes, control bytes
    picture = b"{\\pict\\bin%d " % len(binary) + binary + b"}"
    out.append(Sample("rtf", "hand-built", "\\bin picture", rtf[:cut] + picture + rtf[cut:]))
    out.append(Sample("pdf", "hand-built", "XFA form data", fw.filled_form_pdf(
        "Form", f"<d><Name>{MARKS.listed}</Name></d>", {}, ("a.txt", b"Attached note.\n")), marker=MARKS.listed))
    out.append(Sample("pdf", "hand-built", "AcroForm values", fw.filled_form_pdf(
        "Form", "<d/>", {"Referee": MARKS.listed}, ("a.txt", b"Attached note.\n")), marker=MARKS.listed))
    out.append(Sample("pdf", "hand-built", "file attachment annotation", fw.filled_form_pdf(
        "Form", "<d/>", {}, ("notes.rtf", rtf)), marker=MARKS.commenter, member="notes.rtf"))
    if fw.QPDF:
        for bits in (40, 128, 256):
            out.append(Sample("pdf", "qpdf", f"owner password, {bits}-bit", fw.qpdf_owner_only(pdf, workdir, bits)))
        out.append(Sample("pdf", "qpdf", "user password", fw.qpdf_user_password(pdf, workdir), "encrypted"))
        out.append(Sample("pdf", "qpdf", "--add-attachment", _qpdf_attached(pdf, rtf, workdir),
                          marker=MARKS.commenter, member="notes.rtf"))
    out += _zip_samples({"cv.docx": docx, "sheet.xls": xls, "notes.rtf": rtf}, workdir)
    return out


def _qpdf_attached(pdf: bytes, rtf: bytes, workdir: str) -> bytes:
    for name, data in (("cover.pdf", pdf), ("notes.rtf", rtf)):
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(data)
    subprocess.run([fw.QPDF, "cover.pdf", "--add-attachment", "notes.rtf", "--", "attached.pdf"], cwd=workdir,
                   check=True, capture_output=True)
    with open(os.path.join(workdir, "attached.pdf"), "rb") as f:
        return f.read()


def _zip_samples(files: dict[str, bytes], workdir: str) -> list[Sample]:
    line = f"{MARKS.name} <{MARKS.email}>\n".encode()
    out = [Sample("zip", "Python zipfile", "streamed (data descriptors)", fw.streamed_zip(files)),
           Sample("zip", "Python zipfile", "stored, streamed", fw.streamed_zip({"a.txt": line}, zipfile.ZIP_STORED)),
           Sample("zip", "Python zipfile", "bzip2", _zipped(files, zipfile.ZIP_BZIP2)),
           Sample("zip", "Python zipfile", "lzma", _zipped(files, zipfile.ZIP_LZMA)),
           Sample("zip", "hand-built", "GBK name", fw.zip_with_raw_members([("简历.txt".encode("gbk"), 0, line, line, b"")]),
                  member="简历.txt"),
           Sample("zip", "hand-built", "cp437 name",
                  fw.zip_with_raw_members([("Résumé.txt".encode("cp437"), 0, line, line, b"")]), member="Résumé.txt"),
           Sample("zip", "hand-built", "implode (method 6)", fw.zip_with_raw_members([(b"old.txt", 6, b"\x0b\x02?", line, b"")]),
                  "skipped"),
           Sample("tar.gz", "Python tarfile", "gzip", _tarred(files)),
           Sample("gz", "Python gzip", "one file", gzip.compress(line * 3, mtime=0)),
           Sample("eml", "Python email", "attachment", _eml(files["cv.docx"]))]
    for name, data in files.items():
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(data)
    if fw.INFOZIP:
        for variant, flags in (("default", []), ("-fd data descriptors", ["-fd"]), ("-e ZipCrypto", ["-P", "pw"])):
            target = os.path.join(workdir, f"infozip-{len(flags)}.zip")
            subprocess.run([fw.INFOZIP, "-q", *flags, target, *files], cwd=workdir, check=True)
            with open(target, "rb") as f:
                out.append(Sample("zip", "Info-ZIP zip", variant, f.read(), "encrypted" if "-P" in flags else "ok"))
    return out


def _zipped(files: dict[str, bytes], method: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tarred(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _eml(docx: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "hr@example.org", "staff@example.org", "CV attached"
    msg.set_content("Please see the attached CV.")
    msg.add_attachment(docx, maintype="application", subtype="octet-stream", filename="cv.docx")
    return msg.as_bytes()
