"""Issue 2, end to end: the sample tree scanned, every copy of a person found in every format."""
from __future__ import annotations

import os

import pytest

from core_helpers import SAMPLE_DATA, cli_json

pytestmark = pytest.mark.slow

PER_PERSON_FILES = [
    "card.vcf", "contact.csv", "contact.tsv", "contacts.ods", "contacts.xlsx", "letter-cp1252.txt",
    "letter-utf16.txt", "letter.docx", "letter.odt", "letter.pdf", "letter.rtf", "letter.txt",
    "message.eml", "message.eml!/statement.docx", "page.html", "record.json", "record.xml", "review.pptx",
]


def expected_for_person_1() -> set[str]:
    """Written from the generator's layout (sample_data/generate.py), not from a scan's output."""
    d = SAMPLE_DATA
    mid = "<sample-1@example-shop.co.uk>"
    return {f"{d}/people/person-1/{name}" for name in PER_PERSON_FILES} | {
        f"{d}/crm/customers.csv",
        f"{d}/mail/export.mbox!/{mid}",
        f"{d}/mail/export.mbox!/{mid}!/statement.docx",
        f"{d}/backups/2024-05.tar.gz!/home/sales/clients.csv",
        f"{d}/backups/2024-05.tar.gz!/mail/export.mbox!/{mid}",
        f"{d}/backups/2024-05.tar.gz!/mail/export.mbox!/{mid}!/statement.docx",
        f"{d}/backups/2024-05.tar.gz!/home/sales/archive.zip!/notes.txt",
        f"{d}/backups/old.zip!/crm/customers.csv",
    }


def find(inventory: str, *args: str) -> list[dict]:
    return cli_json(["find", *args, "--inventory", inventory, "--format", "json"])


def test_find_by_email_lists_every_copy_in_every_format(sample_inventory, sample_people):
    person = sample_people[0]
    rows = find(sample_inventory, "--email", person["email"].upper())
    assert {r["location"] for r in rows} == expected_for_person_1()
    assert all(r["matched"] == ["email"] for r in rows)


def test_phone_written_another_way_and_surname_first_give_the_same_locations(sample_inventory, sample_people):
    person = sample_people[0]
    by_email = {r["location"] for r in find(sample_inventory, "--email", person["email"])}
    e164 = "+44" + person["phone"].replace(" ", "")[1:]
    by_phone = {r["location"] for r in find(sample_inventory, "--phone", e164)}
    surname_first = f"{person['last'].upper()}, {person['first']}"
    by_name = {r["location"] for r in find(sample_inventory, "--name", surname_first)}
    assert by_phone == by_email
    # A name is also matched in places the email is not (no such place in the sample), never fewer.
    assert by_email <= by_name


def test_json_result_has_the_contract_keys(sample_inventory, sample_people):
    rows = find(sample_inventory, "--email", sample_people[1]["email"])
    assert rows
    for row in rows:
        assert {"location", "path", "members", "matched", "entity_types", "modified", "size",
                "content_hash"} <= set(row)
        assert row["location"].startswith(row["path"])
        assert row["location"] == row["path"] + "".join("!/" + m for m in row["members"])
        assert "EMAIL_ADDRESS" in row["entity_types"]
        assert row["modified"].endswith("+00:00")


def test_union_of_identifiers_and_nothing_found(sample_inventory, sample_people):
    a, b = sample_people[0], sample_people[1]
    rows = find(sample_inventory, "--email", a["email"], "--email", b["email"])
    locs_a = {r["location"] for r in find(sample_inventory, "--email", a["email"])}
    locs_b = {r["location"] for r in find(sample_inventory, "--email", b["email"])}
    assert {r["location"] for r in rows} == locs_a | locs_b
    assert find(sample_inventory, "--email", "nobody@nowhere.example") == []


def test_no_personal_data_folder_is_never_a_hit(sample_inventory, sample_people):
    for person in sample_people:
        for row in find(sample_inventory, "--email", person["email"], "--name", person["name"],
                        "--phone", person["phone"], "--postcode", person["postcode"]):
            assert "/no-personal-data/" not in row["location"]


def test_inventory_holds_no_plaintext_personal_data(sample_inventory, sample_people):
    """Read every byte the scan wrote, decompressed, and look for each person's values, in every form
    the name index keys (issue 14): its rows are there, and hold keys and masked previews only."""
    import pyarrow.parquet as pq

    from scanner.inventory import open_inventory

    reader = open_inventory(sample_inventory)
    try:
        (index_rows,), = reader.query("SELECT count(*) FROM findings WHERE entity_type = 'NAME_INDEX'")
        previews = [r[0] for r in reader.query("SELECT preview FROM findings WHERE entity_type = 'NAME_INDEX'")]
    finally:
        reader.close()
    assert index_rows > 0
    assert all(all(len(w) < 2 or set(w[1:]) == {"*"} for w in p.split()) for p in previews)
    needles = set()
    for p in sample_people:
        phone_digits = p["phone"].replace(" ", "")
        needles |= {p["email"], p["email"].lower(), p["name"], p["first"] + " " + p["last"], p["last"],
                    p["phone"], phone_digits, "+44" + phone_digits[1:], p["nino"], p["nhs"],
                    f"{p['last']}, {p['first']}", f"{p['last']} {p['first']}", f"{p['first']} {p['last']}".upper(),
                    f"{p['first']} {p['last']}".casefold()}
        if len(p["first"]) >= 5:
            needles.add(p["first"])
    for dirpath, _, files in os.walk(sample_inventory):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                raw = f.read()
            texts = [raw.decode("utf-8", "replace")]
            if name.endswith(".parquet"):
                table = pq.read_table(path)
                texts.append(str(table.to_pylist()))
            blob = "\n".join(texts).lower()
            for needle in needles:
                assert needle.lower() not in blob, f"{needle!r} found in {path}"


def test_table_into_a_pipe_keeps_each_location_on_one_line(sample_inventory, sample_people, monkeypatch):
    """Piped into grep or a file, a row must not be folded at 80 columns."""
    from click.testing import CliRunner

    from scanner.cli import cli

    monkeypatch.delenv("COLUMNS", raising=False)
    email = sample_people[0]["email"]
    found = cli_json(["find", "--email", email, "-i", sample_inventory, "--format", "json"])
    expected = {row["location"] for row in found}
    result = CliRunner().invoke(cli, ["find", "--email", email, "-i", sample_inventory])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(u) for u in expected) > 80
    for uri in expected:
        assert any(uri in line for line in lines), uri
