"""PDFs as other software writes them: owner-password encryption (qpdf), embedded files (qpdf),
file-attachment annotations, XFA form data and AcroForm values (written as Acrobat writes them)."""
from __future__ import annotations

import subprocess

import pytest

from builders import explore_path
from format_writers import (MARKS, NO_QPDF, QPDF, filled_form_pdf, qpdf_owner_only, qpdf_user_password)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def explore(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path), explore_path(path, tmp_path / "work")


@pytest.mark.skipif(QPDF is None, reason=NO_QPDF)
@pytest.mark.parametrize("bits", [40, 128, 256])
def test_owner_password_with_an_empty_user_password_is_read(lo_written, tmp_path, bits):
    path, seen = explore(tmp_path, f"owner{bits}.pdf", qpdf_owner_only(lo_written["text-pdf"], tmp_path, bits))
    assert seen[path].status == "ok" and MARKS.name in seen[path].text


@pytest.mark.skipif(QPDF is None, reason=NO_QPDF)
def test_a_user_password_is_recorded_encrypted(lo_written, tmp_path):
    path, seen = explore(tmp_path, "user.pdf", qpdf_user_password(lo_written["text-pdf"], tmp_path))
    assert (seen[path].status, seen[path].reason) == ("encrypted", "pdf: password protected")


@pytest.mark.skipif(QPDF is None, reason=NO_QPDF)
def test_embedded_files_are_members_read_through_the_dispatcher(lo_written, tmp_path):
    (tmp_path / "plain.pdf").write_bytes(lo_written["text-pdf"])
    (tmp_path / "cv.docx").write_bytes(lo_written["text-docx"])
    (tmp_path / "notes.rtf").write_bytes(lo_written["text-rtf"])
    subprocess.run([QPDF, "plain.pdf", "--add-attachment", "cv.docx", "--", "--add-attachment", "notes.rtf", "--",
                    "--encrypt", "", "owner", "256", "--", "bundle.pdf"], cwd=tmp_path, check=True)
    path, seen = explore(tmp_path, "copy.pdf", (tmp_path / "bundle.pdf").read_bytes())
    assert seen[f"{path}!/cv.docx"].mime == DOCX_MIME
    assert MARKS.commenter in seen[f"{path}!/notes.rtf"].text
    assert MARKS.name in seen[f"{path}!/cv.docx"].text and MARKS.name in seen[path].text
    assert (seen[path].status, seen[path].reason) == ("ok", "")


def test_form_data_and_attachment_annotations_are_read(lo_written, tmp_path):
    xfa = ("<xfa:datasets xmlns:xfa='http://www.xfa.org/schema/xfa-data/1.0/'><xfa:data><form>"
           "<Applicant>Gwendolyn Formfill</Applicant><Email>g.formfill@example.net</Email></form></xfa:data>"
           "</xfa:datasets>")
    pdf = filled_form_pdf("Application form", xfa, {"NINO": "QQ123456C", "Referee": "Barnaby Fieldvalue"},
                          ("reference.docx", lo_written["text-docx"]))
    path, seen = explore(tmp_path, "form.pdf", pdf)
    text = seen[path].text
    assert "Application form" in text
    assert "Applicant: Gwendolyn Formfill" in text and "Email: g.formfill@example.net" in text
    assert "NINO: QQ123456C" in text and "Referee: Barnaby Fieldvalue" in text
    assert MARKS.name in seen[f"{path}!/reference.docx"].text


def test_an_attachment_bomb_is_skipped_and_the_pdf_still_read(tmp_path):
    pdf = filled_form_pdf("Cover page", "<x/>", {}, ("zeros.bin", bytes(64 * 1024 * 1024)))
    path, seen = explore(tmp_path, "bomb.pdf", pdf)
    assert seen[f"{path}!/zeros.bin"].status == "skipped"
    assert seen[f"{path}!/zeros.bin"].reason.startswith("limit: max_ratio")
    assert "Cover page" in seen[path].text
    assert seen[path].status == "skipped" and "max_ratio" in seen[path].reason
