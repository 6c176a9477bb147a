"""sar and erase follow every written form of the subject's name (issue 14).

A CRM export row `OYELARAN, Funmilayo`, asked for as "Funmilayo Oyelaran": the pack quotes it and
never turns it into `OYELARAN, [REDACTED PERSON]`; erase removes every form and the rescan verifies.
"""
from __future__ import annotations

from datetime import date

import pytest

from requests_checks import locations_of
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.requests.apply import apply_plan
from scanner.requests.plan import build_plan
from scanner.requests.sar import build_sar
from scanner.requests.subject import load_subject
from scanner.scan import run_scan

pytestmark = pytest.mark.slow

SUBJECT = "Funmilayo Oyelaran"
FORMS = ["OYELARAN, Funmilayo", "FUNMILAYO OYELARAN", "Mrs Funmilayo A. Oyelaran", "Oyelaran Funmilayo"]


@pytest.fixture
def share(tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    rows = ["ref,customer,agent"] + [f"{4400 + i},\"{form}\",Graham Whitfield" for i, form in enumerate(FORMS)]
    (root / "crm.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "note.txt").write_text("Call note: rang Funmilayo\nOyelaran about the renewal. "
                                   "Copied to Graham Whitfield.\n", encoding="utf-8")
    config = ScanConfig(inventory=str(tmp_path / "inventory"), workers=1)
    assert run_scan([str(root)], config).status == "completed"
    return root, config


def test_the_pack_quotes_every_form_and_redacts_only_the_other_person(share, detector):
    root, config = share
    identifiers = {"name": [SUBJECT]}
    subject = load_subject(config.inventory, None, identifiers)
    reader = open_inventory(config.inventory)
    try:
        pack = build_sar(reader, subject, detector, identifiers, date(2025, 1, 31))
    finally:
        reader.close()
    text = "\n".join(e for g in pack["groups"] for e in g["excerpts"])
    for form in FORMS + ["Funmilayo\nOyelaran"]:
        assert form in text, f"{form!r} not quoted whole"
    assert "Graham Whitfield" not in text and "[REDACTED PERSON]" in text
    assert "OYELARAN, [REDACTED" not in text and "[REDACTED PERSON] OYELARAN" not in text


def test_erase_removes_every_form_and_the_rescan_verifies(share, detector):
    root, config = share
    subject = load_subject(config.inventory, None, {"name": [SUBJECT]})
    reader = open_inventory(config.inventory)
    try:
        plan = build_plan(reader, subject)
    finally:
        reader.close()
    report = apply_plan(plan, subject, detector, config)
    assert {v["outcome"] for v in report["verification"]} == {"verified"}, report
    assert locations_of(config.inventory, name=SUBJECT) == set()
    for path in (root / "crm.csv", root / "note.txt"):
        text = path.read_text(encoding="utf-8").casefold()
        assert "oyelaran" not in text and "funmilayo" not in text, path
        assert "graham whitfield" in text
