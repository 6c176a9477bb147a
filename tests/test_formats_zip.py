"""Zips as other software writes them: streaming writers (data descriptors), Deflate64 and the
legacy methods, member names in legacy code pages."""
from __future__ import annotations

import io
import subprocess
import zipfile

import pytest

from builders import explore_path
from format_writers import (INFOZIP, MARKS, restreamed, streamed_zip, unicode_path_extra,
                            zip_with_raw_members)

LINE = f"Contact {MARKS.name} at {MARKS.email}\n".encode()


def explore(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path), explore_path(path, tmp_path / "work")


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_members_written_with_a_data_descriptor_are_read(tmp_path, method):
    data = streamed_zip({"a.txt": LINE, "b.txt": LINE}, method)
    assert all(i.flag_bits & 0x8 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    path, seen = explore(tmp_path, "streamed.zip", data)
    assert seen[path].status == "ok"
    assert MARKS.email in seen[f"{path}!/a.txt"].text and MARKS.email in seen[f"{path}!/b.txt"].text


@pytest.mark.skipif(INFOZIP is None, reason="Info-ZIP zip (Debian zip) is missing")
def test_info_zip_forced_data_descriptors_are_read(tmp_path):
    (tmp_path / "note.txt").write_bytes(LINE)
    subprocess.run([INFOZIP, "-q", "-fd", "dd.zip", "note.txt"], cwd=tmp_path, check=True)
    path, seen = explore(tmp_path, "copy.zip", (tmp_path / "dd.zip").read_bytes())
    assert MARKS.email in seen[f"{path}!/note.txt"].text


@pytest.mark.parametrize("name, mime", [
    ("deck-odp", "application/vnd.oasis.opendocument.presentation"),
    ("text-odt", "application/vnd.oasis.opendocument.text"),
    ("text-docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_office_packages_from_a_streaming_writer_are_still_office_files(lo_written, tmp_path, name, mime):
    path, seen = explore(tmp_path, name, restreamed(lo_written[name]))
    assert (seen[path].mime, seen[path].status) == (mime, "ok")
    assert MARKS.name in seen[path].text


def test_deflate64_is_read_and_legacy_methods_are_named(tmp_path):
    import inflate64

    deflater = inflate64.Deflater()
    packed = deflater.deflate(LINE * 50) + deflater.flush()
    data = zip_with_raw_members([
        (b"big.txt", 9, packed, LINE * 50, b""),
        (b"old.txt", 6, b"\x0b\x02imploded?", LINE, b""),
        (b"older.txt", 1, b"\x00shrunk", LINE, b""),
        (b"plain.txt", 0, LINE, LINE, b""),
    ])
    path, seen = explore(tmp_path, "methods.zip", data)
    assert seen[f"{path}!/big.txt"].text == (LINE * 50).decode()
    assert (seen[f"{path}!/old.txt"].status, seen[f"{path}!/old.txt"].reason) == (
        "skipped", "zip: unsupported compression method 6 (implode)")
    assert seen[f"{path}!/older.txt"].reason == "zip: unsupported compression method 1 (shrink)"
    assert seen[f"{path}!/plain.txt"].text == LINE.decode()


@pytest.mark.parametrize("stored, extra, expected", [
    ("简历-张伟.txt".encode("gbk"), None, "简历-张伟.txt"),                   # Chinese Windows
    ("Résumé Ærö.txt".encode("cp437"), None, "Résumé Ærö.txt"),              # DOS / Western Windows
    ("Café.txt".encode("utf-8"), None, "Café.txt"),                          # UTF-8, flag unset
    (b"R?sum?.txt", "Résumé.txt", "Résumé.txt"),                             # Info-ZIP Unicode Path
    (b"plain.txt", None, "plain.txt"),
])
def test_legacy_member_names_are_decoded(tmp_path, stored, extra, expected):
    field = unicode_path_extra(stored, extra) if extra else b""
    path, seen = explore(tmp_path, "names.zip", zip_with_raw_members([(stored, 0, LINE, LINE, field)]))
    assert MARKS.email in seen[f"{path}!/{expected}"].text


def test_an_epub_is_read_as_the_zip_of_chapters_it_is(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", '<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>')
        z.writestr("OEBPS/ch1.xhtml", f"<html><body><p>Dedicated to {MARKS.name}</p></body></html>")
    path, seen = explore(tmp_path, "book.epub", buf.getvalue())
    assert seen[path].mime == "application/epub+zip" and seen[path].status == "ok"
    assert MARKS.name in seen[f"{path}!/OEBPS/ch1.xhtml"].text


@pytest.mark.parametrize("name, data, mime", [
    ("sheet.dif", f'TABLE\r\n0,1\r\n"EXCEL"\r\nVECTORS\r\n0,1\r\n""\r\nTUPLES\r\n0,1\r\n""\r\nDATA\r\n0,0\r\n""\r\n'
                  f'-1,0\r\nBOT\r\n1,0\r\n"{MARKS.name}"\r\n-1,0\r\nEOD\r\n', "application/x-dif"),
    ("sheet.slk", f'ID;PWXL;N;E\nC;Y1;X1;K"{MARKS.name}"\nE\n', "application/x-sylk"),
])
def test_spreadsheet_interchange_text_is_read(tmp_path, name, data, mime):
    path, seen = explore(tmp_path, name, data.encode())
    assert (seen[path].mime, seen[path].status) == (mime, "ok") and MARKS.name in seen[path].text


def test_a_bundle_whose_first_member_is_a_stored_docx_is_a_zip(tmp_path):
    """The stored docx's own part names sit in the bundle's head; the bundle is still a zip."""
    import docx

    document = docx.Document()
    document.add_paragraph(LINE.decode())
    inner = io.BytesIO()
    document.save(inner)
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_STORED) as z:
        z.writestr("letter.docx", inner.getvalue())
        z.writestr("notes.txt", LINE)
    path, seen = explore(tmp_path, "bundle.zip", bundle.getvalue())
    assert seen[path].status == "ok"
    assert MARKS.email in seen[f"{path}!/letter.docx"].text and MARKS.email in seen[f"{path}!/notes.txt"].text
