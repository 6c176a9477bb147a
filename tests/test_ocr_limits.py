"""Issue 20: each OCR limit, the switches, and hostile images (bomb, truncated), through the connector stack."""
from __future__ import annotations

import struct
import subprocess
import sys
import zlib

import pytest

from builders import explore_path, make_zip
from connectors import Blob, ExploreContext, Limits, Location, explore
from connectors.ocr.fixups import repair_identifiers
from scans import image_bytes, image_only_pdf, multipage_tiff, render_lines
from scanner.daemon.config import daemon_config_from_dict

EMAIL = "odette.fairburn@example.org"


def _letter(tag: str):
    """A page unique to `tag`, so no earlier test's recognised copy is reused from the process cache."""
    return render_lines([f"Reference {tag}", f"Email {EMAIL}"], size=(900, 200))


def _items(data: bytes, name: str, tmp_path, **limits) -> list:
    """(item, text or None, pages) for every item, extracted while the item is valid."""
    ctx = ExploreContext(Limits(**limits), str(tmp_path))
    out = []
    for item in explore(Blob(Location(f"/in/{name}"), len(data), data=data), ctx):
        text, pages = None, []
        if item.extract is not None and item.status == "ok":
            try:
                extracted = item.extract()
                text, pages = extracted.text(), extracted.pages
            except Exception as exc:  # the analyser records this as the item's status
                from connectors.dispatch import safe_reason, status_of
                item.status, item.reason = status_of(exc), safe_reason(exc)
        out.append((item, text, pages))
    return out


def test_an_image_is_read_and_its_text_starts_page_1(tmp_path):
    [(item, text, pages)] = _items(image_bytes(_letter("png-1"), "PNG"), "scan.png", tmp_path)
    assert item.status == "ok" and EMAIL in text
    assert [(p.page, p.ocr) for p in pages] == [(1, True)]


def test_an_image_over_ocr_max_image_pixels_is_skipped_undecoded(tmp_path):
    [(item, text, _)] = _items(image_bytes(_letter("pixels"), "PNG"), "big.png", tmp_path,
                               ocr_max_image_pixels=100_000)
    assert (item.status, item.reason) == ("skipped", "limit: ocr_max_image_pixels (900x200 pixels)")
    assert text is None


def test_tiff_pages_past_ocr_max_pages_are_recorded_not_read(tmp_path):
    tiff = multipage_tiff([_letter("tiff-1"), _letter("tiff-2"), _letter("tiff-3")])
    [(item, text, pages)] = _items(tiff, "fax.tif", tmp_path, ocr_max_pages=2)
    assert item.status == "ok" and text.count(EMAIL) == 2
    assert [(p.page, p.note) for p in pages] == [
        (1, ""), (2, ""), (3, "limit: ocr_max_pages (pages 3-3 not read)")]


def test_pdf_pages_past_ocr_max_pages_are_recorded_not_read(tmp_path):
    pdf = image_only_pdf([_letter("pdf-1"), _letter("pdf-2")])
    [(item, text, pages)] = _items(pdf, "scan.pdf", tmp_path, ocr_max_pages=1)
    assert text.count(EMAIL) == 1
    assert [(p.page, p.ocr, p.note) for p in pages] == [(1, True, ""), (2, True, "limit: ocr_max_pages")]


def test_a_page_over_ocr_page_timeout_s_is_recorded(tmp_path):
    [(item, _, _)] = _items(image_bytes(_letter("timeout"), "PNG"), "slow.png", tmp_path,
                            ocr_page_timeout_s=0.001)
    assert (item.status, item.reason) == ("skipped", "limit: ocr_page_timeout_s (0.001 s)")


def test_ocr_off_records_images_unread_and_pdfs_keep_their_text_layer_only(tmp_path):
    [(image, _, _)] = _items(image_bytes(_letter("off-1"), "PNG"), "scan.png", tmp_path, ocr=False)
    assert (image.status, image.reason) == ("skipped", "image: OCR is off (--no-ocr)")
    [(pdf, text, pages)] = _items(image_only_pdf([_letter("off-2")]), "scan.pdf", tmp_path, ocr=False)
    assert pdf.status == "ok" and EMAIL not in text and not any(p.ocr for p in pages)


def test_the_daemon_config_switch_turns_ocr_off():
    config = daemon_config_from_dict({"roots": [{"path": "/srv/share"}], "limits": {"ocr": False}})
    assert config.scan.limits.ocr is False
    with pytest.raises(Exception, match="ocr: expected bool"):
        daemon_config_from_dict({"roots": [{"path": "/srv/share"}], "limits": {"ocr": 0}})


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height greyscale pixels and holds a few compressed bytes of them."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100_000))
            + chunk(b"IEND", b""))


def test_hostile_images_are_recorded_and_the_scan_goes_on(tmp_path):
    jpeg = image_bytes(_letter("hostile").convert("RGB"), "JPEG")
    archive = tmp_path / "hostile.zip"
    make_zip(archive, {"bomb.png": _png_header_only(50_000, 50_000), "truncated.jpg": jpeg[: len(jpeg) // 2],
                       "garbage.png": b"\x89PNG\r\n\x1a\n" + b"\xff" * 200, "good.jpg": jpeg})
    seen = explore_path(archive, str(tmp_path / "tmp"))
    status = {uri.rsplit("!/", 1)[-1]: (s.status, s.reason) for uri, s in seen.items() if "!/" in uri}
    assert status["bomb.png"] == ("skipped", "limit: ocr_max_image_pixels (decompression bomb)")
    assert status["truncated.jpg"] == ("error", "image: truncated or damaged")
    assert status["garbage.png"][0] in ("error", "skipped")      # libmagic may not call it a PNG at all
    assert status["good.jpg"] == ("ok", "")
    assert EMAIL in seen[f"{archive}!/good.jpg"].text


@pytest.mark.parametrize("side, reason", [
    (50_000, "limit: ocr_max_image_pixels (decompression bomb)"),            # Pillow's own refusal
    (8_000, "limit: ocr_max_image_pixels (8000x8000 pixels)")])               # under Pillow's, over ours
def test_a_decompression_bomb_is_refused_within_bounded_memory(tmp_path, side, reason):
    """In a child capped at 1 GB of address space (decoding the 2.5 GB bomb there would fail): refused unread."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(side, side))
    code = ("import resource, sys, tempfile\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from connectors import Blob, ExploreContext, Limits, Location, explore\n"
            f"p = {str(bomb)!r}\n"
            "import os\n"
            "items = list(explore(Blob(Location(p), os.path.getsize(p), path=p), ExploreContext(Limits(), tempfile.mkdtemp())))\n"
            "try:\n    items[0].extract()\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert done.stdout.strip() == f"LimitExceeded {reason}", done.stderr


@pytest.mark.parametrize("ocr_text, repaired", [
    ("Postcode HU13 OGD", "Postcode HU13 0GD"), ("SW1A IAA", "SW1A 1AA"), ("M1 SAE", "M1 5AE"),
    ("HU13 0GD", "HU13 0GD"), ("TO BE OK", "TO BE OK"), ("OGD only", "OGD only")])
def test_ocr_letter_digit_confusions_in_postcodes_are_repaired(ocr_text, repaired):
    assert repair_identifiers(ocr_text) == repaired
