"""Issue 20: every image format, pictures in office documents and mail, and the engine loading offline."""
from __future__ import annotations

import io
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image

from builders import make_zip
from connectors import Blob, ExploreContext, Limits, Location, explore
from scans import image_bytes, render_lines

ROOT = Path(__file__).resolve().parents[1]
PHONE = "01632 960 427"


def _card(tag: str):
    return render_lines([f"Card {tag}", f"Tel {PHONE}"], size=(800, 160))     # over the icon size (120,000 px)


def _texts(data: bytes, name: str, tmp_path, **limits) -> dict[str, tuple]:
    ctx = ExploreContext(Limits(**limits), str(tmp_path))
    out = {}
    for item in explore(Blob(Location(f"/in/{name}"), len(data), data=data), ctx):
        extracted = item.extract() if item.extract is not None and item.status == "ok" else None
        out[item.location.uri] = (item.mime, item.status, extracted.text() if extracted else None,
                                  extracted.pages if extracted else [])
    return out


@pytest.mark.parametrize("fmt, mime", [("BMP", "image/bmp"), ("GIF", "image/gif"), ("WEBP", "image/webp"),
                                       ("TIFF", "image/tiff"), ("JPEG", "image/jpeg")])
def test_each_image_format_is_read(tmp_path, fmt, mime):
    image = _card(fmt).convert("RGB") if fmt == "JPEG" else _card(fmt)
    [(found_mime, status, text, pages)] = _texts(image_bytes(image, fmt), f"card.{fmt.lower()}", tmp_path).values()
    assert (found_mime.replace("x-ms-", ""), status) == (mime, "ok")
    assert PHONE in text and pages[0].ocr


def test_a_fax_g3_tiff_is_read(tmp_path):
    fax = image_bytes(_card("g3").convert("1", dither=Image.Dither.NONE), "TIFF", compression="group3")
    [(mime, status, text, _)] = _texts(fax, "fax.tif", tmp_path).values()
    assert (mime, status) == ("image/tiff", "ok") and PHONE in text


def test_a_picture_in_a_docx_is_read_and_named(tmp_path):
    import docx
    document = docx.Document()
    document.add_paragraph("The signed form is pasted below.")
    document.add_picture(io.BytesIO(image_bytes(_card("docx"), "PNG")))
    document.add_picture(io.BytesIO(image_bytes(render_lines(["logo"], size=(120, 60)), "PNG")))   # an icon
    out = io.BytesIO()
    document.save(out)
    [(_, status, text, pages)] = _texts(out.getvalue(), "letter.docx", tmp_path).values()
    assert status == "ok" and text.startswith("The signed form") and PHONE in text
    assert [(p.label, p.page, p.ocr) for p in pages] == [("image word/media/image1.png", 0, True)]


def test_an_image_inlined_in_an_email_is_read_as_its_own_location(tmp_path):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "form"
    msg.set_content("See the photo.")
    msg.add_related(image_bytes(_card("inline").convert("RGB"), "JPEG"), maintype="image", subtype="jpeg",
                    cid="<photo1>", filename="photo.jpg", disposition="inline")
    eml = tmp_path / "mail.zip"
    make_zip(eml, {"inbox/form.eml": msg.as_bytes()})
    found = _texts(eml.read_bytes(), "mail.zip", tmp_path)
    images = {uri: v for uri, v in found.items() if v[0] == "image/jpeg"}
    assert list(images) == ["/in/mail.zip!/inbox/form.eml!/photo.jpg"]
    assert PHONE in images["/in/mail.zip!/inbox/form.eml!/photo.jpg"][2]


def test_the_engine_loads_and_reads_with_the_network_cut(tmp_path):
    """In a child whose every socket connect fails and whose HOME is empty: no model is fetched."""
    code = ("import socket\n"
            "def refuse(*a, **k):\n    raise OSError('network cut by the test')\n"
            "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
            "import sys; sys.path.insert(0, 'tests')\n"
            "from scans import render_lines\n"
            "from connectors.ocr.reader import page_reader\n"
            "from connectors import Limits\n"
            f"print(page_reader('auto').read(render_lines(['Tel {PHONE}'], size=(500, 90)), 'k', Limits()).text)\n")
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(ROOT)})
    assert PHONE in done.stdout, done.stderr[-2000:]
    assert not any(home.iterdir())              # nothing cached or downloaded under HOME
