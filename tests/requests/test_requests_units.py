"""Pure parts of subject requests: dates, retention, excerpt units, mbox splitting, atomic writes."""
from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from detectors import Finding
from scanner.errors import UsageError
from scanner.requests.dates import add_months, due_date
from scanner.requests.excerpts import excerpts, units
from scanner.requests.mbox_edit import split_messages, without_messages
from scanner.requests.retention import expiry, parse_retention
from scanner.requests.safe_write import replace_file


@pytest.mark.parametrize("received, extend, due", [
    (date(2025, 1, 15), False, date(2025, 2, 15)),
    (date(2025, 1, 31), False, date(2025, 2, 28)),    # clamped to the month's end
    (date(2024, 1, 31), False, date(2024, 2, 29)),    # leap year
    (date(2025, 12, 10), False, date(2026, 1, 10)),   # year boundary
    (date(2025, 1, 31), True, date(2025, 4, 30)),     # extended: two more months
    (date(2025, 11, 30), True, date(2026, 2, 28)),
])
def test_due_date(received, extend, due):
    assert due_date(received, extend) == due


@pytest.mark.parametrize("spec, archived, ends", [
    ("35d", date(2025, 1, 1), date(2025, 2, 5)),
    ("6w", date(2025, 1, 1), date(2025, 2, 12)),
    ("12m", date(2024, 2, 29), date(2025, 2, 28)),
    ("1y", date(2025, 3, 31), date(2026, 3, 31)),
])
def test_retention_expiry(spec, archived, ends):
    assert expiry(archived, parse_retention(spec)) == ends


@pytest.mark.parametrize("bad", ["35", "d", "3.5d", "35 days", "-1d"])
def test_retention_rejects_nonsense(bad):
    with pytest.raises(UsageError):
        parse_retention(bad)


def test_add_months_never_overflows():
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


def _f(text, whole, etype="PERSON"):
    start = whole.index(text)
    return Finding(etype, start, start + len(text), text, 0.9, "test")


def test_excerpt_is_the_paragraph_with_the_subject_and_redacts_others():
    text = "Intro line.\n\nJane Smith met Tom Jones at jane@x.co.uk.\n\nTom Jones alone here."
    mine = [_f("Jane Smith", text), _f("jane@x.co.uk", text, "EMAIL_ADDRESS")]
    others = [_f("Tom Jones", text)]
    others.append(Finding("PERSON", text.rindex("Tom Jones"), text.rindex("Tom Jones") + 9, "Tom Jones", .9, "t"))
    assert excerpts(text, "text/plain", mine, others) == ["Jane Smith met [REDACTED PERSON] at jane@x.co.uk."]


def test_units_rows_for_csv_whole_for_messages():
    text = "a | b\nc | d\n"
    assert [text[s:e] for s, e in units(text, "text/csv")] == ["a | b", "c | d"]
    assert units(text, "message/rfc822") == [(0, len(text))]


MBOX = (b"From a@b Wed May  1 09:30:00 2024\nMessage-ID: <one@x>\n\nbody\n>From here\n\n"
        b"From a@b Wed May  1 09:30:00 2024\nSubject: no id\n\nsecond\n\n"
        b"From a@b Wed May  1 09:30:00 2024\nMessage-ID: <one@x>\n\nduplicate id\n\n")


def test_mbox_messages_are_named_as_the_connector_names_them():
    assert [name for name, _ in split_messages(MBOX)] == ["<one@x>", "message-2", "<one@x> (2)"]
    new, removed = without_messages(MBOX, {"message-2"})
    assert removed == {"message-2"} and b"second" not in new and b">From here" in new and b"duplicate" in new


def test_mbox_names_match_the_connector(tmp_path):
    from builders import explore_path

    path = tmp_path / "m.mbox"
    path.write_bytes(MBOX)
    explored = {uri.split("!/", 1)[1] for uri in explore_path(path, tmp_path) if "!/" in uri}
    assert explored == {name for name, _ in split_messages(MBOX)}


def test_replace_file_keeps_mode_and_leaves_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    replace_file(str(path), b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(os.stat(path).st_mode) == 0o640

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        replace_file(str(path), b"newer")
    assert path.read_bytes() == b"new" and os.listdir(tmp_path) == ["f.txt"]   # no temp file left behind


def test_audit_location_keys_names_under_a_folder_named_with_a_bang():
    from connectors import Location
    from scanner.requests.plan import audit_location

    outer = "/srv/Clients!/Jane Smith.mbox"
    keyed = {Location(outer).uri: "k1", Location(outer, ("<m1>", "Jane CV.docx")).uri: "k2"}
    assert audit_location(f"{outer}!/<m1>!/Jane CV.docx", keyed, outer) == "/srv/Clients!/k1!/<m1>!/k2"
    assert audit_location(outer, keyed, outer) == "/srv/Clients!/k1"
    assert audit_location("/srv/a.txt", keyed, "/srv/a.txt") == "/srv/a.txt"     # nothing keyed: as it is


def test_a_value_split_across_docx_runs_is_erased_and_the_other_runs_keep_their_formatting():
    import io

    import docx

    from scanner.requests.redact_office import redact_docx

    document = docx.Document()
    paragraph = document.add_paragraph("Dear ")
    paragraph.add_run("Jane").bold = True
    paragraph.add_run(" Smi")
    paragraph.add_run("th, welcome to ").italic = True
    paragraph.add_run("Acme").underline = True
    document.add_paragraph("Jane Smith signed on 3 May.")
    out = io.BytesIO()
    document.save(out)

    edited = docx.Document(io.BytesIO(redact_docx(out.getvalue(), {"Jane Smith"})))
    first, second = edited.paragraphs
    assert first.text == "Dear [erased], welcome to Acme" and second.text == "[erased] signed on 3 May."
    runs = [(r.text, bool(r.bold), bool(r.italic), bool(r.underline)) for r in first.runs]
    assert runs == [("Dear ", False, False, False), ("[erased]", True, False, False), ("", False, False, False),
                    (", welcome to ", False, True, False), ("Acme", False, False, True)]


def test_a_value_in_a_docx_hyperlink_and_its_mailto_target_is_erased():
    import io
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from scanner.requests.redact_office import redact_docx

    document = docx.Document()
    paragraph = document.add_paragraph("Write to ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), document.part.relate_to("mailto:jane.smith@example.co.uk", RELATIONSHIP_TYPE.HYPERLINK,
                                                 is_external=True))
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "jane.smith@example.co.uk"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(" or call.")
    out = io.BytesIO()
    document.save(out)
    assert b"jane.smith@example.co.uk" in zipfile.ZipFile(out).read("word/_rels/document.xml.rels")

    edited = redact_docx(out.getvalue(), {"jane.smith@example.co.uk"})
    with zipfile.ZipFile(io.BytesIO(edited)) as z:
        assert not any(b"jane.smith@example.co.uk" in z.read(name) for name in z.namelist())
    assert docx.Document(io.BytesIO(edited)).paragraphs[0].text == "Write to [erased] or call."
