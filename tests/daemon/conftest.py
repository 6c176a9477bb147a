"""Fixtures for daemon tests: a real `pdsweep watch` process on a temporary tree, and `find` from this one."""
from __future__ import annotations

import os
import time

import pytest
from faker import Faker

from .daemon_process import (FOLLOW_S, REPO, DaemonProcess, WatchProcess, find, letter,  # noqa: F401
                             wait_for, write)


@pytest.fixture
def people():
    """Distinct synthetic UK people (name, email), as many as asked for."""
    fake = Faker("en_GB")
    Faker.seed(time.monotonic_ns())

    def make(n: int) -> list[tuple[str, str]]:
        out, emails = [], set()
        while len(out) < n:
            first, last = fake.first_name(), fake.last_name()
            email = f"{first}.{last}.{fake.pyint(10, 99999)}@{fake.free_email_domain()}".lower()
            if email not in emails:
                emails.add(email)
                out.append((f"{first} {last}", email))
        return out
    return make


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """One daemon shared by the tests of a module: (root, inventory, process)."""
    base = tmp_path_factory.mktemp("watched")
    root, inventory = str(base / "share"), str(base / "inventory")
    os.makedirs(root)
    write(os.path.join(root, "seed.txt"), "nothing personal here\n")
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    yield root, inventory, daemon
    rc, _ = daemon.stop()
    assert rc == 0, daemon.log()
