"""Values of large package parts read once per distinct part (connectors/extractors/properties.py)."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from connectors import Blob, ExploreContext, Limits, Location
from connectors.extractors import properties
from connectors.extractors.office import extract_docx


def _docx(author: str, styles_author: str | None = None) -> bytes:
    document = docx.Document()
    document.core_properties.author = author
    document.add_paragraph("Minutes of the meeting")
    out = io.BytesIO()
    document.save(out)
    if styles_author is None:
        return out.getvalue()
    # The same template's word/styles.xml with one tracked-change author in it: large, and different.
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zin, io.BytesIO() as rewritten:
        with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename == "word/styles.xml":
                    data = data.replace(b"<w:docDefaults>", f'<w:docDefaults w:author="{styles_author}">'.encode(), 1)
                zout.writestr(info, data)
        return rewritten.getvalue()


def _text(data: bytes, tmp_path) -> str:
    blob = Blob(Location(str(tmp_path / "a.docx")), len(data), data=data)
    return "".join(extract_docx(blob, ExploreContext(Limits(), str(tmp_path))).chunks)


def test_a_shared_large_part_is_read_once_and_each_document_keeps_its_own_values(tmp_path):
    properties._LARGE_PARTS.kept.clear()
    plain = [_docx(author) for author in ("Priya Natarajan", "Tomasz Wójcik")]
    with zipfile.ZipFile(io.BytesIO(plain[0])) as z:
        assert z.getinfo("word/styles.xml").file_size >= properties._LargePartValues.MIN_BYTES
    texts = [_text(data, tmp_path) for data in plain + plain]
    assert "Priya Natarajan" in texts[0] and "Tomasz Wójcik" in texts[1] and "Tomasz" not in texts[0]
    assert texts[2:] == texts[:2]
    assert len(properties._LARGE_PARTS.kept) == 1      # the template's styles.xml, kept once
    marked = _text(_docx("Priya Natarajan", styles_author="Margot Ellwood"), tmp_path)
    assert "Author: Margot Ellwood" in marked and "Margot" not in _text(plain[0], tmp_path)
    assert len(properties._LARGE_PARTS.kept) == 2


def _zip(parts: dict[str, bytes], level: int = 6) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in parts.items():   # a fixed time: the local header is part of what is compared
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 9, 30, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED, compresslevel=level)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_the_parts_kept_stay_within_their_bound():
    values = properties._LargePartValues()
    values.MAX_KEPT = 3
    parts = [b'<a w:author="Jane Roe %d"/>' % n + b" " * values.MIN_BYTES for n in range(5)]
    archives = [_zip({"styles.xml": part}) for part in parts]
    for archive, part in list(zip(archives, parts)) * 2:
        assert list(values.values(archive, "styles.xml")) == list(properties._values(part))
    assert 0 < len(values.kept) <= 3
    small = _zip({"styles.xml": b'<a w:author="Jane Roe"/>'})
    assert list(values.values(small, "styles.xml")) == [("Author", "Jane Roe")] and len(values.kept) <= 3


def test_a_part_is_known_again_only_as_zipfile_would_read_it():
    values = properties._LargePartValues()
    part = b'<a w:author="Jane Roe"/>' + b" " * values.MIN_BYTES
    first = _zip({"styles.xml": part})
    assert list(values.values(first, "styles.xml")) == [("Author", "Jane Roe")]
    assert list(values.values(_zip({"styles.xml": part}), "styles.xml")) == [("Author", "Jane Roe")]
    assert len(values.kept) == 1                     # the same stored part: known, not inflated again
    assert list(values.values(_zip({"styles.xml": part}, level=1), "styles.xml")) == [("Author", "Jane Roe")]
    assert len(values.kept) == 2                     # the same bytes stored otherwise: read, then kept
    # The stored part of the first archive with a CRC that no longer matches: zipfile's error, not the values.
    raw = first.fp.getvalue()
    info = first.getinfo("styles.xml")
    directory = raw.rindex(b"PK\x01\x02")
    crc = info.CRC.to_bytes(4, "little")
    damaged = raw[:directory] + raw[directory:].replace(crc, (info.CRC ^ 1).to_bytes(4, "little"), 1)
    with pytest.raises(zipfile.BadZipFile):
        list(values.values(zipfile.ZipFile(io.BytesIO(damaged)), "styles.xml"))
