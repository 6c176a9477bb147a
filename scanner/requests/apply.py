"""Applying an erasure plan: refuse what changed, edit atomically, audit, rescan, verify.

Only `redact`, `delete` and `remove-message` touch files. Every touched
outer file is rescanned into the same inventory, and `find` must no longer
match it; `beyond-use` locations are recorded (audit log and suppression
register) and left as they are.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections import defaultdict

from connectors import Location

from ..errors import InventoryLocked
from ..find import find_locations
from ..inventory import open_inventory
from ..scan import run_scan
from . import audit
from .fresh import read_fresh
from .formats import MBOX_MESSAGE
from .mbox_edit import copy_edited
from .plan import audit_location
from .redact_mail import redact_message
from .refusal import Refused
from .redact_office import redact_docx, redact_odt, redact_xlsx
from .redact_text import redact_text, remove_rows
from .safe_write import delete_file, replace_file, replace_with
from .subject import Subject
from .suppression import add_entry

EDITING = ("redact", "delete", "remove-message")
VERIFY_WAIT_S = 30.0     # the daemon holds the inventory: how long to wait for it to re-read edited files


def apply_plan(plan: dict, subject: Subject, detector, config) -> dict:
    log = _AuditLog(config.inventory, plan["request_id"], plan.get("keyed_names", {}))
    results: list[dict] = []
    touched: dict[str, str] = {}          # outer path -> how it was touched
    by_mbox: dict[str, list[dict]] = defaultdict(list)
    for action in plan["actions"]:
        if action["action"] == "remove-message" or action.get("editor") == MBOX_MESSAGE:
            by_mbox[action["path"]].append(action)
        elif action["action"] in ("redact", "delete"):
            results.append(_run(log, action, touched,
                                lambda a=action: _edit_file(a, subject, detector, plan.get("rows_mode"))))
        else:
            outcome = "recorded" if action["action"] == "beyond-use" else "left-for-manual"
            log.write(action, outcome, action["reason"])
            results.append(dict(location=action["location"], action=action["action"], outcome=outcome,
                                reason=action["reason"]))
    for path, actions in by_mbox.items():
        results.extend(_run_mbox(log, path, actions, touched,
                                 lambda fresh: _subject_values(fresh, subject, detector)))
    add_entry(config.inventory, plan["request_id"], subject.keys,
              [a["location"] for a in plan["actions"] if a["action"] == "beyond-use"])
    verification = _rescan_and_verify(touched, subject, config, log) if touched else []
    return dict(request_id=plan["request_id"], results=results, verification=verification)


class _AuditLog:
    """audit.append for one request; file names holding the subject's data are logged keyed."""

    def __init__(self, inventory: str, request_id: str, keyed_names: dict[str, str]):
        self.inventory, self.request_id, self.keyed_names = inventory, request_id, keyed_names

    def write(self, action: dict, outcome: str, reason: str = "") -> None:
        audit.append(self.inventory, self.request_id, action["action"],
                     audit_location(action["location"], self.keyed_names, action.get("path")),
                     action["value_keys"], outcome, reason)


def _run(log: _AuditLog, action: dict, touched: dict, do) -> dict:
    log.write(action, "begin")
    try:
        outcome, reason = "applied", do()
        touched[action["path"]] = action["action"]
    except Refused as exc:
        outcome, reason = "refused", str(exc)
    except Exception as exc:   # the file was not replaced: temp + rename is all or nothing
        outcome, reason = "failed", f"{type(exc).__name__}; the file is unchanged"
    log.write(action, outcome, reason)
    return dict(location=action["location"], action=action["action"], outcome=outcome, reason=reason)


def _read_checked(path: str, expected: str | None) -> bytes:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise Refused("the file has vanished since the plan") from None
    if hashlib.sha256(raw).hexdigest() != expected:
        raise Refused("the file changed since the plan (content hash differs); rescan and plan again")
    return raw


def _edit_file(action: dict, subject: Subject, detector, rows_mode: str | None) -> str:
    path = action["path"]
    raw = _read_checked(path, action["content_hash"])
    if action["action"] == "delete":
        delete_file(path)
        return "deleted"
    fresh = read_fresh(path, {path: action["content_hash"]})[path]
    if fresh.state != "current" or fresh.text is None:
        raise Refused(f"cannot read the file afresh ({fresh.state} {fresh.reason})".strip())
    values = _subject_values(fresh, subject, detector)
    new = _redacted(action.get("editor"), raw, values, rows_mode == "remove")
    if new == raw:
        raise Refused("the subject's values were not found in the file's bytes (encoded?): edit by hand")
    replace_file(path, new)
    return f"redacted {len(values)} distinct value(s)"


def _subject_values(fresh, subject: Subject, detector) -> set[str]:
    mine, _ = subject.split(detector.analyze(fresh.text or "", fresh.fields))
    values = surface_values(mine)
    if not values:
        raise Refused("the subject's values were not detected afresh; nothing to redact")
    return values


def surface_values(mine: list) -> set[str]:
    """The texts to erase: every form the subject's name was written in. A name cut by a line
    break (`Tomas\\nRecke`) is stored with other bytes between its words (CRLF, markup), so each
    line of it is erased as well."""
    values = {f.text for f in mine if f.text and f.text.strip()}
    for text in [v for v in values if "\n" in v]:
        values |= {part.strip() for part in text.split("\n") if len(part.strip()) > 1}
    return values


def _redacted(editor: str | None, raw: bytes, values: set[str], remove: bool) -> bytes:
    if editor == "docx":
        return redact_docx(raw, values)
    if editor == "xlsx":
        return redact_xlsx(raw, values, remove_rows=remove)
    if editor == "odt":
        return redact_odt(raw, values)
    if editor == "eml":
        return redact_message(raw, values)
    if editor in ("csv", "tsv") and remove:
        return remove_rows(raw, values, tab=editor == "tsv")
    return redact_text(raw, values)


def _run_mbox(log: _AuditLog, path: str, actions: list[dict], touched: dict, values_of) -> list[dict]:
    """All of one mailbox's messages go in one rewrite (message-N names shift otherwise): those to
    remove are left out, those to redact pass through the .eml editor, the rest are copied as they are."""
    fresh = read_fresh(path, {a["location"]: a["content_hash"] for a in actions})
    ok = [a for a in actions if fresh[a["location"]].state == "current"]
    results = [_refused(log, a, fresh[a["location"]]) for a in actions if a not in ok]
    edits = {}
    for a in [a for a in ok if a["action"] == "redact"]:
        try:
            values = values_of(fresh[a["location"]])
        except Refused as exc:
            ok.remove(a)
            log.write(a, "refused", str(exc))
            results.append(dict(location=a["location"], action=a["action"], outcome="refused",
                                reason=str(exc)))
            continue
        edits[_member(a)] = lambda raw, v=values: redact_message(raw, v)
    if not ok:
        return results
    names = {_member(a) for a in ok if a["action"] == "remove-message"}
    changed: set[str] = set()

    def rewrite() -> str:
        removed: set[str] = set()

        def write(target) -> None:
            with open(path, "rb") as source:
                done = copy_edited(source, target, names, edits)
            removed.update(done[0])
            changed.update(done[1])
            if removed != names:   # raised before the rename: the mailbox stays as it was
                raise Refused("the mailbox changed while it was read")
            if not done[0] and not done[1]:
                raise Refused("the subject's values were not found in the messages' bytes (encoded?): "
                              "edit by hand")
        replace_with(path, write)
        return f"removed {len(removed)} and redacted {len(changed)} message(s) in the mailbox"

    for a in ok:
        log.write(a, "begin")
    group = _run(log, dict(ok[0], location=path, value_keys=_all_keys(ok)), touched, rewrite)
    for a in ok:
        outcome, reason = group["outcome"], group["reason"]
        if outcome == "applied" and a["action"] == "redact" and _member(a) not in changed:
            outcome = "refused"
            reason = "the subject's values were not found in the message's bytes: edit by hand"
        log.write(a, outcome, reason)
        results.append(dict(location=a["location"], action=a["action"], outcome=outcome, reason=reason))
    return results


def _member(action: dict) -> str:
    """The message as planned (a URI is split on "!/", which a folder name may hold too); plans saved
    before `member` was recorded fall back to the URI."""
    return action.get("member") or Location.parse(action["location"]).members[0]


def _all_keys(actions) -> list[str]:
    return sorted({k for a in actions for k in a["value_keys"]})


def _refused(log: _AuditLog, action: dict, fresh) -> dict:
    reason = {"changed": "the message changed since the plan (content hash differs); rescan and plan again",
              "vanished": "the message has vanished since the plan"}.get(fresh.state, fresh.reason)
    log.write(action, "refused", reason)
    return dict(location=action["location"], action=action["action"], outcome="refused", reason=reason)


def _rescan_and_verify(touched: dict[str, str], subject: Subject, config, log: _AuditLog) -> list[dict]:
    roots = sorted({p if os.path.exists(p) else os.path.dirname(p) for p in touched})
    try:
        run_scan(roots, config)
        reread = set(touched)
    except InventoryLocked:
        # The daemon (or a scan) holds the inventory: it sees the edits itself. Wait for it to re-read them.
        reread = wait_for_reread(config.inventory, list(touched), VERIFY_WAIT_S)
    reader = open_inventory(config.inventory)
    try:
        remaining = find_locations(reader, subject.keys)
    finally:
        reader.close()
    out = []
    for path, how in sorted(touched.items()):
        still = [r["location"] for r in remaining if r["path"] == path]
        if path not in reread:
            outcome, reason = "unverified", ("another pdsweep process holds the inventory and has not re-read "
                                             "the file yet: check later with `pdsweep find`")
        elif still:
            outcome, reason = "still-matches", f"{len(still)} location(s) still match after the rescan"
        else:
            outcome, reason = "verified", "no longer matches"
        log.write(dict(action="verify", location=path, value_keys=list(subject.keys)), outcome, reason)
        out.append(dict(location=path, action=how, outcome=outcome, still_matching=still))
    return out


def wait_for_reread(inventory: str, paths: list[str], timeout_s: float) -> set[str]:
    """The paths whose current state (deleted, or its size and mtime now) the inventory already records,
    polling until all are or `timeout_s` has passed."""
    deadline = time.monotonic() + timeout_s
    while True:
        done = _recorded_as_now(inventory, paths)
        if len(done) == len(paths) or time.monotonic() >= deadline:
            return done
        time.sleep(0.5)


def _recorded_as_now(inventory: str, paths: list[str]) -> set[str]:
    reader = open_inventory(inventory)
    try:
        rows = reader.query("SELECT path, status, size, mtime_ns FROM locations "
                            "WHERE len(members) = 0 AND list_contains(?, path)", [paths])
    finally:
        reader.close()
    done = set()
    for path, status, size, mtime_ns in rows:
        try:
            st = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            if status == "gone":
                done.add(path)
            continue
        if status != "gone" and (size, mtime_ns) == (st.st_size, st.st_mtime_ns):
            done.add(path)
    return done
