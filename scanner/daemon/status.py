"""The daemon's status file: what it is doing, readable by `pdsweep status` from another process.

Written atomically in the inventory directory; it holds roots, counts, times
and error reasons, never a value found in a file.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone

from ..errors import InventoryError
from ..inventory.files import write_json_atomic

STATUS_FILE = "daemon-status.json"


def status_path(inventory: str) -> str:
    return os.path.join(inventory, STATUS_FILE)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StatusWriter:
    """Rewrites the file at most every `min_interval_s`, except when forced or when the daemon's or a
    root's state changed: a crawl that ends within a second of starting must not leave `crawling`."""

    def __init__(self, inventory: str, min_interval_s: float = 1.0):
        self.path = status_path(inventory)
        self.min_interval_s = min_interval_s
        self._last = 0.0
        self._last_states = None

    def write(self, status: dict, force: bool = False) -> None:
        now = time.monotonic()
        states = (status.get("state"), tuple(r.get("state") for r in status.get("roots", ())))
        if not force and states == self._last_states and now - self._last < self.min_interval_s:
            return
        status = dict(status, updated=now_iso())
        write_json_atomic(self.path, status)
        self._last, self._last_states = now, states


def read_status(inventory: str) -> dict:
    path = status_path(inventory)
    try:
        with open(path) as f:
            status = json.load(f)
    except FileNotFoundError:
        raise InventoryError(f"no daemon status in {inventory} (no daemon has run on this inventory)") \
            from None
    except (OSError, ValueError) as exc:
        raise InventoryError(f"cannot read {path}: {exc}") from None
    status["running"] = status.get("state") not in ("stopped", "failed") and pid_alive(status.get("pid"))
    return status


def pid_alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True     # alive, owned by another user (the daemon's service account)
    return True
