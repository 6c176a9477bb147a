"""Values of large package parts read once per distinct part (connectors/extractors/properties.py)."""
from __future__ import annotations

import io
import zipfile

import docx

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


def test_the_parts_held_stay_within_their_bound():
    values = properties._LargePartValues()
    values.MAX_HELD = 3 * values.MIN_BYTES
    parts = [b'<a w:author="Jane Roe %d"/>' % n + b" " * values.MIN_BYTES for n in range(5)]
    for part in parts + parts:
        assert list(values.values(part)) == list(properties._values(part))
    assert 0 < values.held <= values.MAX_HELD and len(values.kept) <= 3
    small = b'<a w:author="Jane Roe"/>'
    assert list(values.values(small)) == [("Author", "Jane Roe")] and small not in values.kept
