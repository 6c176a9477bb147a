""".doc (Word 97-2003) and .xls (Excel 97-2003): a person planted by real writers comes out, in
every part of the file, alone and inside a zip; damaged and encrypted copies become rows with
reasons and never stop a scan."""
from __future__ import annotations

import datetime
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import make_person, make_zip
from connectors import Blob, ExploreContext, Limits, Location
from connectors.containers import container_for
from connectors.errors import ConnectorError, CorruptError, EncryptedError, UnsupportedError
from connectors.extractors import extractor_for
from connectors.extractors.excel97 import extract_xls
from connectors.extractors.word97 import MAX_PIECES, WordText, document_text, extract_doc, read_fib
from connectors.sniff import sniff
from core_helpers import OUTLOOK_FIXTURES, cli_json
from legacy_office import (NO_SOFFICE, SOFFICE, WELSH, clx_pair_offset, cv_html, libreoffice_convert,
                           long_html, long_xls, noted_fods, payroll_xls, repiece, retype_xls_record,
                           rewrite_stream, set_doc_encrypted, streams, word97_documents)

PERSON = make_person(3)
AUTHOR = make_person(4).name
START = datetime.date(2019, 9, 2)
KINDS = ["doc", "xls"]


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, bytes]:
    if SOFFICE is None:
        pytest.skip(NO_SOFFICE)
    return word97_documents({"cv": cv_html(PERSON, AUTHOR), "long": long_html(1500)},
                            str(tmp_path_factory.mktemp("word97")))


@pytest.fixture(scope="module")
def xls() -> bytes:
    return payroll_xls(PERSON, START)


def sample(kind: str, request) -> bytes:
    """The real file of that kind (a .doc only where LibreOffice is installed: skipped otherwise)."""
    return request.getfixturevalue("docs")["cv"] if kind == "doc" else request.getfixturevalue("xls")


def blob_of(data: bytes, name: str = "file") -> Blob:
    return Blob(Location(f"/mem/{name}"), len(data), data=data)


def extract(data: bytes, **limits):
    blob = blob_of(data)
    extractor = extractor_for(sniff(blob), blob)
    assert extractor is not None, sniff(blob)
    extracted = extractor(blob, ExploreContext(Limits(**limits), "/tmp"))
    return extracted.text(), extracted.fields


# --- .doc -------------------------------------------------------------------------------------

def test_doc_gives_paragraphs_table_cells_link_text_and_author(docs):
    assert sniff(blob_of(docs["cv"])) == "application/msword"
    text, _ = extract(docs["cv"])
    assert f"Home address: {PERSON.address}." in text                        # a paragraph
    assert f"{PERSON.name}\t{PERSON.email}\t{PERSON.phone}\n" in text        # a table row, cell by cell
    assert f"Email {PERSON.name} at home" in text                           # a hyperlink's result
    assert f"\n{AUTHOR}\n" in text                                          # the author property
    assert WELSH in text                                                    # UTF-16 text
    assert "HYPERLINK" not in text and "\x07" not in text and "\x13" not in text


def test_doc_pieces_in_any_order_and_encoding_read_as_one_text(docs):
    """LibreOffice writes one UTF-16 piece; Word writes many, cp1252 ones too (fast saves more)."""
    word, table = streams(docs["cv"], "WordDocument", "1Table")
    fib = read_fib(word)
    original = "".join(document_text(word, table, fib))
    whole = _raw_text(word, table)
    # Cut after every mark (a row's two cell marks, a field's parts, land in different pieces)
    # and around the characters cp1252 lacks, so both kinds of piece occur.
    cuts = [i + 1 for i, c in enumerate(whole) if c in "\x07\x13\x14\x15\r"]
    cuts += [i + d for i, c in enumerate(whole) if ord(c) > 0xFF for d in (0, 1)]
    new_word, new_table = repiece(word, table, whole, cuts)
    assert "".join(document_text(new_word, new_table, read_fib(new_word))) == original
    assert len(cuts) > 10


def _raw_text(word: bytes, table: bytes) -> str:
    from connectors.extractors.word97 import clx_of, piece_chars, piece_table
    pieces = piece_table(clx_of(table, read_fib(word)), len(word))
    return "".join("".join(piece_chars(word, p)) for p in pieces)


@pytest.mark.parametrize("raw, expected", [
    ("a\x13 PAGE \x144\x15b", "a4b"),                                           # result kept
    ("a\x13 TOC \x15b", "ab"),                                                  # no result: nothing
    ("\x13 IF \x13 MERGEFIELD x \x14Jo\x15 = 1 \x14yes\x15", "yes"),            # nested in instruction
    ("\x13 HYPERLINK \"x\" \x14go \x13 PAGE \x142\x15!\x15", "go 2!"),          # nested in result
    ("stray\x15 end\x14", "stray end"),
    ("A\x07B\x07\x07C\x07\x07", "A\tB\nC\n"),
    ("line\x0bbreak\x0cpage\rpara\x01\x08\x02pic\x1enb\x1fsoft\xa0space",
     "line\nbreak\npage\nparapic-nbsoft space"),
])
def test_word_marks_become_plain_text(raw, expected):
    marks = WordText()
    assert "".join(marks.feed(c) for c in raw) + marks.finish() == expected       # char by char
    marks = WordText()
    assert marks.feed(raw) + marks.finish() == expected


def test_mailto_targets_are_kept_from_the_dropped_instructions():
    marks = WordText()
    marks.feed('\x13 HYPERLINK "mailto:a.b@example.co.uk?subject=x" \x14write\x15 ')
    marks.feed('\x13HYPERLINK \\l "tel:01632960')
    marks.feed('123"\x14call\x15')
    assert marks.links == ["a.b@example.co.uk", "01632960123"]


def test_fields_nested_past_the_limit_are_tracked_not_kept():
    marks = WordText()
    assert marks.feed("\x13 A \x14" * 100 + "x" + "\x15" * 100 + "after") == "after"


def test_a_large_doc_named_only_as_ole_storage_is_still_read(docs):
    blob = blob_of(docs["long"])
    assert len(docs["long"]) > 64 * 1024 and sniff(blob) in ("application/x-ole-storage", "application/CDFV2")
    assert extractor_for(sniff(blob), blob) is extract_doc
    text, _ = extract(docs["long"])
    assert "Line 0 of a long" in text and "Line 1499 of a long" in text


def test_doc_encrypted_flag_raises_encrypted_error(docs, tmp_path):
    data = rewrite_stream(docs["cv"], "WordDocument", set_doc_encrypted, tmp_path)
    with pytest.raises(EncryptedError):
        extract(data)


def _set(word: bytearray, at: int, value: int, size: int = 4) -> None:
    word[at:at + size] = value.to_bytes(size, "little")


FIB_LIES = {   # name: (edit of the FIB, given the table stream's length), expected error and reason
    "no Word ident": (lambda w, n: _set(w, 0, 0, 2), CorruptError, "doc: not a Word document"),
    "Word 95 nFib": (lambda w, n: _set(w, 2, 104, 2), UnsupportedError, "doc: Word 6/95"),
    "CLX past the end": (lambda w, n: _set(w, clx_pair_offset(w), n), CorruptError,
                         "doc: piece table beyond the table stream"),
    "no CLX": (lambda w, n: _set(w, clx_pair_offset(w) + 4, 0), CorruptError, "doc: no piece table"),
    "CLX is the whole table": (lambda w, n: (_set(w, clx_pair_offset(w), 0),
                                             _set(w, clx_pair_offset(w) + 4, n)), CorruptError, "doc: "),
}


@pytest.mark.parametrize("lie", sorted(FIB_LIES))
def test_doc_fib_that_lies_is_refused(docs, lie):
    edit, error, reason = FIB_LIES[lie]
    word, table = streams(docs["cv"], "WordDocument", "1Table")
    word = bytearray(word)
    edit(word, len(table))
    with pytest.raises(error) as exc:
        "".join(document_text(bytes(word), table, read_fib(bytes(word))))
    assert str(exc.value).startswith(reason)


def _piece_table(count: int, fc: int = 0, cps=None) -> bytes:
    cps = cps or list(range(count + 1))
    pcd = b"\x00\x00" + fc.to_bytes(4, "little") + b"\x00\x00"
    plc = b"".join(c.to_bytes(4, "little") for c in cps) + pcd * count
    return b"\x02" + len(plc).to_bytes(4, "little") + plc


@pytest.mark.parametrize("clx, reason", [
    (_piece_table(MAX_PIECES + 1), f"more than {MAX_PIECES} pieces"),
    (_piece_table(1, fc=10**6), "piece beyond the document stream"),
    (_piece_table(1, fc=0x40000000 | 2 * 10**6), "piece beyond the document stream"),
    (_piece_table(2, cps=[0, 5, 3]), "piece table out of order"),
    (_piece_table(1, cps=[0, 10**7]), "piece table out of order"),
    (b"\x01\x05\x00ab", "piece table cut short"),
    (b"\x01\xff\xff" + _piece_table(1), "bad property entry in the piece table"),
    (b"\x02\xff\xff\x00\x00" + b"\x00" * 16, "piece table of a wrong size"),
    (b"\x03" + _piece_table(1), "no piece table"),
])
def test_hostile_piece_tables_are_corrupt(docs, clx, reason):
    word, table = streams(docs["cv"], "WordDocument", "1Table")
    word = bytearray(word)
    _set(word, clx_pair_offset(word), len(table))
    _set(word, clx_pair_offset(word) + 4, len(clx))
    with pytest.raises(CorruptError) as exc:
        "".join(document_text(bytes(word), table + clx, read_fib(bytes(word))))
    assert str(exc.value) == f"doc: {reason}"


# --- .xls -------------------------------------------------------------------------------------

def test_xls_gives_every_sheet_with_dates_numbers_and_labelled_fields(xls):
    assert sniff(blob_of(xls)) == "application/vnd.ms-excel"
    text, fields = extract(xls)
    assert text.startswith("Staff\nName | Email | Start date | Salary | Mobile\n")
    assert f"{PERSON.name} | {PERSON.email} | 2019-09-02 | 28450.5 | 7700900123\n" in text
    assert f"Payroll\nEmployee email | Postcode\n{PERSON.email} | {PERSON.postcode}\n" in text
    assert WELSH in text
    by_label = {f.label: f for f in reversed(fields)}     # the first of each label
    assert by_label["Name"].value == PERSON.name and by_label["Email"].value == PERSON.email
    assert by_label["Employee email"].value == PERSON.email
    for f in fields:
        assert text[f.start:f.start + len(f.value)] == f.value


def test_xls_cell_notes_and_link_targets_come_out(tmp_path):
    if SOFFICE is None:
        pytest.skip(NO_SOFFICE)
    data = libreoffice_convert({"calls": noted_fods(PERSON, AUTHOR)}, "fods", "xls:MS Excel 97",
                               str(tmp_path))
    if "calls" not in data:
        pytest.skip("LibreOffice Calc (Debian libreoffice-calc-nogui), which writes this .xls, is missing")
    text, _ = extract(data["calls"])
    assert f"{PERSON.name} | email\n" in text
    assert f"\n{AUTHOR}\nRang on {PERSON.phone}\n" in text         # the note's author and text
    assert f"\n{PERSON.email}\n" in text                           # the address behind "email"


def test_a_large_xls_named_only_as_ole_storage_is_still_read():
    data = long_xls(5000)
    blob = blob_of(data)
    assert sniff(blob) in ("application/x-ole-storage", "application/CDFV2")
    assert extractor_for(sniff(blob), blob) is extract_xls
    text, _ = extract(data)
    assert "entry 4999 | 6248.75" in text


def test_xls_with_a_filepass_record_raises_encrypted_error(xls, tmp_path):
    # xlwt cannot encrypt; a FILEPASS record (0x2F) in the globals is what marks an encrypted workbook.
    data = rewrite_stream(xls, "Workbook", lambda s: retype_xls_record(s, 0x5C, 0x2F), tmp_path)
    with pytest.raises(EncryptedError) as exc:
        extract(data)
    assert str(exc.value) == "xls: password protected"


# --- both -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_text_limit_keeps_the_start(kind, request):
    text, _ = extract(sample(kind, request), max_text_bytes=20)
    assert len(text) == 20


def _damaged(kind: str, how: str, data: bytes, tmp_path) -> bytes:
    noise = random.Random(f"{kind}-{how}")
    scribble = lambda s: bytearray(noise.randbytes(len(s)))   # noqa: E731
    if how == "truncated":
        return data[:len(data) // 2]
    if how == "garbled head":           # the FIB / the workbook's first records
        return rewrite_stream(data, "WordDocument" if kind == "doc" else "Workbook",
                              lambda s: scribble(s[:512]) + s[512:], tmp_path)
    if how == "garbled table":           # the table stream / the whole workbook stream
        return rewrite_stream(data, "1Table" if kind == "doc" else "Workbook", scribble, tmp_path)
    return data[:512] + bytes(noise.randbytes(len(data) - 512))   # the compound file's FAT and directory


DAMAGE = ["truncated", "garbled head", "garbled table", "garbled container"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_copies_raise_our_errors_with_reasons_that_quote_nothing(kind, how, request, tmp_path):
    data = _damaged(kind, how, sample(kind, request), tmp_path)
    blob = blob_of(data)
    extractor = extract_doc if kind == "doc" else extract_xls
    with pytest.raises(ConnectorError) as exc:
        extractor(blob, ExploreContext(Limits(), str(tmp_path))).text()
    reason = str(exc.value)
    assert reason.startswith(f"{kind}: ")
    assert PERSON.email not in reason and PERSON.name.split()[-1] not in reason


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
               HealthCheck.function_scoped_fixture], derandomize=True)


@st.composite
def flipped(draw, data: bytes, start: int = 0, end: int | None = None) -> bytes:
    """`data` with up to 16 bytes in [start, end) set at random, and maybe cut."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        out[draw(st.integers(start, (end or len(out)) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        out = out[:draw(st.integers(0, len(out)))]
    return bytes(out)


@pytest.mark.parametrize("kind", KINDS)
def test_mutated_files_raise_only_our_errors(kind, request):
    extractor, real = (extract_doc if kind == "doc" else extract_xls), sample(kind, request)

    @FUZZ
    @given(st.data())
    def check(data):
        mutated = data.draw(flipped(real))
        try:
            extracted = extractor(blob_of(mutated), ExploreContext(Limits(max_text_bytes=200_000), "/tmp"))
            assert all(isinstance(chunk, str) for chunk in extracted.chunks)
        except ConnectorError as exc:
            assert PERSON.email not in str(exc)

    check()


def test_mutated_fib_and_piece_table_raise_only_our_errors(docs):
    word, table = streams(docs["cv"], "WordDocument", "1Table")
    fib = read_fib(word)

    @FUZZ
    @given(st.data())
    def check(data):
        new_word = data.draw(flipped(word, 0, clx_pair_offset(word) + 8))
        new_table = data.draw(flipped(table, fib.fc_clx, fib.fc_clx + fib.lcb_clx))
        try:
            "".join(document_text(new_word, new_table, read_fib(new_word)))
        except ConnectorError as exc:
            assert str(exc).startswith("doc: ")

    check()


def test_outlook_messages_stay_with_their_container():
    names = [n for n in ("note.msg", "contact-plain.msg", "200-recipients.pst")
             if os.path.exists(os.path.join(OUTLOOK_FIXTURES, n))]
    if not names:
        pytest.skip("shared Outlook fixtures not present")
    for name in names:
        path = os.path.join(OUTLOOK_FIXTURES, name)
        blob = Blob(Location(path), os.path.getsize(path), path=path)
        assert container_for(sniff(blob), blob) is not None, name
        assert extractor_for("application/x-ole-storage", blob) is None, name


@pytest.mark.slow
def test_scan_finds_both_files_alone_and_in_a_zip_and_records_damaged_copies(xls, request, tmp_path):
    """Where LibreOffice is missing only the .xls half runs (the .doc tests say why they skip)."""
    from scanner.config import ScanConfig
    from scanner.inventory import open_inventory
    from scanner.scan import run_scan

    real = {"payroll.xls": xls}
    encrypted = {"encrypted.xls": rewrite_stream(xls, "Workbook", lambda s: retype_xls_record(s, 0x5C, 0x2F),
                                                 tmp_path)}
    if SOFFICE is not None:
        real["cv.doc"] = sample("doc", request)
        encrypted["encrypted.doc"] = rewrite_stream(real["cv.doc"], "WordDocument", set_doc_encrypted,
                                                    tmp_path)
    share = tmp_path / "share"
    (share / "damaged").mkdir(parents=True)
    damaged = {f"{how.replace(' ', '-')}-{name}": _damaged(name[-3:], how, data, tmp_path)
               for name, data in real.items() for how in DAMAGE} | encrypted
    for name, data in real.items():
        (share / name).write_bytes(data)
    for name, data in damaged.items():
        (share / "damaged" / name).write_bytes(data)
    make_zip(share / "old.zip", {f"2019/{name}": data for name, data in real.items()})

    summary = run_scan([str(share)], ScanConfig(inventory=str(tmp_path / "inv"), workers=1))
    assert summary.status == "completed"

    rows = cli_json(["find", "--email", PERSON.email.upper(), "-i", str(tmp_path / "inv"), "-f", "json"])
    assert sorted(r["location"] for r in rows) == sorted(
        [f"{share}/{name}" for name in real] + [f"{share}/old.zip!/2019/{name}" for name in real])
    assert all(r["status"] == "ok" for r in rows)

    reader = open_inventory(str(tmp_path / "inv"))
    statuses = {uri: (status, reason) for uri, status, reason in
                reader.query("SELECT uri, status, reason FROM locations")}
    reader.close()
    for name in damaged:
        status, reason = statuses[f"{share}/damaged/{name}"]
        assert status in ("error", "skipped", "encrypted") and reason, (name, status, reason)
    for name in encrypted:
        assert statuses[f"{share}/damaged/{name}"] == ("encrypted", f"{name[-3:]}: password protected")
