"""Encodings, limits, hostile and damaged input: only our own errors, with reasons that quote nothing."""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from connectors import ExploreContext, LimitExceeded, Limits
from connectors.errors import ConnectorError, CorruptError, EncryptedError
from connectors.extractors import extractor_for
from connectors.sniff import sniff
from test_extract_samples import BUILDERS, EXPECTED_MIME, blob_of, build_pdf, make_person

PERSON = make_person(11)
LAUGHS = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
    f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10))   # 10^10 characters if expanded
TEXT = f"Name: {PERSON.name}\nEmail: {PERSON.email}\nCafé £5 – naïve\n"


def run(data: bytes, mime: str | None = None, **limits):
    blob = blob_of(data)
    extracted = extractor_for(mime or sniff(blob), blob)(blob, ExploreContext(Limits(**limits), "/tmp"))
    return extracted.text(), extracted.fields


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_plain_text_decodes_in_every_common_encoding(encoding):
    text, _ = run((TEXT * 3).encode(encoding))
    assert text.replace("\r", "") == TEXT * 3


@pytest.mark.parametrize("text, encoding", [
    ("Иван Петров, телефон 8 912 345 67 89, улица Ленина, дом 5\n", "cp1251"),
    ("山田太郎 東京都千代田区 電話番号 03-1234-5678\n", "shift_jis"),
    ("Mr O’Neill owes £250 to Mrs Brontë.\n", "cp1252"),
])
def test_legacy_encodings_are_recognised(text, encoding):
    decoded, _ = run(text.encode(encoding), "text/plain")
    assert decoded == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_html_without_a_declared_charset_decodes_right(encoding):
    text, _ = run(f"<html><body><p>Zoë Brontë £5 {PERSON.name}</p></body></html>".encode(encoding), "text/html")
    assert text.strip() == f"Zoë Brontë £5 {PERSON.name}"


def test_latin1_reads_as_cp1252_superset():
    text, _ = run("Ms Zoë Brontë, Flat 1\n".encode("latin-1"))
    assert text == "Ms Zoë Brontë, Flat 1\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "cp1252"])
def test_csv_in_other_encodings_keeps_fields(encoding):
    data = f"name,email\n{PERSON.name} Brontë,{PERSON.email}\n".encode(encoding)
    text, fields = run(data)
    assert f"{PERSON.name} Brontë" in text
    expected = [("name", f"{PERSON.name} Brontë"), ("email", PERSON.email)]
    assert [(f.label, f.value) for f in fields] == expected


def test_json_lines_and_broken_json_still_give_their_values():
    lines = b"".join(b'{"email": "%s", "n": %d}\n' % (PERSON.email.encode(), i) for i in range(3))
    text, fields = run(lines, "application/json")
    assert text.count(PERSON.email) == 3 and {f.label for f in fields} == {"email", "n"}
    text, _ = run(BUILDERS["json"](PERSON)[:-10], "application/json")
    assert PERSON.email in text


def test_json_over_the_text_limit_is_streamed_as_strings():
    data = b"[" + b",".join(b'{"email": "%s"}' % PERSON.email.encode() for _ in range(5000)) + b"]"
    text, fields = run(data, "application/json", max_text_bytes=10_000)
    assert text.count(PERSON.email) == 5000 and not fields


def test_xml_billion_laughs_and_external_entities_are_harmless(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE")
    ents = LAUGHS
    bomb = f'<?xml version="1.0"?><!DOCTYPE x [{ents}]><x>&a9;</x>'.encode()
    started = time.monotonic()
    text, _ = run(bomb)
    assert time.monotonic() - started < 5 and len(text) < 10_000_000
    xxe = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><x>&e; ok</x>'.encode()
    text, _ = run(xxe)
    assert "TOPSECRETVALUE" not in text and "ok" in text


def test_truncated_xml_and_html_give_the_text_before_the_cut():
    data = BUILDERS["xml"](PERSON)
    text, _ = run(data[: data.index(b"</name>")], "text/xml")
    assert PERSON.name in text and PERSON.email in text


def _bomb_docx(inflated: int) -> bytes:
    buf = io.BytesIO(BUILDERS["docx"](PERSON))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/padding.bin", b"\0" * inflated)
    return buf.getvalue()


def test_office_zip_bomb_is_refused_before_inflating():
    with pytest.raises(LimitExceeded) as exc:
        run(_bomb_docx(20 * 1024 * 1024))
    assert exc.value.limit == "max_ratio"
    with pytest.raises(LimitExceeded) as exc:
        run(BUILDERS["xlsx"](PERSON), max_member_bytes=2000)
    assert exc.value.limit == "max_member_bytes"


@pytest.mark.parametrize("fmt", ["docx", "pptx", "odt", "pdf", "xlsx", "ods", "rtf"])
def test_text_limit_keeps_the_start_and_stops(fmt):
    text, _ = run(BUILDERS[fmt](PERSON), max_text_bytes=20)
    assert len(text) == 20


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pptx", "odt", "ods", "pdf", "rtf"])
@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_damaged_files_raise_corrupt_error_with_a_clean_reason(fmt, damage):
    data = BUILDERS[fmt](PERSON)
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:  # keep the format's opening bytes, garble the rest
        data = data[:8] + bytes(b ^ 0x5A for b in data[8:])
    mime = EXPECTED_MIME[fmt]
    with pytest.raises(CorruptError) as exc:
        run(data, mime)
    reason = str(exc.value)
    assert reason.startswith(f"{fmt}: ")
    assert PERSON.last not in reason and PERSON.email not in reason


def test_encrypted_pdf_raises_encrypted_error():
    with pytest.raises(EncryptedError):
        run(build_pdf(PERSON, encrypt=True))


def test_encrypted_zip_part_raises_encrypted_error():
    data = bytearray(BUILDERS["docx"](PERSON))
    # Set the "encrypted" flag bit on every central-directory entry.
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        data[pos + 8] |= 0x1
        pos += 4
    with pytest.raises(EncryptedError):
        run(bytes(data), EXPECTED_MIME["docx"])


def test_every_error_is_ours():
    for fmt in BUILDERS:
        for data in (b"", b"\x00" * 100, b"PK\x03\x04" + b"\xff" * 100):
            try:
                run(data, EXPECTED_MIME[fmt])
            except (ConnectorError, LimitExceeded):
                pass


def _docx_with_body(document_xml: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(BUILDERS["docx"](PERSON)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = document_xml.encode() if info.filename == "word/document.xml" else src.read(info.filename)
            zf.writestr(info.filename, body)
    return out.getvalue()


def test_office_xml_entities_are_never_expanded_or_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = '<w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body>'
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]>'
           f'<w:document {ns}>{body.format("&e;")}</w:document>')
    text, _ = run(_docx_with_body(xxe), EXPECTED_MIME["docx"])
    assert "TOPSECRETVALUE" not in text
    ents = LAUGHS
    laughs = f'<?xml version="1.0"?><!DOCTYPE d [{ents}]><w:document {ns}>{body.format("&a9;")}</w:document>'
    started = time.monotonic()
    try:
        text, _ = run(_docx_with_body(laughs), EXPECTED_MIME["docx"])
        assert len(text) < 10_000_000
    except CorruptError:
        pass
    assert time.monotonic() - started < 5


def test_xlsx_claiming_the_whole_grid_costs_only_its_real_cells():
    src = zipfile.ZipFile(io.BytesIO(BUILDERS["xlsx"](PERSON)))
    sheet = src.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', sheet)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>last cell</t></is></c></row>'
    sheet = sheet.replace("</sheetData>", far + "</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = sheet if info.filename.endswith("sheet1.xml") else src.read(info.filename)
            zf.writestr(info.filename, body)
    started = time.monotonic()
    text, fields = run(out.getvalue(), EXPECTED_MIME["xlsx"])
    assert time.monotonic() - started < 20
    assert PERSON.email in text and "last cell" in text and len(text) < 1000
    assert ("column 16384", "last cell") in {(f.label, f.value) for f in fields}
