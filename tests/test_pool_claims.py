"""The pool's claim table: each content goes to exactly one worker, across real processes, as the
table grows, after a lost worker's claims are released, and after a worker dies holding the lock."""
from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import signal
import subprocess
import sys

import pytest

from scanner.pool_claims import FIRST_SLOTS, ClaimTable


def _claim_all(table: ClaimTable, keys: list[str], out) -> None:
    out.put((os.getpid(), [table.setdefault(k, os.getpid()) for k in keys]))


@pytest.fixture
def table():
    t = ClaimTable.create()
    yield t
    t.remove()


def test_processes_racing_for_the_same_contents_agree_on_one_owner_each(table):
    keys = [f"{i:064x}" for i in range(FIRST_SLOTS)]          # twice what the first table takes
    orders = [keys, keys[::-1], keys[len(keys) // 2:] + keys[:len(keys) // 2]]
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(table, order, out)) for order in orders]
    for p in procs:
        p.start()
    answers = {}
    for _ in procs:
        pid, owners = out.get(timeout=60)
        order = orders[[p.pid for p in procs].index(pid)]
        answers[pid] = dict(zip(order, owners))
    for p in procs:
        p.join(10)
    views = list(answers.values())
    assert all(view == views[0] for view in views)               # every process saw the same owner
    assert set(views[0].values()) <= set(answers)                 # and it was one of them
    assert sorted(os.listdir(table.folder)) == ["lock", "table-1"]   # grown, the old table gone
    me = os.getpid()
    assert all(table.setdefault(k, me) == views[0][k] for k in keys)


def test_a_lost_workers_claims_go_to_the_next_claimant(table):
    table.setdefault("a", 101)
    table.setdefault("b", 202)
    table.setdefault("c", 101)
    table.release(101)
    assert table.setdefault("a", 303) == 303
    assert table.setdefault("b", 303) == 202
    assert table.setdefault("c", 404) == 404
    assert table.setdefault("a", 404) == 303


def test_a_worker_killed_holding_the_lock_does_not_stop_the_others(table):
    table.setdefault("before", 1)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:    # takes the lock as a claim does, then hangs until killed
        fd = os.open(os.path.join(table.folder, "lock"), os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(ready_w, b"x")
        signal.pause()
        os._exit(0)
    assert os.read(ready_r, 1) == b"x"
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert table.setdefault("after", 2) == 2
    assert table.setdefault("before", 2) == 1


def test_the_table_pickles_as_its_folder_and_reopens_in_the_process_that_uses_it(table):
    import pickle

    table.setdefault("x", 7)
    copy = pickle.loads(pickle.dumps(table))
    assert copy.folder == table.folder and copy._table is None
    assert copy.setdefault("x", 8) == 7
    copy.close()


def test_a_worker_waiting_on_a_stopped_holder_keeps_saying_it_is_alive(table):
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:    # holds the lock as a claim does, then stops, as a worker stopped there would
        fd = os.open(os.path.join(table.folder, "lock"), os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(ready_w, b"x")
        os.kill(os.getpid(), signal.SIGSTOP)
        os._exit(0)
    assert os.read(ready_r, 1) == b"x"
    beats = []

    def waiting():
        beats.append(1)
        if len(beats) == 3:          # the pool kills the stopped worker: its lock goes with it
            os.kill(pid, signal.SIGKILL)

    table.while_waiting = waiting
    assert table.setdefault("content", 2) == 2
    os.waitpid(pid, 0)
    assert len(beats) >= 3


def test_a_killed_scans_claim_folder_is_removed_by_the_next_scan_and_a_live_ones_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()                                   # a scan killed before it removed its folder
    orphan = tmp_path / f"pdsweep-claims-{ended.pid}-k1ll3d_"
    orphan.mkdir()
    (orphan / "table-0").write_bytes(b"\0" * 64)
    live = ClaimTable.create()                     # this process: alive, its folder is kept
    other_tool = tmp_path / "pdsweep-claims-notapid"
    other_tool.mkdir()
    try:
        second = ClaimTable.create()
        assert not orphan.exists()
        assert os.path.isdir(live.folder) and os.path.isdir(second.folder)
        assert other_tool.exists()                 # not a name this module makes: left alone
        second.remove()
    finally:
        live.remove()
    assert not os.path.exists(live.folder)
