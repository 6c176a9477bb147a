"""RTF as writers write it: comments and their authors, lists, binary data, text boxes, code pages.

The base document is LibreOffice's RTF export; the constructs it does not write (`\\bin`, a list
override table without `\\*`, a document whose only text is in a text box) are written into it
as Word writes them.
"""
from __future__ import annotations

import pytest

from builders import explore_path
from connectors.extractors.rtf_parse import rtf_text
from format_writers import MARKS


def read(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return explore_path(path, tmp_path / "work")[str(path)]


def _before_last_group_close(rtf: bytes, insert: bytes) -> bytes:
    cut = rtf.rstrip().rfind(b"}")
    return rtf[:cut] + insert + rtf[cut:]


def test_comment_text_and_its_author_are_read(lo_written, tmp_path):
    seen = read(tmp_path, "note.rtf", lo_written["text-rtf"])
    assert b"\\atnauthor" in lo_written["text-rtf"]
    assert (seen.status, seen.mime) == ("ok", "text/rtf")
    for mark in (MARKS.name, MARKS.email, MARKS.commenter, MARKS.comment, MARKS.listed, MARKS.linked):
        assert mark in seen.text
    assert "Times New Roman" not in seen.text and "Symbol" not in seen.text   # the font table stays out


def test_binary_data_is_skipped_by_its_length_and_the_text_after_it_is_read(lo_written, tmp_path):
    picture = bytes(range(256)) * 4 + b"}}}{{{\\par\\'"          # braces, backslashes and control bytes
    inserted = b"{\\pict\\pngblip\\picw10\\pich10\\bin%d " % len(picture) + picture + b"}\\par After the picture Ada Binley\\par"
    seen = read(tmp_path, "bin.rtf", _before_last_group_close(lo_written["text-rtf"], inserted))
    assert (seen.status, seen.reason) == ("ok", "")
    assert "After the picture Ada Binley" in seen.text and MARKS.name in seen.text


def test_list_override_table_written_without_the_ignorable_mark_leaks_nothing(tmp_path):
    rtf = (b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}{\\listtable{\\list\\listtemplateid1{\\listlevel\\levelnfc23"
           b"{\\leveltext\\'01\\'b7;}{\\levelnumbers;}}\\listid1}}{\\listoverridetable{\\listoverride\\listid1"
           b"\\listoverridecount0\\ls1}}\\pard\\ls1{\\listtext\\'b7\\tab}Ivan Listperson\\par\\pard Plain text\\par}")
    seen = read(tmp_path, "list.rtf", rtf)
    assert seen.text.split() == ["Ivan", "Listperson", "Plain", "text"]


def test_a_document_whose_text_is_in_a_text_box_is_not_empty(tmp_path):
    rtf = (b"{\\rtf1\\ansi{\\shp{\\*\\shpinst{\\sp{\\sn fFilled}{\\sv 0}}{\\shptxt\\pard Boxed Esme Framewell\\par}}"
           b"{\\shprslt{\\*\\do\\dobxcolumn}}}}")
    seen = read(tmp_path, "box.rtf", rtf)
    assert (seen.status, seen.text.strip()) == ("ok", "Boxed Esme Framewell")


@pytest.mark.parametrize("rtf, text", [
    (r"{\rtf1\ansi\ansicpg1251 \'c8\'e2\'e0\'ed \'cf\'e5\'f2\'f0\'ee\'e2}", "Иван Петров"),
    (r"{\rtf1\ansi{\fonttbl{\f0\fnil\fcharset134 SimSun;}{\f1 Arial;}}\f0 \'d5\'c5\'c8\'fd\f1  Zhang}", "张三 Zhang"),
    (r"{\rtf1\uc1 Sian Llewellyn, T\u375?\u8217?}", "Sian Llewellyn, Tŷ’"),
    (r"{\rtf1 \u-10179?\u-8704? smile}", "😀 smile"),
    (r"{\rtf1{\info{\author Ann Authorly}{\operator Olly Operator}}Body}", "Ann Authorly\nOlly Operator\nBody"),
    (r"{\rtf1{\header Header Hal}{\footer Footer Fay}Body}", "Header HalFooter FayBody"),
    (r"{\rtf1{\*\unknowndest hidden}{\*\bkmkstart secret}Body}", "Body"),
])
def test_text_decodes_by_code_page_font_charset_and_unicode(rtf, text):
    assert rtf_text(rtf)[0] == text


@pytest.mark.parametrize("rtf", [r"{\rtf1 open", r"{\rtf1 closed}}", "{\\rtf1" + "{" * 1100 + "}" * 1100 + "}"])
def test_broken_structure_is_refused(rtf, tmp_path):
    seen = read(tmp_path, "broken.rtf", rtf.encode())
    assert (seen.status, seen.reason) == ("error", "rtf: not a complete rtf document")
