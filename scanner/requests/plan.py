"""The erasure plan: for every location holding the subject's data, an action and why.

Actions: `redact` (edit the file in place, or a message inside an mbox,
which is rewritten with it), `delete` (nothing else personal in it;
confirm), `remove-message` (from an mbox: only a message about no one else,
or when asked for; confirm), `beyond-use` (backup
members, PST, PDF, read-only: kept secure until the backup expires), and
`manual` (we cannot do it safely: the reason says what to do). Building a
plan changes nothing.
"""
from __future__ import annotations

import os
import uuid
from datetime import date, datetime, timezone

from connectors import Location
from connectors.media import is_audio
from connectors.source import source_for

from ..find import find_locations
from .formats import MBOX, MBOX_MESSAGE, MESSAGE, editor_for, writable
from .retention import expiry
from .subject import IDENTITY_TYPES, Subject


def new_request_id() -> str:
    return "req-" + datetime.now(timezone.utc).strftime("%Y%m%d") + "-" + uuid.uuid4().hex[:6]


def build_plan(reader, subject: Subject, retention=None, rows_mode: str = "redact",
               request_id: str | None = None, messages_mode: str = "redact") -> dict:
    """`messages_mode`: `redact` a message in a mailbox that holds other people's data too, or
    `remove` every matched message whole."""
    found = find_locations(reader, subject.keys)
    facts = _Facts(reader, subject, found)
    actions: dict[str, dict] = {}
    for row in found:
        action = _action_for(row, facts, retention, rows_mode)
        if action["action"] == "remove-message":
            action = mbox_message_action(row, action, facts.messages_with_others, messages_mode)
        if action["action"] == "redact" and action["location"] in facts.keyed_names():
            action["reason"] += "; its file name holds the subject's data too: rename it by hand"
        merged = actions.setdefault(action["location"], action)
        merged["matched_locations"] = sorted(set(merged["matched_locations"]) | {row["location"]})
        merged["value_keys"] = sorted(set(merged["value_keys"]) | set(facts.keys_of(row)))
    return dict(request_id=request_id or new_request_id(), created=_now(), inventory=reader.inventory,
                subject_keys=dict(sorted(subject.keys.items())), rows_mode=rows_mode, keyed_names=facts.keyed_names(),
                actions=sorted(actions.values(), key=lambda a: a["location"]))


class _Facts:
    """What the inventory knows about the matched locations' outer files and findings."""

    def __init__(self, reader, subject: Subject, found: list[dict]):
        paths = sorted({r["path"] for r in found})
        self.outer = {p: dict(content_hash=h, mime=m, mtime_ns=t) for p, h, m, t in reader.query(
            "SELECT uri, content_hash, mime, mtime_ns FROM locations WHERE uri IN (SELECT unnest(?))", [paths])}
        self.message_hash = {u: h for u, h in reader.query(
            "SELECT uri, content_hash FROM locations WHERE path IN (SELECT unnest(?)) AND len(members) = 1",
            [paths])}
        self.name_keys = dict(reader.query("SELECT uri, name_key FROM locations WHERE uri IN (SELECT unnest(?))",
                                           [sorted({r["location"] for r in found} | set(paths))]))
        hashes = sorted({h for r in found for h in (r["content_hash"], self.name_keys.get(r["location"])) if h})
        keys = list(subject.keys)
        self.subject_keys: dict[str, set[str]] = {}
        self.scanned: set[str] = set()      # contents where the subject's data was read by OCR
        for h, k, ocr in reader.query("SELECT DISTINCT content_hash, value_key, ocr FROM findings WHERE content_hash "
                                      "IN (SELECT unnest(?)) AND value_key IN (SELECT unnest(?))", [hashes, keys]):
            self.subject_keys.setdefault(h, set()).add(k)
            if ocr:
                self.scanned.add(h)
        self.with_others = {p for (p,) in reader.query(
            "SELECT DISTINCT l.path FROM locations l JOIN findings f ON f.content_hash = l.content_hash "
            "WHERE l.path IN (SELECT unnest(?)) AND l.status <> 'gone' AND f.entity_type IN (SELECT unnest(?)) "
            "AND f.value_key NOT IN (SELECT unnest(?))", [paths, list(IDENTITY_TYPES), keys])}
        self.messages_with_others = messages_with_others(reader, paths, keys)

        # A recording's other party is often known only by a phone number, in its name, tags or speech.
        self.recordings_with_others = {p for (p,) in reader.query(
            "SELECT DISTINCT l.path FROM locations l JOIN findings f ON f.content_hash IN (l.content_hash, l.name_key) "
            "WHERE l.path IN (SELECT unnest(?)) AND l.status <> 'gone' AND f.entity_type IN (SELECT unnest(?)) "
            "AND f.value_key NOT IN (SELECT unnest(?))", [paths, [*IDENTITY_TYPES, "PHONE_NUMBER"], keys])}

    def keys_of(self, row: dict) -> set[str]:
        return (self.subject_keys.get(row["content_hash"], set())
                | self.subject_keys.get(self.name_keys.get(row["location"]), set()))

    def keyed_names(self) -> dict[str, str]:
        """{uri: its keyed file name} for every location whose own name holds the subject's data."""
        return {uri: key for uri, key in self.name_keys.items() if key and self.subject_keys.get(key)}

    def only_in_name(self, row: dict) -> bool:
        return not self.subject_keys.get(row["content_hash"])


def _action_for(row: dict, facts: _Facts, retention, rows_mode: str) -> dict:
    path = row["path"]
    outer = facts.outer.get(path, {})
    base = dict(location=path, path=path, content_hash=outer.get("content_hash"), confirm=False,
                archive_date=None, expiry=None, matched_locations=[], value_keys=[])
    capabilities = source_for(path).capabilities
    if not capabilities.editable:
        if capabilities.backups and row["members"] and outer.get("mime") not in MBOX | MESSAGE:
            return _beyond_use(row, base, outer, retention, "a member of a backup archive in a bucket, "
                               "which pdsweep only reads")
        # A remote share is opened read-only, by design: the edit is its administrator's.
        return dict(base, action="manual", reason=capabilities.read_only_reason)
    if not os.path.exists(path):
        return dict(base, action="manual", reason="the file no longer exists: rescan it")
    if not writable(path):
        return _beyond_use(row, base, outer, retention, "read-only: cannot be edited")
    if not row["members"] and is_audio(outer.get("mime") or ""):
        return _recording_action(path, base, facts)
    if facts.only_in_name(row):
        return dict(base, location=row["location"], action="manual",
                    reason="the subject's data is in the file name: rename the file")
    if row["members"]:
        return _member_action(row, base, outer, facts, retention)
    if row["content_hash"] in facts.scanned or (outer.get("mime") or "").startswith("image/"):
        return dict(base, action="manual",
                    reason="a scan or photo (its text was read by OCR): pdsweep does not edit images; black out "
                           "or delete the subject's data by hand, then rescan")
    editor = editor_for(outer.get("mime"))
    if editor is None:
        return _beyond_use(row, base, outer, retention, f"{outer.get('mime') or 'this format'} is not edited in place")
    if path not in facts.with_others:
        return dict(base, action="delete", confirm=True,
                    reason="nothing about anyone else in it: delete the file (confirm)")
    how = "remove the subject's rows" if rows_mode == "remove" and editor in ("csv", "tsv", "xlsx") else \
        "replace the subject's values"
    return dict(base, action="redact", editor=editor, reason=f"{editor}: {how}; other people's data stays")


def _recording_action(path: str, base: dict, facts: _Facts) -> dict:
    """A call recording is all of it the subject's data, or shared with the other party: never redacted.
    A number only possibly said (a transcript's `(possible)` line) never stands alone: the number the
    engine wrote beside it is another number, so such a recording is `manual`, never `delete`."""
    if path in facts.recordings_with_others:
        return dict(base, action="manual",
                    reason="a call recording with someone else in it, or a number the speech engine was not "
                           "sure of (its transcript, tags or file name): "
                           "cut the subject's part out with an audio editor, or delete it if no one else "
                           "needs it kept")
    return dict(base, action="delete", confirm=True,
                reason="a recording with nothing about anyone else in it: delete the file (confirm)")


def _member_action(row: dict, base: dict, outer: dict, facts: _Facts, retention) -> dict:
    mime = outer.get("mime")
    if mime in MBOX:
        message = Location(row["path"], tuple(row["members"][:1])).uri
        return dict(base, location=message, member=row["members"][0], content_hash=facts.message_hash.get(message),
                    action="remove-message", reason="remove the message from the mailbox (rewritten without it)")
    if mime in MESSAGE or (editor_for(mime) == "text" and row["members"]):
        if row["path"] not in facts.with_others:
            return dict(base, action="delete", confirm=True,
                        reason="an email file about no one else (its attachment holds the subject's data): "
                               "delete it (confirm)")
        return dict(base, location=row["location"], action="manual",
                    reason="an attachment of an email file: remove or edit the attachment by hand")
    return _beyond_use(row, base, outer, retention, "a member of an archive that is not edited")


def messages_with_others(reader, paths: list[str], subject_keys: list[str]) -> set[str]:
    """URIs of the mailbox messages whose text or attachments name someone besides the subject."""
    return {Location(p, (m,)).uri for p, m in reader.query(
        "SELECT DISTINCT l.path, l.members[1] FROM locations l JOIN findings f ON f.content_hash = l.content_hash "
        "WHERE l.path IN (SELECT unnest(?)) AND len(l.members) >= 1 AND l.status <> 'gone' "
        "AND f.entity_type IN (SELECT unnest(?)) AND f.value_key NOT IN (SELECT unnest(?))",
        [paths, list(IDENTITY_TYPES), subject_keys])}


def mbox_message_action(row: dict, removal: dict, with_others: set[str], messages_mode: str) -> dict:
    """A matched message in a mailbox. Removing it would take the sender's and every other
    recipient's data with it, so it is removed only when it holds no one else's (or when asked
    to, `messages_mode="remove"`), flagged for confirmation like `delete`; otherwise its text is
    redacted in place with the .eml editor. A match only in its attachment is left to the user."""
    message = removal["location"]
    if messages_mode == "remove" or message not in with_others:
        why = "asked for" if message in with_others else "nothing about anyone else in it"
        return dict(removal, confirm=True,
                    reason=f"{why}: remove the message from the mailbox (rewritten without it; confirm)")
    if len(row["members"]) > 1:
        return dict(removal, location=row["location"], content_hash=row["content_hash"], action="manual",
                    reason="an attachment of a message in a mailbox that names others too: remove or edit the "
                           "attachment by hand, or plan again with --mbox-messages remove")
    return dict(removal, action="redact", editor=MBOX_MESSAGE,
                reason="a message in a mailbox: replace the subject's values in it (the mailbox is "
                       "rewritten); the sender's and other recipients' data stays")


def _beyond_use(row: dict, base: dict, outer: dict, retention, why: str) -> dict:
    archived = _date(outer.get("mtime_ns"))
    ends = expiry(archived, retention) if archived else None
    return dict(base, location=row["location"], content_hash=row["content_hash"], action="beyond-use",
                archive_date=archived.isoformat() if archived else None,
                expiry=ends.isoformat() if ends else None,
                reason=f"{why}: put beyond use (kept secure, not used or shared) until "
                       f"{ends.isoformat() if ends else 'the backup is deleted (set --backup-retention)'}")


def _date(mtime_ns: int | None) -> date | None:
    return datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc).date() if mtime_ns else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def audit_location(uri: str, keyed_names: dict[str, str], outer: str | None = None) -> str:
    """The URI with every file name that holds the subject's data replaced by its key (for the audit log).

    `outer`: the location's outer path when known (a folder named `x!` puts a `!/` into the path)."""
    if outer and uri.startswith(outer) and uri[len(outer):len(outer) + 2] in ("", "!/"):
        loc = Location(outer, tuple(uri[len(outer) + 2:].split("!/")) if len(uri) > len(outer) else ())
    else:
        loc = Location.parse(uri)
    parts = [loc.outer, *loc.members]
    for depth in range(len(parts)):
        key = keyed_names.get(Location(loc.outer, loc.members[:depth]).uri)
        if key:
            head, _, _ = parts[depth].rpartition("/")
            parts[depth] = f"{head}/{key}" if head else key
    return "!/".join(parts)
