"""Logging for the daemon: plain lines for a terminal, JSON lines for journald or a collector.

Messages carry counts and paths, never a value found in a file.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
        entry = {"ts": ts,
                 "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})   # `extra=` fields
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(message)s")

    def formatException(self, ei) -> str:
        # A traceback can quote a file's content through an exception message: the type is enough.
        return f"  ({ei[0].__name__})" if ei and ei[0] else ""


def setup_logging(fmt: str = "text", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Third-party loggers may quote file content: warnings and up only (pdfminer, which does,
    # is silenced entirely by connectors/extractors/pdf.py; do not lower it here).
    for noisy in ("presidio-analyzer", "watchdog"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
