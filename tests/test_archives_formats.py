"""Archive containers: members found at exact URIs, links and traversal names harmless."""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile

import pytest

from builders import (encrypt_flag_zip, explore_path, make_7z, make_eml, make_mbox, make_person, make_tar,
                      make_zip, person_lines, zip_bytes)
from core_helpers import OUTLOOK_FIXTURES


@pytest.fixture
def person():
    return make_person(11)


@pytest.fixture
def text(person):
    return person_lines(person).encode()


def test_zip_inside_tar_gz(tmp_path, person, text):
    path = tmp_path / "2024-05.tar.gz"
    make_tar(path, {"./home/sales/clients.csv": f"name,email\n{person.name},{person.email}\n".encode(),
                    "/srv/old.zip": zip_bytes({"inner.zip": zip_bytes({"notes.txt": text})})})
    seen = explore_path(path, tmp_path / "tmp")
    assert person.email in seen[f"{path}!/home/sales/clients.csv"].text
    assert person.email in seen[f"{path}!/srv/old.zip!/inner.zip!/notes.txt"].text
    assert seen[str(path)].status == "ok"


def test_mbox_inside_tar_gz(tmp_path, person):
    mbox = tmp_path / "export.mbox"
    make_mbox(mbox, [make_eml(person, message_id="<m1@example.co.uk>")])
    path = tmp_path / "mail.tar.gz"
    make_tar(path, {"var/mail/export.mbox": mbox.read_bytes()})
    seen = explore_path(path, tmp_path / "tmp")
    assert person.phone in seen[f"{path}!/var/mail/export.mbox!/<m1@example.co.uk>"].text


def test_7z(tmp_path, person, text):
    path = tmp_path / "backup.7z"
    make_7z(path, {"docs/notes.txt": text, "docs/empty.txt": b""})
    seen = explore_path(path, tmp_path / "tmp")
    assert person.email in seen[f"{path}!/docs/notes.txt"].text
    assert seen[str(path)].mime == "application/x-7z-compressed" and seen[str(path)].status == "ok"


@pytest.mark.parametrize("mode, mime", [("w", "application/x-tar"), ("w:gz", "application/gzip"),
                                        ("w:bz2", "application/x-bzip2"), ("w:xz", "application/x-xz")])
def test_tar_every_compression(tmp_path, person, text, mode, mime):
    path = tmp_path / "backup.tar"
    make_tar(path, {"home/a.txt": text}, mode=mode)
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].mime == mime
    assert person.email in seen[f"{path}!/home/a.txt"].text


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)])
def test_single_compressed_file_member_named_without_suffix(tmp_path, person, text, suffix, compress):
    path = tmp_path / f"clients.txt{suffix}"
    path.write_bytes(compress(text))
    seen = explore_path(path, tmp_path / "tmp")
    assert person.email in seen[f"{path}!/clients.txt"].text


def test_zip_encrypted_member_is_recorded_encrypted(tmp_path, text):
    path = tmp_path / "locked.zip"
    path.write_bytes(encrypt_flag_zip(zip_bytes({"secret.txt": text})))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[f"{path}!/secret.txt"].status == "encrypted"
    assert seen[f"{path}!/secret.txt"].reason == "encrypted, not scanned"


@pytest.mark.parametrize("header_encryption", [False, True])
def test_7z_encrypted_is_recorded_encrypted(tmp_path, text, header_encryption):
    import py7zr

    path = tmp_path / "locked.7z"
    with py7zr.SevenZipFile(path, "w", password="hunter2", header_encryption=header_encryption) as z:
        z.writestr(text, "secret.txt")
    seen = explore_path(path, tmp_path / "tmp")
    statuses = {uri: s.status for uri, s in seen.items()}
    if header_encryption:
        assert statuses == {str(path): "encrypted"}
    else:
        assert statuses[f"{path}!/secret.txt"] == "encrypted"
    assert not any(s.text and "hunter2" in s.text for s in seen.values())


def test_tar_links_and_devices_are_not_followed(tmp_path, text):
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as t:
        info = tarfile.TarInfo("real.txt")
        info.size = len(text)
        t.addfile(info, io.BytesIO(text))
        for name, kind, target in (("sym", tarfile.SYMTYPE, "/etc/passwd"), ("hard", tarfile.LNKTYPE, "real.txt"),
                                   ("dev", tarfile.CHRTYPE, ""), ("fifo", tarfile.FIFOTYPE, "")):
            link = tarfile.TarInfo(name)
            link.type, link.linkname = kind, target
            t.addfile(link)
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[f"{path}!/sym"].status == "skipped"
    assert seen[f"{path}!/sym"].reason == "tar symlink member, not followed"
    assert seen[f"{path}!/hard"].reason == "tar hardlink member, not followed"
    assert seen[f"{path}!/dev"].reason == seen[f"{path}!/fifo"].reason == "tar device member, not read"
    assert seen[f"{path}!/real.txt"].text == text.decode()


def test_traversal_and_absolute_names_write_nothing_outside_tmpdir(tmp_path, person, text):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    work = tmp_path / "tmp"
    work.mkdir()
    for name, build in (("t.tar.gz", make_tar), ("t.zip", make_zip)):
        build(deep / name, {"../../escaped.txt": text, "/abs/evil.txt": text, "./ok.txt": text})
    before = sorted(p for p in tmp_path.rglob("*"))
    for name in ("t.tar.gz", "t.zip"):
        seen = explore_path(deep / name, work)
        assert person.email in seen[f"{deep / name}!/../../escaped.txt"].text   # the label as stored
        assert person.email in seen[f"{deep / name}!/abs/evil.txt"].text
        assert person.email in seen[f"{deep / name}!/ok.txt"].text
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert os.listdir(work) == []          # spooled members are removed once handed over
    assert not os.path.exists("/abs/evil.txt")


def test_duplicate_member_names_get_distinct_locations(tmp_path, text):
    path = tmp_path / "dupes.tar"
    with tarfile.open(path, "w") as t:
        for data in (text, b"second copy"):
            info = tarfile.TarInfo("same.txt")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[f"{path}!/same.txt"].text == text.decode()
    assert seen[f"{path}!/same.txt (2)"].text == "second copy"


def test_docx_in_zip_is_a_document_not_an_archive(tmp_path, person):
    from builders import make_docx

    path = tmp_path / "docs.zip"
    make_zip(path, {"letter.docx": make_docx(person.name)})
    seen = explore_path(path, tmp_path / "tmp")
    letter = seen[f"{path}!/letter.docx"]
    assert "wordprocessingml" in letter.mime and person.name in letter.text
    assert not any(uri.startswith(f"{path}!/letter.docx!/") for uri in seen)


def test_members_needing_a_real_path_leave_no_temp_files(tmp_path, person, text):
    import shutil

    seven = tmp_path / "inner.7z"
    make_7z(seven, {"deep/notes.txt": text})
    msg = (tmp_path / "fixture.msg")
    shutil.copy(os.path.join(OUTLOOK_FIXTURES, "qwerty_3.msg"), msg)
    bundle = zip_bytes({"inner.7z": seven.read_bytes(), "mail/q.msg": msg.read_bytes()})
    path = tmp_path / "letter.eml"
    path.write_bytes(make_eml(make_person(1), {"bundle.zip": bundle}))
    work = tmp_path / "work"
    seen = explore_path(path, work)
    assert person.email in seen[f"{path}!/bundle.zip!/inner.7z!/deep/notes.txt"].text
    assert "Charles.Lowe@freehills.com" in seen[f"{path}!/bundle.zip!/mail/q.msg"].text
    assert os.listdir(work) == []


def test_member_name_with_the_uri_separator_cannot_split_the_uri(tmp_path, person, text):
    from connectors import Location

    path = tmp_path / "odd.zip"
    make_zip(path, {"a!/b.txt": text})
    seen = explore_path(path, tmp_path / "tmp")
    uri = f"{path}!/a%21/b.txt"
    assert person.email in seen[uri].text
    assert Location.parse(uri).members == ("a%21/b.txt",)
