"""The erasure audit log: append-only JSON lines in the inventory directory, never plaintext.

Each line: time, request id, action, location, the subject's value keys
(HMAC, not values), outcome and a reason. A `begin` line is written before a
file is touched and an outcome line after, so a crash in between shows as a
`begin` without an outcome (and the file is either fully old or fully new).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from ..inventory.jsonl import append_record, read_records

AUDIT_LOG = "erasure-audit.jsonl"


def audit_path(inventory: str) -> str:
    return os.path.join(inventory, AUDIT_LOG)


def append(inventory: str, request_id: str, action: str, location: str, value_keys, outcome: str,
           reason: str = "") -> None:
    entry = dict(time=datetime.now(timezone.utc).isoformat(timespec="microseconds"), request_id=request_id,
                 action=action, location=location, value_keys=sorted(value_keys), outcome=outcome,
                 reason=reason)
    append_record(audit_path(inventory), entry)


def read_log(inventory: str) -> list[dict]:
    return read_records(audit_path(inventory))
