"""Unreadable files and directories (as a non-root user), and files that vanish or change while a
scan is reading them."""
from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time

import pytest

from hostile_run import checked_scan
from hostile_inputs import PII_LINE

USER = "pdsweep-hostile"


@pytest.fixture(scope="module")
def scan_user():
    if os.geteuid() != 0:
        pytest.skip("needs root to create the non-root scan user")
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                       check=True)
    return pwd.getpwnam(USER)


@pytest.fixture
def shared_dir():
    """A directory the scan user can reach (pytest's own tmp is root-only)."""
    base = tempfile.mkdtemp(prefix="pdsweep-hostile-", dir="/tmp")
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_unreadable_file_and_directory_as_non_root(scan_user, shared_dir):
    root = os.path.join(shared_dir, "tree")
    os.makedirs(os.path.join(root, "locked-dir"))
    for name, mode in (("readable.txt", 0o644), ("locked.txt", 0o000), ("locked-dir/inside.txt", 0o644)):
        path = os.path.join(root, name)
        with open(path, "wb") as f:
            f.write(PII_LINE)
        os.chmod(path, mode)
    os.chmod(os.path.join(root, "locked-dir"), 0o000)
    work = os.path.join(shared_dir, "work")
    os.makedirs(work)
    os.chown(work, scan_user.pw_uid, scan_user.pw_gid)
    run = checked_scan(root, work, user=USER)
    assert run.statuses[os.path.join(root, "readable.txt")] == ("ok", "")
    assert run.statuses[os.path.join(root, "locked.txt")] == ("error", "PermissionError: Permission denied")
    assert run.statuses[os.path.join(root, "locked-dir")] == ("error", "PermissionError: Permission denied")
    assert os.path.join(root, "locked-dir", "inside.txt") not in run.statuses
    assert os.stat(os.path.join(work, "inventory")).st_uid == scan_user.pw_uid


def test_files_vanishing_and_changing_during_a_scan(tmp_path):
    """A churner deletes, recreates, truncates and appends to files while the scan runs."""
    root = tmp_path / "tree"
    root.mkdir()
    stable = {f"stable-{i}.txt": PII_LINE * (i + 1) for i in range(20)}
    for name, data in stable.items():
        (root / name).write_bytes(data)
    churned = [root / f"churn-{i}.txt" for i in range(20)]
    filler = b"the minutes of the meeting were agreed without change.\n"
    for path in churned:
        path.write_bytes(filler * 5000 + PII_LINE)
    stop = threading.Event()

    def churn():
        n = 0
        while not stop.is_set():
            path = churned[n % len(churned)]
            action = n % 4
            try:
                if action == 0:
                    path.unlink()
                elif action == 1:
                    path.write_bytes(filler * (n % 3000) + PII_LINE)
                elif action == 2:
                    with open(path, "r+b") as f:
                        f.truncate(n % 500)
                else:
                    with open(path, "ab") as f:
                        f.write(filler * 200)
            except OSError:
                pass
            n += 1
            time.sleep(0.001)

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        run = checked_scan(root, tmp_path, expect_unchanged=False, timeout=240)
    finally:
        stop.set()
        thread.join()
    for name in stable:
        assert run.statuses[str(root / name)] == ("ok", ""), name
    for uri, (status, reason) in run.statuses.items():
        assert status in ("ok", "error", "gone", "skipped"), (uri, status, reason)
        if status == "skipped":     # truncated to nothing while read
            assert reason.startswith("no text extracted from"), reason
        if status == "error":       # vanished under the reader: an OS error, not a parser crash
            assert re.match(r"^[A-Za-z]+Error: ", reason) or "changed" in reason, reason
    for name, data in stable.items():
        assert (root / name).read_bytes() == data
