"""Stopping, restarting, the lock, a root that goes away, polling, and `pdsweep status`."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.daemon import Session
from scanner.daemon.status import read_status
from scanner.errors import InventoryError
from scanner.inventory import open_inventory

from .conftest import REPO, DaemonProcess, WatchProcess, find, letter, wait_for, write

pytestmark = pytest.mark.slow


@pytest.fixture
def tree(tmp_path):
    root, inventory = str(tmp_path / "share"), str(tmp_path / "inventory")
    os.makedirs(root)
    return root, inventory


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_exits_zero_quickly_and_leaves_a_readable_inventory(tree, people, sig):
    root, inventory = tree
    persons = people(40)
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    for i, (name, email) in enumerate(persons):      # keep it busy while the signal arrives
        write(os.path.join(root, f"batch/{i}.txt"), letter(name, email))
    wait_for(lambda: daemon.status().get("queue", 0) > 0 or daemon.status().get("files_read", 0) > 0)
    rc, seconds = daemon.stop(sig)
    assert rc == 0, daemon.log()
    assert seconds < 10
    reader = open_inventory(inventory)                # consistent: every listed part is there and readable
    try:
        assert reader.query("SELECT count(*) FROM locations")[0][0] >= 1
    finally:
        reader.close()
    status = read_status(inventory)
    assert status["state"] == "stopped" and not status["running"]


def test_restart_reconciles_changes_made_while_down(tree, people):
    root, inventory = tree
    (n1, e1), (n2, e2), (n3, e3), (n4, e4), (n5, e5) = people(5)
    keep, deleted, edited = (os.path.join(root, f) for f in ("keep.txt", "deleted.txt", "edited.txt"))
    write(keep, letter(n1, e1))
    write(deleted, letter(n2, e2))
    write(edited, letter(n3, e3))
    write(os.path.join(root, "dir", "moved.txt"), letter(n5, e5))
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    assert find(inventory, email=e2) == {deleted}
    assert daemon.stop()[0] == 0

    os.unlink(deleted)                                # changes while the daemon is down
    write(edited, f"now only {e4}\n")
    created = os.path.join(root, "created.txt")
    write(created, letter(n2, e2))
    os.rename(os.path.join(root, "dir"), os.path.join(root, "dir2"))

    daemon = WatchProcess([root], inventory)
    status = daemon.wait_ready()
    try:
        crawl = status["roots"][0]["last_crawl"]
        assert crawl["files"] == 4
        assert crawl["unchanged"] == 1                # keep.txt was not read again
        assert crawl["files_read"] == 3 and crawl["gone"] == 2       # deleted.txt, dir/moved.txt
        assert find(inventory, email=e1) == {keep}
        assert find(inventory, email=e2) == {created}
        assert find(inventory, email=e3) == set()
        assert find(inventory, email=e4) == {edited}
        assert find(inventory, email=e5) == {os.path.join(root, "dir2", "moved.txt")}
    finally:
        assert daemon.stop()[0] == 0


def test_a_second_writer_is_refused_with_a_clear_message(tree):
    root, inventory = tree
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    try:
        env = dict(os.environ, TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="", PYTHONPATH=REPO)
        done = subprocess.run([sys.executable, "-m", "scanner", "scan", root, "-q", "--inventory", inventory],
                              capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
        assert done.returncode == 1, done.stderr
        message = f"being written by another pdsweep process (pid {daemon.proc.pid})"
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
        with pytest.raises(InventoryError, match=message.replace("(", r"\(").replace(")", r"\)")):
            Session(ScanConfig(inventory=inventory))   # a second daemon is refused the same way
        second = WatchProcess([root], inventory)
        assert second.proc.wait(60) == 1 and message in second.log()
        assert daemon.proc.poll() is None             # the daemon is unaffected, and so is its status file
        status = read_status(inventory)
        assert status["pid"] == daemon.proc.pid and status["running"]
    finally:
        assert daemon.stop()[0] == 0


def test_status_command_from_another_process(tree):
    root, inventory = tree
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    runner = CliRunner()
    try:
        result = runner.invoke(cli, ["status", "--inventory", inventory, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert '"running": true' in result.output and root in result.output
        result = runner.invoke(cli, ["status", "--inventory", inventory])
        assert result.exit_code == 0 and "running" in result.output
    finally:
        assert daemon.stop()[0] == 0
    result = runner.invoke(cli, ["status", "--inventory", inventory])
    assert result.exit_code == 3 and "NOT running" in result.output


def test_root_that_disappears_is_retried_and_crawled_when_back(tree, people):
    root, inventory = tree
    (n1, e1), (n2, e2) = people(2)
    write(os.path.join(root, "a.txt"), letter(n1, e1))
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    try:
        shutil.rmtree(root)
        wait_for(lambda: daemon.status()["roots"][0]["state"] == "lost", timeout=10)
        assert daemon.proc.poll() is None
        write(os.path.join(root, "b.txt"), letter(n2, e2))
        wait_for(lambda: find(inventory, email=e2) == {os.path.join(root, "b.txt")}, timeout=20)
        assert find(inventory, email=e1) == set()
        write(os.path.join(root, "c.txt"), letter(n1, e1))    # and the new watch follows changes
        wait_for(lambda: find(inventory, email=e1) == {os.path.join(root, "c.txt")})
    finally:
        assert daemon.stop()[0] == 0


def test_polling_observer_follows_changes(tree, people):
    root, inventory = tree
    (name, email), = people(1)
    daemon = WatchProcess([root], inventory, "--polling", "--poll-interval", "0.5")
    status = daemon.wait_ready()
    try:
        assert status["roots"][0]["observer"] == "polling"
        path = os.path.join(root, "polled.txt")
        write(path, letter(name, email))
        wait_for(lambda: find(inventory, email=email) == {path})
        os.unlink(path)
        wait_for(lambda: find(inventory, email=email) == set())
    finally:
        assert daemon.stop()[0] == 0


def test_daemon_config_watches_one_root_and_recrawls_another_on_its_interval(tmp_path, people):
    live, backups, inventory = (str(tmp_path / d) for d in ("live", "backups", "inventory"))
    os.makedirs(live)
    os.makedirs(backups)
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{inventory}"\ndebounce = 0.3\nlog_format = "json"\n'
                      f'[[roots]]\npath = "{live}"\n'
                      f'[[roots]]\npath = "{backups}"\nkind = "backup"\nwatch = false\ninterval = "2s"\n'
                      '[detector]\nuse_ner = false\n')
    daemon = DaemonProcess(["daemon", "--config", str(config)], inventory)
    status = daemon.wait_ready()
    try:
        assert [r["observer"] for r in status["roots"]] == ["inotify", None]
        (n1, e1), (n2, e2) = people(2)
        in_backup = os.path.join(backups, "2024", "dump.txt")
        write(in_backup, letter(n1, e1))                  # not watched: found by the next crawl
        write(os.path.join(live, "x.txt"), letter(n2, e2))
        wait_for(lambda: find(inventory, email=e2) == {os.path.join(live, "x.txt")})
        wait_for(lambda: find(inventory, email=e1) == {in_backup}, timeout=6)
        os.unlink(in_backup)
        wait_for(lambda: find(inventory, email=e1) == set(), timeout=6)
        assert read_status(inventory)["roots"][1]["last_crawl"]["status"] == "completed"
    finally:
        assert daemon.stop()[0] == 0


def test_kill_9_mid_batch_leaves_a_readable_inventory_and_a_restart_completes_it(tree, people):
    root, inventory = tree
    persons = people(60)
    daemon = WatchProcess([root], inventory, debounce=0.1)
    daemon.wait_ready()
    paths = {email: os.path.join(root, f"burst/{i}.txt") for i, (_, email) in enumerate(persons)}
    for (name, email) in persons:
        write(paths[email], letter(name, email))
    wait_for(lambda: daemon.status().get("files_read", 0) > 0, timeout=10)
    daemon.stop(signal.SIGKILL)
    reader = open_inventory(inventory)                 # whatever was published is whole
    try:
        for table in ("locations", "findings", "contents", "scans"):
            reader.query(f"SELECT count(*) FROM {table}")
    finally:
        reader.close()
    assert not read_status(inventory)["running"]       # its pid is dead, whatever the file says

    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    try:
        for email, path in paths.items():
            assert find(inventory, email=email) == {path}
    finally:
        assert daemon.stop()[0] == 0


def test_a_big_crawl_reads_with_the_worker_pool_and_a_stop_still_exits_cleanly(tmp_path, people):
    """A new root with hundreds of files: the daemon's crawl uses `workers` processes. SIGTERM in the
    middle of it exits 0 within 10 s; the restart finishes the job and every person is findable."""
    from scanner.daemon.session import POOL_MIN_FILES

    root, inventory = str(tmp_path / "share"), str(tmp_path / "inventory")
    persons = people(POOL_MIN_FILES + 40)
    paths = {email: os.path.join(root, f"bulk{i % 7}", f"{i}.txt") for i, (_, email) in enumerate(persons)}
    for name, email in persons:
        write(paths[email], letter(name, email) * 60)        # long enough that the crawl takes a while
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{inventory}"\nworkers = 2\nlog_format = "json"\n'
                      f'[[roots]]\npath = "{root}"\n')

    daemon = DaemonProcess(["daemon", "--config", str(config)], inventory)
    wait_for(lambda: f"reading {len(persons)} file(s) with 2 workers" in daemon.log(), timeout=60)
    wait_for(lambda: _published_files(inventory) > 0, timeout=60)     # the workers are reading
    rc, seconds = daemon.stop()
    assert rc == 0 and seconds < 10, daemon.log()
    interrupted = [r for r in daemon.log_records() if r["msg"].startswith("crawl of")]
    assert interrupted and "interrupted" in interrupted[-1]["msg"], interrupted   # stopped mid-crawl

    daemon = DaemonProcess(["daemon", "--config", str(config)], inventory)
    try:
        status = daemon.wait_ready(timeout=180)
        crawl = status["roots"][0]["last_crawl"]
        assert crawl["files"] == len(persons) and crawl["status"] == "completed"
        for email, path in paths.items():
            assert find(inventory, email=email) == {path}
    finally:
        assert daemon.stop()[0] == 0


def _published_files(inventory: str) -> int:
    try:
        reader = open_inventory(inventory)
    except Exception:          # not published yet
        return 0
    try:
        return reader.query("SELECT count(*) FROM locations WHERE status = 'ok'")[0][0]
    finally:
        reader.close()


def test_erase_while_the_daemon_runs_is_verified_through_the_daemon(tree, people):
    """The daemon holds the inventory: `erase --apply` edits the files, the daemon re-reads them, and
    erase verifies against what the daemon recorded (instead of failing on the lock)."""
    import json

    root, inventory = tree
    (n1, e1), (n2, e2) = people(2)
    solo, shared = os.path.join(root, "solo.txt"), os.path.join(root, "shared.csv")
    write(solo, letter(n1, e1))
    write(shared, f"name,email\n{n1},{e1}\n{n2},{e2}\n")
    daemon = WatchProcess([root], inventory)
    daemon.wait_ready()
    try:
        assert find(inventory, email=e1) == {solo, shared}
        result = CliRunner().invoke(cli, ["erase", "--email", e1, "--name", n1, "-i", inventory, "--apply", "--yes",
                                          "--format", "json"])
        assert result.exit_code == 0, result.output
        applied = json.loads(result.output)["applied"]
        assert sorted((v["location"], v["outcome"]) for v in applied["verification"]) == [
            (shared, "verified"), (solo, "verified")]
        assert not os.path.exists(solo)
        assert find(inventory, email=e1) == set() and find(inventory, email=e2) == {shared}
    finally:
        assert daemon.stop()[0] == 0
