"""A real `pdsweep watch`/`daemon` process for tests, and `find` from the test's own process.

Shared by tests/daemon and tests/smb (imported by module name, not through a conftest).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from scanner.daemon.status import status_path
from scanner.find import find_locations, query_keys
from scanner.inventory import open_inventory
from scanner.keys import Keyer, load_or_create_secret

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLLOW_S = 5.0          # the contract: `find` sees a change within 5 s of the file being closed


class DaemonProcess:
    """`python -m scanner <args>` (watch or daemon) in a child process, its logs captured to a file."""

    def __init__(self, args: list[str], inventory: str):
        self.inventory = inventory
        self.log_path = os.path.join(os.path.dirname(inventory), f"daemon-{time.monotonic_ns()}.log")
        env = dict(os.environ, TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="", PYTHONPATH=REPO)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "scanner", *args],
                                     stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=REPO)

    def status(self) -> dict:
        try:
            with open(status_path(self.inventory)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def wait_ready(self, timeout: float = 90.0, state: str = "watching") -> dict:
        """Until every root has finished its start-up crawl."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon exited {self.proc.returncode}: {self.log()}")
            status = self.status()
            if status.get("pid") == self.proc.pid and status.get("roots") and all(
                    r.get("last_crawl") for r in status["roots"]) and status.get("state") == state:
                return status
            time.sleep(0.1)
        raise AssertionError(f"daemon not ready after {timeout} s: {self.log()}")

    def stop(self, sig=signal.SIGTERM, timeout: float = 10.0) -> tuple[int, float]:
        start = time.monotonic()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self._log.close()
        return rc, time.monotonic() - start

    def log(self) -> str:
        with open(self.log_path, errors="replace") as f:
            return f.read()[-4000:]

    def log_records(self) -> list[dict]:
        with open(self.log_path, errors="replace") as f:
            return [json.loads(line) for line in f if line.startswith("{")]


class WatchProcess(DaemonProcess):
    def __init__(self, roots: list[str], inventory: str, *extra: str, debounce: float = 0.3):
        super().__init__(["watch", *roots, "--inventory", inventory, "--debounce", str(debounce),
                          "--log-format", "json", *extra], inventory)


def find(inventory: str, **identifiers) -> set[str]:
    """Locations `find` returns, computed in this process (not the daemon's)."""
    reader = open_inventory(inventory)
    try:
        secret = load_or_create_secret(os.path.join(inventory, "key"), create=False)
        keys = query_keys(Keyer(secret), {k: [v] for k, v in identifiers.items()})
        return {row["location"] for row in find_locations(reader, keys)}
    finally:
        reader.close()


def wait_for(predicate, timeout: float = FOLLOW_S) -> float:
    """Seconds until predicate() holds; fails the test past `timeout`."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(0.05)


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def letter(name: str, email: str) -> str:
    return (f"Dear {name},\n\nThank you for your enquiry. We will reply to {email} within five "
            f"working days.\n\nKind regards,\nCustomer Services\n")
