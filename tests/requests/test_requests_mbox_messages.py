"""Issue 15: erasing one recipient of a message in an mbox keeps everyone else's mail.

A message to ten people is redacted in place (the .eml editor, the mailbox rewritten); it is
removed only when it names no one else, or when asked with --mbox-messages remove, and then
flagged for confirmation like `delete`.
"""
from __future__ import annotations

import json

from email.message import EmailMessage

import pytest
from click.testing import CliRunner

from builders import make_mbox, make_person
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.scan import run_scan

pytestmark = pytest.mark.slow

SENDER = make_person(150)
RECIPIENTS = [make_person(151 + i) for i in range(10)]
SUBJECT = RECIPIENTS[3]
BYSTANDER = make_person(170)
WHO = ("--email", SUBJECT.email, "--name", SUBJECT.name)


def message(sender, to, message_id: str, body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{sender.name} <{sender.email}>"
    msg["To"] = ", ".join(f"{p.name} <{p.email}>" for p in to)
    msg["Subject"] = "Quarterly meeting"
    msg["Date"] = "Wed, 01 May 2024 09:30:00 +0000"
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


def cli_run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def mailbox(tmp_path):
    box = tmp_path / "mail" / "export.mbox"
    box.parent.mkdir()
    make_mbox(box, [
        message(SENDER, RECIPIENTS, "<ten@example.net>",
                "From the minutes:\nthe agenda is attached below; reply to all.\n"),
        message(SUBJECT, [SUBJECT], "<self@example.net>", "note to self: ring 01482 420150\n"),
        message(SENDER, [BYSTANDER], "<bystander@example.net>", "Your order has shipped.\n"),
    ])
    inventory = str(tmp_path / "inv")
    assert run_scan([str(box.parent)], ScanConfig(inventory=inventory, workers=1)).status == "completed"
    return box, inventory


def find(inventory: str, **identifier) -> set[str]:
    (kind, value), = identifier.items()
    code, out = cli_run("find", f"--{kind}", value, "-i", inventory, "-f", "json")
    assert code == 0, out
    return {r["location"] for r in json.loads(out)}


def plan(inventory: str, *options: str) -> dict:
    code, out = cli_run("erase", *WHO, "-i", inventory, "-f", "json", *options)
    assert code == 0, out
    return {a["location"]: a for a in json.loads(out)["actions"]}


def test_a_message_to_ten_is_redacted_and_the_other_nine_and_the_sender_are_still_found(mailbox):
    box, inventory = mailbox
    ten, alone = f"{box}!/<ten@example.net>", f"{box}!/<self@example.net>"
    actions = plan(inventory)
    assert (actions[ten]["action"], actions[ten]["confirm"]) == ("redact", False)
    assert (actions[alone]["action"], actions[alone]["confirm"]) == ("remove-message", True)

    # Whole messages only when asked for, and then confirmed like a deletion: declined, nothing changes.
    asked = plan(inventory, "--mbox-messages", "remove")[ten]
    assert (asked["action"], asked["confirm"]) == ("remove-message", True) and "asked for" in asked["reason"]
    before = box.read_bytes()
    declined = CliRunner().invoke(
        cli, ["erase", *WHO, "-i", inventory, "--apply", "--mbox-messages", "remove"], input="n\n")
    assert declined.exit_code == 1 and "message(s) removed from mailboxes" in declined.stderr
    assert box.read_bytes() == before

    code, out = cli_run("erase", *WHO, "-i", inventory, "--apply", "--yes", "-f", "json")
    assert code == 0, out
    assert find(inventory, email=SUBJECT.email) == set()
    assert find(inventory, name=SUBJECT.name) == set()
    for person in [SENDER] + [p for p in RECIPIENTS if p is not SUBJECT]:
        assert ten in find(inventory, email=person.email), person.email
        assert ten in find(inventory, name=person.name), person.name
    assert find(inventory, email=BYSTANDER.email) == {f"{box}!/<bystander@example.net>"}
    raw = box.read_bytes()
    assert SUBJECT.email.encode() not in raw and b"<self@example.net>" not in raw
    assert raw.count(b"\nFrom ") + raw.startswith(b"From ") == 2       # two messages left, still split right
