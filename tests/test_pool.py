"""The worker pool survives a worker that hangs (stopped) or dies (killed), losing nothing else."""
from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace

import psutil
import pytest

from connectors import Limits
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.scan import run_scan

pytestmark = pytest.mark.slow


def make_tree(root, n=40, lines=1):
    root.mkdir()
    for i in range(n):
        text = f"Contact person{i}.tester@example.org about order {i}.\n"
        text += "".join(f"Dear Emma Holt, order {i}-{k} was sent to Leeds.\n" for k in range(lines - 1))
        (root / f"f{i:03d}.txt").write_text(text)
    return root


def scan_while(tree, inventory, action, **config):
    cfg = ScanConfig(inventory=str(inventory), workers=2, isolate_workers=True, batch_files=4, **config)
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("summary", run_scan([str(tree)], cfg)))
    thread.start()
    acted = False
    deadline = time.monotonic() + 60
    while not acted and time.monotonic() < deadline:
        # Half a second of CPU: at work on the files (the forkserver that forked them hardly
        # runs; a spawned worker is loading the model by then).
        # A spawned worker (under a long TMPDIR) is still loading the model at half a second: it has
        # the start-up allowance, not the time limit, so also wait for the model (RSS) to be in.
        try:
            kids = [p for p in worker_processes()
                    if sum(p.cpu_times()[:2]) > 0.5 and p.memory_info().rss > 150 << 20]
            if len(kids) >= 2:   # both workers at work
                action(kids[0].pid)
                acted = True
        except (ProcessLookupError, psutil.NoSuchProcess):
            pass   # a worker ended between the look and the signal: look again
        time.sleep(0.2)
    assert acted, "workers never started"
    thread.join(180)
    assert not thread.is_alive()
    return box["summary"]


def worker_processes():
    """The pool's processes: forked by the forkserver (itself a child of this process), or spawned
    where there is none."""
    me = os.getpid()
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
            if ("spawn_main" in cmd or ("forkserver" in cmd and p.ppid() != me)) and p.is_running():
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def rows(inventory):
    reader = open_inventory(str(inventory))
    out = reader.query("SELECT uri, status, reason FROM locations")
    found = {h for (h,) in reader.query("SELECT DISTINCT content_hash FROM findings")}
    hashes = dict(reader.query("SELECT uri, content_hash FROM locations"))
    reader.close()
    return out, found, hashes


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """The scan's TMPDIR: whatever a killed worker had spooled must not be left there."""
    import tempfile
    from multiprocessing import util

    from scanner.pool_server import _kill_server

    # The workers must be at work when they are stopped, as the CLI's are: forked from a server that
    # loaded this scan's detector. One that loads its own (spawned, or forked from a server an earlier
    # test started with other settings) can be stopped while loading the model, which earns it the
    # start-up's minute of allowance. So the server this process may hold goes, and multiprocessing's
    # own folder (made once per process, where TMPDIR then is: the server's socket) is made before
    # TMPDIR moves under tmp_path, which is too long a path for a socket.
    _kill_server()
    util.get_temp_dir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


def left_by_workers(tmp) -> list[str]:
    return sorted(n for n in os.listdir(tmp) if n.startswith("pdsweep-"))


def test_a_killed_worker_is_replaced_and_only_its_file_is_lost(tmp_path, private_tmp):
    # Enough text that the workers, forked with the imports done, are still busy when one is killed.
    tree = make_tree(tmp_path / "tree", lines=300)
    summary = scan_while(tree, tmp_path / "inv", lambda pid: os.kill(pid, signal.SIGKILL))
    assert left_by_workers(private_tmp) == []
    assert summary.status == "completed"
    locations, found, hashes = rows(tmp_path / "inv")
    assert len(locations) == 40
    lost = [(u, s, r) for u, s, r in locations if s != "ok"]
    assert len(lost) <= 1 and all("worker died" in r for _, _, r in lost)
    ok = [u for u, s, _ in locations if s == "ok"]
    assert all(hashes[u] in found for u in ok), "a requeued file lost its findings"


def test_a_hung_worker_is_killed_after_the_time_limit_and_recorded_as_timeout(tmp_path, private_tmp):
    tree = make_tree(tmp_path / "tree", lines=300)   # still at work when one is stopped
    limits = replace(Limits(), doc_timeout_s=2.0)
    summary = scan_while(tree, tmp_path / "inv", lambda pid: os.kill(pid, signal.SIGSTOP),
                         limits=limits, worker_grace_s=2.0)
    assert left_by_workers(private_tmp) == []
    assert summary.status == "completed"
    locations, found, hashes = rows(tmp_path / "inv")
    assert len(locations) == 40
    lost = [(u, s, r) for u, s, r in locations if s != "ok"]
    assert len(lost) <= 1 and all(s == "timeout" and "worker killed" in r for _, s, r in lost)
    assert all(hashes[u] in found for u, s, _ in locations if s == "ok")
