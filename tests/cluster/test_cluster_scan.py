"""Scanning through a real Dask cluster (scheduler and two workers on loopback, real spaCy)."""
from __future__ import annotations

import dataclasses
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from core_helpers import ROOT, SAMPLE_DATA
from scanner.cluster.executor import LOST_TWICE
from scanner.cluster.worker import progress_topic
from scanner.config import ScanConfig
from scanner.errors import ExecutionLost, UsageError
from scanner.inventory import InventoryReader
from scanner.scan import run_scan

from .dask_processes import FAULT_MARKER, DaskCluster

pytestmark = pytest.mark.slow
# In this order: the tests that kill workers come last, so that no test waits for a restarted one.


def _snapshot(inventory: str) -> dict:
    """What must be equal between a local and a cluster scan (not scan ids or times)."""
    reader = InventoryReader(inventory)
    try:
        return dict(
            locations=sorted(reader.query(
                "SELECT uri, status, reason, content_hash, name_key FROM locations")),
            findings=sorted(reader.query(
                "SELECT content_hash, entity_type, kind, value_key, count FROM findings")),
            contents=sorted(reader.query("SELECT content_hash, status, findings FROM contents")))
    finally:
        reader.close()


def _cluster_config(dask_cluster, inventory: str, key_inventory: str, **kw) -> ScanConfig:
    return ScanConfig(inventory=inventory, key_path=os.path.join(key_inventory, "key"),
                      executor="dask", cluster=dask_cluster.settings(), **kw)


def _write_text_files(root, sizes: dict[str, int]) -> None:
    os.makedirs(root)
    line = "Dear Jane Smith, please call Tom Baker on 01632 960 321 about the Harrogate office.\n"
    for name, lines in sizes.items():
        with open(os.path.join(root, name), "w") as f:
            f.write(line * lines)


_DRIVER = """
import sys
from scanner.config import ScanConfig
from scanner.cluster import cluster_settings
from scanner.scan import run_scan
inventory, key, address, ca, cert, tls_key, root = sys.argv[1:]
run_scan([root], ScanConfig(inventory=inventory, key_path=key, batch_files=2, flush_rows=1, executor="dask",
                            cluster=cluster_settings(address, ca, cert, tls_key)))
"""


def _checkpointed(inventory: str) -> bool:
    """A checkpoint holding some analysed files (parts of the locations table are published)."""
    directory = os.path.join(inventory, "locations")
    return os.path.isdir(directory) and len(os.listdir(directory)) >= 2


def test_a_file_that_fails_its_batch_twice_is_recorded_and_the_rest_analysed(dask_cluster, tmp_path):
    root = str(tmp_path / "share")
    _write_text_files(root, {"a.txt": 2, "b.txt": 2, "c.txt": 2})
    with open(os.path.join(root, "b.txt"), "a") as f:
        f.write(FAULT_MARKER + "\n")                  # the workers' analysis raises on this text
    config = ScanConfig(inventory=str(tmp_path / "inv"), batch_files=3, executor="dask",
                        cluster=dask_cluster.settings())
    summary = run_scan([root], config)
    reader = InventoryReader(config.inventory)
    rows = dict(reader.query("SELECT regexp_extract(uri, '[^/]+$'), status FROM locations"))
    (reason,), = reader.query("SELECT reason FROM locations WHERE status = 'error'")
    found = reader.query("SELECT count(*) FROM findings f JOIN locations l USING (content_hash)")[0][0]
    reader.close()
    assert summary.status == "completed" and rows == {"a.txt": "ok", "b.txt": "error", "c.txt": "ok"}
    assert reason == LOST_TWICE.format(cause="parser failed: RuntimeError")
    assert found > 0                                # a.txt and c.txt were analysed after all


def test_cluster_scan_equals_local_scan(dask_cluster, sample_inventory, tmp_path):
    inventory = str(tmp_path / "inv")
    assert dask_cluster.address.startswith("tls://")   # the session's cluster: mutual TLS, as on a network
    config = _cluster_config(dask_cluster, inventory, sample_inventory, batch_files=8)
    summary = run_scan([SAMPLE_DATA], config)
    assert summary.status == "completed"
    assert len(summary.worker_bytes) == 2          # both workers did some of it
    local = _snapshot(sample_inventory)
    assert local["findings"] and local["locations"]
    assert _snapshot(inventory) == local
    # Incremental on the next run, even when that run is local: nothing is read again.
    again = run_scan([SAMPLE_DATA], ScanConfig(inventory=inventory, key_path=config.key_path))
    assert (again.files_unchanged, again.files_read) == (again.files, 0)


def test_local_root_a_worker_cannot_see_is_a_clean_error(dask_cluster, tmp_path):
    if dask_cluster.hidden is None:
        pytest.skip("unshare -m is not allowed here: no worker can be given a different view of the disk")
    root = os.path.join(dask_cluster.hidden, "share")
    os.makedirs(root)
    shutil.copytree(os.path.join(SAMPLE_DATA, "people"), os.path.join(root, "people"))
    config = ScanConfig(inventory=str(tmp_path / "inv"), executor="dask", cluster=dask_cluster.settings())
    with pytest.raises(UsageError) as raised:
        run_scan([root], config)
    message = str(raised.value)
    assert "\n" not in message and root in message and "cannot see" in message
    blind = dask_cluster.worker_address("worker-2")      # the one in its own mount namespace
    assert f"cluster worker {blind} cannot see {root}" in message
    assert not os.path.exists(str(tmp_path / "inv" / "locations"))   # stopped before the walk and inventory


def test_driver_killed_mid_scan_the_next_run_resumes(dask_cluster, sample_inventory, tmp_path):
    inventory, key = str(tmp_path / "inv"), os.path.join(sample_inventory, "key")
    driver = subprocess.Popen([sys.executable, "-c", _DRIVER, inventory, key, dask_cluster.address,
                               *dask_cluster.tls_files, SAMPLE_DATA], cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _checkpointed(inventory) and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert driver.poll() is None, "the scan ended before it could be killed"
        driver.kill()                              # kill -9 mid-scan: no chance to tidy up
    finally:
        driver.wait()
    config = _cluster_config(dask_cluster, inventory, sample_inventory)
    again = run_scan([SAMPLE_DATA], config)        # the scheduler has dropped the dead driver's tasks
    assert again.status == "completed" and again.files_unchanged > 0
    assert _snapshot(inventory) == _snapshot(sample_inventory)


def test_worker_killed_mid_scan_still_gives_identical_results(dask_cluster, sample_inventory, tmp_path,
                                                              caplog):
    pids = dask_cluster.worker_pids()
    killed = []

    def kill_one_worker(summary):
        if not killed:   # after the first batch: both workers are busy with the rest
            worker, pid = sorted(pids.items())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(worker)

    inventory = str(tmp_path / "inv")
    config = _cluster_config(dask_cluster, inventory, sample_inventory, batch_files=2)
    summary = run_scan([SAMPLE_DATA], config, progress=kill_one_worker)
    assert killed and summary.status == "completed"
    assert f"cluster worker {killed[0]} lost during batch" in caplog.text   # it was busy when killed
    assert _snapshot(inventory) == _snapshot(sample_inventory)


def test_lost_scheduler_ends_the_scan_with_the_checkpoint_kept_and_the_next_run_resumes(
        sample_inventory, tmp_path):
    own = DaskCluster(str(tmp_path), hidden=None, workers=1).start()   # this one's scheduler is killed
    try:
        inventory = str(tmp_path / "inv")
        config = ScanConfig(inventory=inventory, key_path=os.path.join(sample_inventory, "key"),
                            batch_files=2, flush_rows=1, executor="dask",
                            cluster=dataclasses.replace(own.settings(), lost_after_s=2))
        results = []

        def kill_scheduler_after_the_first_results(summary):
            results.append(summary.files_read)
            if len(results) == 3:
                own.kill_scheduler()

        with pytest.raises(ExecutionLost, match="next run resumes"):
            run_scan([SAMPLE_DATA], config, progress=kill_scheduler_after_the_first_results)
    finally:
        own.stop()
    reader = InventoryReader(inventory)
    (status,), = reader.query("SELECT status FROM scans")
    reader.close()
    assert status == "failed"
    again = run_scan([SAMPLE_DATA], dataclasses.replace(config, executor="auto", cluster=None))   # local
    assert again.status == "completed" and again.files_unchanged >= results[-1] > 0
    assert again.files_read == again.files - again.files_unchanged
    assert _snapshot(inventory) == _snapshot(sample_inventory)


def test_a_file_that_kills_two_workers_is_recorded_and_not_retried(dask_cluster, tmp_path):
    """A real kill -9 each time a worker reports it is on b.txt (known by its size)."""
    root = str(tmp_path / "share")
    _write_text_files(root, {"a.txt": 2, "b.txt": 1500, "c.txt": 2})
    events: queue.SimpleQueue = queue.SimpleQueue()
    kills = []

    def killer():
        # Up to 8: Dask may start a lost batch again before the driver cancels it, and a kill that lands
        # before the driver has heard which file the worker was on counts against no file (a worker may
        # run two batches at once, so neither can be blamed): both happen under load.
        b_size = os.path.getsize(os.path.join(root, "b.txt"))
        while (msg := events.get()) is not None:
            if msg["size"] == b_size and len(kills) < 8:
                pid = dask_cluster.worker_pids().get(msg["worker"])
                if pid:
                    os.kill(pid, signal.SIGKILL)
                    kills.append(msg["worker"])

    client = dask_cluster.client()
    thread = threading.Thread(target=killer)
    thread.start()
    try:
        config = ScanConfig(inventory=str(tmp_path / "inv"), batch_files=1,
                            executor="dask", cluster=dask_cluster.settings())
        summary = run_scan([root], config, on_walk_done=lambda s: client.subscribe_topic(
            progress_topic(s.scan_id), lambda event: events.put(event[1])))
    finally:
        events.put(None)
        thread.join()
        client.close()
    assert len(kills) >= 2 and summary.status == "completed"
    reader = InventoryReader(config.inventory)
    rows = {os.path.basename(uri): (status, reason or None) for uri, status, reason in reader.query(
        "SELECT uri, status, reason FROM locations")}
    reader.close()
    assert rows["b.txt"] == ("error", LOST_TWICE.format(cause="cluster worker lost"))
    assert rows["a.txt"] == rows["c.txt"] == ("ok", None)
