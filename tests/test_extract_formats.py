"""Each format, built with its real library, read from a real file: the person's data comes out,
fields carry their labels, and the source file is left byte- and mtime-identical."""
from __future__ import annotations

import hashlib
import os

import pytest

from connectors import Blob, ExploreContext, Limits, Location
from connectors.extractors import extractor_for
from connectors.sniff import sniff
from test_extract_samples import BUILDERS, blob_of, build_csv, build_html, make_person

PERSON = make_person()


def ctx_for(tmp_path, **limits) -> ExploreContext:
    return ExploreContext(Limits(**limits), str(tmp_path))


def file_blob(path) -> Blob:
    st = os.stat(path)
    return Blob(Location(str(path)), st.st_size, mtime=st.st_mtime, path=str(path))


def extract_file(path, ctx):
    blob = file_blob(path)
    extractor = extractor_for(sniff(blob), blob)
    assert extractor is not None
    extracted = extractor(blob, ctx)
    text = extracted.text()
    return text, extracted.fields


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_person_comes_out_of_every_format_and_source_is_untouched(fmt, tmp_path):
    path = tmp_path / f"{fmt}-file.bin"          # the extension says nothing: content decides
    path.write_bytes(BUILDERS[fmt](PERSON))
    os.utime(path, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000))
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns)

    text, _fields = extract_file(path, ctx_for(tmp_path))

    assert PERSON.last in text
    assert PERSON.email in text
    assert PERSON.phone in text
    if fmt != "rtf" and fmt != "pdf":
        assert PERSON.first in text
    after = (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns)
    assert after == before


@pytest.mark.parametrize("fmt, sep, labels", [
    ("csv", ",", {"full_name", "email", "mobile"}),
    ("tsv", "\t", {"full_name", "email", "mobile"}),
    ("xlsx", None, {"Name", "Email", "Phone"}),
    ("ods", None, {"Name", "Email", "Phone"}),
    ("vcard", None, {"FN", "N", "EMAIL", "TEL"}),
])
def test_fields_carry_labels_and_point_into_the_text(fmt, sep, labels, tmp_path):
    data = build_csv(PERSON, sep) if sep else BUILDERS[fmt](PERSON)
    blob = blob_of(data)
    extracted = extractor_for(sniff(blob), blob)(blob, ctx_for(tmp_path))
    text = extracted.text()                      # fields fill in as chunks are read
    by_label = {f.label: f for f in extracted.fields}
    assert labels <= set(by_label)
    for field in extracted.fields:
        assert text[field.start:field.start + len(field.value)] == field.value
    email_label = next(lbl for lbl in labels if lbl.lower() == "email")
    assert by_label[email_label].value == PERSON.email
    assert all(f.value != f.label for f in extracted.fields)   # the header row is labels, not values


def test_csv_cells_do_not_run_together(tmp_path):
    blob = blob_of(b"a,b\n01482,420150\n")
    text = extractor_for("text/csv", blob)(blob, ctx_for(tmp_path)).text()
    assert "01482420150" not in text
    assert "01482" in text and "420150" in text


def test_vcard_name_is_written_in_prose_order(tmp_path):
    blob = blob_of(BUILDERS["vcard"](PERSON))
    extracted = extractor_for("text/vcard", blob)(blob, ctx_for(tmp_path))
    names = [f.value for f in extracted.fields if f.label == "N"]
    assert names == [PERSON.name]


def test_html_drops_script_and_style_keeps_links(tmp_path):
    blob = blob_of(build_html(PERSON))
    text = extractor_for("text/html", blob)(blob, ctx_for(tmp_path)).text()
    assert f"{PERSON.last}Script" not in text
    assert "color:red" not in text
    assert PERSON.email in text and "Staff" in text


def test_docx_header_table_and_pptx_notes_are_read(tmp_path):
    blob = blob_of(BUILDERS["docx"](PERSON))
    text = extractor_for(sniff(blob), blob)(blob, ctx_for(tmp_path)).text()
    assert f"Prepared for {PERSON.last}" in text
    assert "Write to our office" in text and f"{PERSON.first}@example.net" in text   # link text and target
    pptx = blob_of(BUILDERS["pptx"](PERSON))
    text = extractor_for(sniff(pptx), pptx)(pptx, ctx_for(tmp_path)).text()
    assert "call back tomorrow" in text and "box" in text


def test_large_plain_text_is_streamed_in_pieces(tmp_path):
    path = tmp_path / "big.txt"
    line = f"{PERSON.name} <{PERSON.email}>\n".encode()
    path.write_bytes(line * (3 * 1024 * 1024 // len(line)))
    blob = file_blob(path)
    pieces = list(extractor_for(sniff(blob), blob)(blob, ctx_for(tmp_path)).chunks)
    assert len(pieces) >= 3
    assert max(len(p) for p in pieces) <= 1024 * 1024
    assert "".join(pieces).count(PERSON.email) == 3 * 1024 * 1024 // len(line)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "vcard"])
def test_fields_of_the_first_unit_are_there_before_the_text_is_read(fmt, tmp_path):
    blob = blob_of(BUILDERS[fmt](PERSON))
    extracted = extractor_for(sniff(blob), blob)(blob, ctx_for(tmp_path))
    assert PERSON.email in {f.value for f in extracted.fields}


def test_csv_fields_past_the_first_unit_arrive_as_chunks_are_read(tmp_path):
    rows = "".join(f"{i},{PERSON.email}\n" for i in range(5000))
    blob = blob_of(f"id,email\n{rows}".encode())
    extracted = extractor_for("text/csv", blob)(blob, ctx_for(tmp_path, chunk_chars=1000))
    early = len(extracted.fields)
    text = extracted.text()
    assert 0 < early < 5000 * 2 and len(extracted.fields) == 5000 * 2
    assert all(text[f.start:f.start + len(f.value)] == f.value for f in extracted.fields)
