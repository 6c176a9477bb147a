"""`pdsweep erase`: an erasure plan per location; with --apply, carried out, audited and verified."""
from __future__ import annotations

import json
import sys

import click

from detectors import DetectorSettings

from ..config import ScanConfig
from ..errors import UsageError
from ..inventory import open_inventory
from ..labels import label_before_answering
from ..requests.apply import EDITING, apply_plan
from ..requests.plan import build_plan
from ..requests.retention import parse_retention
from ..requests.subject import Subject, identifiers_of, load_keyer, load_subject
from .options import format_option, handle_errors, identifier_options, inventory_option, key_option, \
    resolve_inventory
from .output import print_rows, print_table

PLAN_COLUMNS = ["action", "location", "reason", "confirm", "expiry"]
RESULT_COLUMNS = ["action", "location", "outcome", "reason"]


@click.command("erase")
@identifier_options
@inventory_option
@key_option
@format_option("table", "json", default="table")
@click.option("--backup-retention", default=None, metavar="SPEC",
              help="How long backups are kept (35d, 6w, 12m, 1y): the expiry of beyond-use locations.")
@click.option("--rows", "rows_mode", type=click.Choice(["redact", "remove"]), default="redact", show_default=True,
              help="CSV/TSV/XLSX: redact the subject's cells, or remove the subject's rows.")
@click.option("--mbox-messages", "messages_mode", type=click.Choice(["redact", "remove"]), default="redact",
              show_default=True,
              help="A matched message in an mbox that names others too: redact the subject's values in it, or "
                   "remove it whole (with everyone else's data in it). A message about no one else is removed.")
@click.option("--request-id", default=None, help="Your reference for the request (default: generated).")
@click.option("--plan", "plan_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Apply a plan saved earlier with --format json (identifiers are then not needed).")
@click.option("--apply", "do_apply", is_flag=True, help="Carry out the plan (asks first). Default: plan only.")
@click.option("--yes", "-y", is_flag=True, help="With --apply: do not ask for confirmation.")
@handle_errors
def erase_command(name, email, phone, postcode, nino, nhs, inventory, key_path, fmt, backup_retention,
                  rows_mode, messages_mode, request_id, plan_file, do_apply, yes):
    """Plan (and with --apply, carry out) the erasure of a person's data.

    Each location gets an action: redact (text, CSV, JSON, XML, HTML, email,
    DOCX, XLSX, ODT, and a message in an mbox edited in place), delete
    (nothing about anyone else in it), remove-message (a message in an mbox
    about no one else, or with --mbox-messages remove), beyond-use (backup members, PST, PDF,
    read-only files) or manual. Without --apply nothing changes. With it: a
    file changed since the plan is refused; each file is replaced atomically;
    every step goes to <inventory>/erasure-audit.jsonl (keys, never values);
    the subject's keys go on the suppression register; touched files are
    rescanned and must no longer match (while the daemon runs, it re-reads
    them itself and erase waits up to 30 s for it). Exit 1 if anything was refused,
    failed or still matches.

    Example:

    \b
        pdsweep erase --name "Jane Smith" --email jane.smith@example.co.uk --backup-retention 35d
        pdsweep erase --email jane.smith@example.co.uk --apply --yes
    """
    inventory = resolve_inventory(inventory)
    identifiers = identifiers_of(name=name, email=email, phone=phone, postcode=postcode, nino=nino, nhs=nhs)
    subject, plan = _subject_and_plan(inventory, key_path, identifiers, plan_file, backup_retention,
                                      dict(rows_mode=rows_mode, messages_mode=messages_mode), request_id)
    if not do_apply:
        _print(plan["actions"], PLAN_COLUMNS, fmt, _plan_title(plan), plan)
        return
    if fmt == "table":
        print_table(plan["actions"], PLAN_COLUMNS, title=_plan_title(plan))
    _confirm(plan, yes)
    config = ScanConfig(inventory=inventory, key_path=key_path, workers=1)
    from detectors import Detector   # loads spaCy: only when the command runs
    report = apply_plan(plan, subject, Detector(DetectorSettings()), config)
    rows = report["results"] + [dict(r, reason=", ".join(r["still_matching"]) or "no longer matches")
                                for r in report["verification"]]
    _print(rows, RESULT_COLUMNS, fmt, "Applied (audit log: erasure-audit.jsonl)", dict(plan=plan, applied=report))
    bad = [r for r in rows if r["outcome"] in ("refused", "failed", "still-matches", "unverified")]
    if bad:
        click.echo(f"pdsweep: {len(bad)} location(s) refused, failed, still matching or not verified yet "
                   "(see above)", err=True)
        sys.exit(1)


def _plan_title(plan: dict) -> str:
    return f"Erasure plan {plan['request_id']}: {len(plan['actions'])} action(s)"


def _subject_and_plan(inventory, key_path, identifiers, plan_file, retention, modes, request_id):
    if plan_file:
        with open(plan_file, encoding="utf-8") as f:
            plan = json.load(f)
        if plan.get("inventory") != inventory:
            raise UsageError("the plan was made for another inventory; pass its --inventory")
        return Subject(load_keyer(inventory, key_path), plan["subject_keys"]), plan
    subject = load_subject(inventory, key_path, identifiers)
    # Files scanned with --ner deferred that the plan depends on get their NER labels first.
    label_before_answering(inventory, key_path, identifiers,
                           notify=lambda line: click.echo(line, err=True))
    reader = open_inventory(inventory)
    try:
        plan = build_plan(reader, subject, parse_retention(retention), modes["rows_mode"], request_id,
                          messages_mode=modes["messages_mode"])
    finally:
        reader.close()
    return subject, plan


def _confirm(plan: dict, yes: bool) -> None:
    edits = [a for a in plan["actions"] if a["action"] in EDITING]
    deletions = sum(a["action"] == "delete" for a in plan["actions"])
    removals = sum(a["action"] == "remove-message" for a in plan["actions"])
    if yes:
        return
    if not click.confirm(f"Change {len(edits)} location(s), of which {deletions} file(s) deleted and {removals} "
                         "message(s) removed from mailboxes? This cannot be undone", err=True):
        click.echo("pdsweep: not applied; nothing was changed", err=True)
        sys.exit(1)


def _print(rows, columns, fmt, title, whole) -> None:
    print_rows(fmt, rows, columns, title, whole=whole)
