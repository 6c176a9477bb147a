"""Office files other software writes: Strict OOXML, ODP, encrypted packages, honest compression.

The documents are written by LibreOffice (one soffice run per target format for the whole
session); Strict and encrypted copies are made from them (format_writers says how).
"""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from builders import explore_path
from legacy_office import rewrite_stream
from format_writers import (MARKS, odf_encrypted, ooxml_encrypted, rewrite_parts, strict_ooxml,
                            docx_with_altchunks, mht, xlsx_with_external_links)



@pytest.fixture
def written(lo_written) -> dict[str, bytes]:
    return lo_written


def outer(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return explore_path(path, tmp_path / "work")[str(path)]


@pytest.mark.parametrize("name", ["text-docx", "sheet-xlsx", "deck-pptx"])
def test_strict_ooxml_reads_as_its_transitional_original(written, tmp_path, name):
    strict = strict_ooxml(written[name])
    package = zipfile.ZipFile(io.BytesIO(strict))
    main = next(n for n in package.namelist() if n in ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml"))
    assert b"http://purl.oclc.org/ooxml/" in package.read(main)
    seen = outer(tmp_path, name + ".strict", strict)
    assert seen.status == "ok"
    assert MARKS.name in seen.text and MARKS.email in seen.text
    assert seen.text == outer(tmp_path, name, written[name]).text


def test_odp_slides_and_notes_are_read(written, tmp_path):
    seen = outer(tmp_path, "deck.odp", written["deck-odp"])
    assert seen.mime == "application/vnd.oasis.opendocument.presentation"
    assert (seen.status, seen.reason) == ("ok", "")
    assert MARKS.name in seen.text and MARKS.email in seen.text and MARKS.listed in seen.text


@pytest.mark.parametrize("name", ["text-docx", "sheet-xlsx", "deck-pptx"])
def test_default_password_opens_and_any_other_is_recorded_encrypted(written, tmp_path, name):
    velvet = outer(tmp_path, name + ".velvet", ooxml_encrypted(written[name], "VelvetSweatshop"))
    assert velvet.status == "ok" and MARKS.name in velvet.text
    locked = outer(tmp_path, name + ".locked", ooxml_encrypted(written[name], "not-the-default"))
    assert (locked.status, locked.reason) == ("encrypted", "office: password protected")
    assert not locked.text


def test_encrypted_odt_is_recorded_encrypted(written, tmp_path):
    seen = outer(tmp_path, "locked.odt", odf_encrypted(written["text-odt"]))
    assert (seen.status, seen.reason) == ("encrypted", "odt: password protected")


def _padded(document: bytes, paragraphs: int) -> bytes:
    """The docx with thousands of empty paragraphs before the body: a part that compresses ~1000:1."""
    filler = b"<w:p/>" * paragraphs

    def edit(name, data):
        return data.replace(b"<w:body>", b"<w:body>" + filler, 1) if name == "word/document.xml" else data
    return rewrite_parts(document, edit)


def test_a_part_that_inflates_far_but_stays_small_is_read(written, tmp_path):
    padded = _padded(written["text-docx"], 700_000)          # 4.2 MB of XML from a few KB
    info = zipfile.ZipFile(io.BytesIO(padded)).getinfo("word/document.xml")
    assert info.file_size > 500 * info.compress_size and info.file_size > 4_000_000
    seen = outer(tmp_path, "padded.docx", padded)
    assert (seen.status, seen.reason) == ("ok", "")
    assert MARKS.name in seen.text


def _hlink_url_lengths(stream: bytearray) -> list[int]:
    """Offsets of the URL-moniker length field of each HLINK record in a Workbook stream."""
    found, pos = [], 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        if kind == 0x01B8:
            moniker = stream.find(URL_MONIKER, pos, pos + 4 + length)
            found.append(moniker + 16)
        pos += 4 + length
    return found


URL_MONIKER = b"\xe0\xc9\xeay\xf9\xba\xce\x11\x8c\x82\x00\xaa\x00K\xa9\x0b"


def test_xls_hyperlinks_xlrd_would_refuse_cost_nothing(written, tmp_path):
    def drop_terminator(stream: bytearray) -> bytearray:
        at = _hlink_url_lengths(stream)
        assert at, "LibreOffice wrote no HLINK record"
        for offset in at:      # the URL's length no longer counts its NUL: xlrd asserts on it
            struct.pack_into("<I", stream, offset, struct.unpack_from("<I", stream, offset)[0] - 2)
        return stream

    plain = outer(tmp_path, "links.xls", written["sheet-xls"])
    assert plain.status == "ok" and MARKS.linked in plain.text and MARKS.listed in plain.text
    edited = rewrite_stream(written["sheet-xls"], "Workbook", drop_terminator, tmp_path)
    seen = outer(tmp_path, "odd-links.xls", edited)
    assert (seen.status, seen.reason) == ("ok", "")
    assert MARKS.name in seen.text and MARKS.email in seen.text and MARKS.linked in seen.text


def test_xlsx_external_and_dde_links_are_read_not_fatal(written, tmp_path):
    seen = outer(tmp_path, "links.xlsx", xlsx_with_external_links(written["sheet-xlsx"]))
    assert (seen.status, seen.reason) == ("ok", "")
    assert MARKS.name in seen.text and MARKS.email in seen.text
    assert MARKS.linked in seen.text                                # a sheet's mailto: hyperlink
    assert "Linked Lucy Remote" in seen.text and "lucy.remote" in seen.text   # cached value, linked path
    assert "Dde Dora Valueheld" in seen.text and "dora.dde" in seen.text      # DDE item and topic


def test_docx_altchunks_in_html_mht_and_rtf_are_read(written, tmp_path):
    docx = docx_with_altchunks(written["text-docx"], {
        "afchunk1.htm": b"<html><body><p>Imported HTML for Hermione Chunkley</p></body></html>",
        "afchunk2.mht": mht("<p>Web archive names Maximilian Müller-Archiv</p>"),
        "afchunk3.rtf": written["text-rtf"],
    })
    seen = outer(tmp_path, "merged.docx", docx)
    assert (seen.status, seen.reason) == ("ok", "")
    assert MARKS.name in seen.text
    assert "Hermione Chunkley" in seen.text
    assert "Maximilian Müller-Archiv" in seen.text
    assert MARKS.commenter in seen.text            # the RTF chunk's comment author
