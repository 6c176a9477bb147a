"""A Chinese name written "first last" with a space (伟 王), as a UK firm's forms and CRM write it:
each part is one character, and one character of CJK script is a syllable, not an initial."""
from __future__ import annotations

from email.header import Header
from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from core_helpers import cli_json
from detectors.normalise import index_forms, name_words, query_forms
from scanner.cli import cli


@pytest.mark.parametrize("query", ["伟 王", "王 伟", "王, 伟", "Mr 伟 王"])
def test_a_name_of_single_cjk_characters_is_a_query(query):
    assert query_forms("name", query) == ["name:伟 王"]


def test_single_latin_letters_stay_initials():
    assert index_forms("PERSON", "J K Smith") == ["name:smith"]
    with pytest.raises(ValueError):
        query_forms("name", "J K")


def test_name_words_hold_every_part_a_key_is_built_from():
    # NER later (scanner/labels.py) relies on this superset: a key's words must all be here.
    assert {"伟", "王"} <= name_words("Regards,\n伟 王")


def test_find_lists_the_message_of_a_sender_named_in_single_characters(tmp_path):
    msg = EmailMessage()
    msg["From"] = f"{Header('伟 王', 'utf-8').encode()} <w.wang@example.com>"
    msg["To"] = "Jane Smith <jane.smith@example.co.uk>"
    msg["Subject"] = "Order"
    msg.set_content("Hello Jane,\n\nPlease call me back.\n\n伟 王\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "order.eml").write_bytes(bytes(msg))
    inventory = str(tmp_path / "inventory")
    scan = CliRunner().invoke(cli, ["scan", str(tree), "--inventory", inventory, "--workers", "1"])
    assert scan.exit_code == 0, scan.output
    for query in ("王 伟", "伟 王"):
        rows = cli_json(["find", "--name", query, "--inventory", inventory, "--format", "json"])
        assert [r["location"] for r in rows] == [str(tree / "order.eml")]
        assert rows[0]["matched"] == ["name"]
