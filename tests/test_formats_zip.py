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
