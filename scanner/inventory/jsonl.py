"""Append-only JSON-lines files (the erasure audit log, the suppression register): one record a line,
written with O_APPEND and fsync'ed, the file created 0600."""
from __future__ import annotations

import json
import os


def append_record(path: str, record: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)      # an erasure's record must survive a crash right after it
    finally:
        os.close(fd)


def read_records(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
