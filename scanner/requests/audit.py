"""The erasure audit log: append-only JSON lines in the inventory directory, never plaintext.

Each line: time, request id, action, location, the subject's value keys
(HMAC, not values), outcome and a reason. A `begin` line is written before a
file is touched and an outcome line after, so a crash in between shows as a
`begin` without an outcome (and the file is either fully old or fully new).
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

AUDIT_LOG = "erasure-audit.jsonl"


def audit_path(inventory: str) -> str:
    return os.path.join(inventory, AUDIT_LOG)


def append(inventory: str, request_id: str, action: str, location: str, value_keys, outcome: str,
           reason: str = "") -> None:
    entry = dict(time=datetime.now(timezone.utc).isoformat(timespec="microseconds"), request_id=request_id,
                 action=action, location=location, value_keys=sorted(value_keys), outcome=outcome,
                 reason=reason)
    fd = os.open(audit_path(inventory), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(inventory: str) -> list[dict]:
    path = audit_path(inventory)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
