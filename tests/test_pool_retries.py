"""Issue 15: a file that kills a worker costs no other file its analysis.

A dead worker cannot say which file of its batch killed it (NER runs over the
whole batch at the end), so every file of the batch is run again alone, and
only a file that kills a worker twice is recorded.
"""
from __future__ import annotations

import io
import tarfile

import pytest

from connectors.filesystem import FileEntry
from scanner.pool import FAULT_ENV
from scanner.pool_retries import Retries


def entries(*names):
    return [FileEntry(path=f"/d/{n}", size=1, mtime_ns=0, inode=i, device=0, owner=None)
            for i, n in enumerate(names)]


def paths(tasks):
    return [[e.path.rsplit("/", 1)[1] for e in batch] for _, batch in tasks]


def test_a_death_in_a_batch_runs_every_file_of_it_again_alone_and_records_none():
    again, given_up = Retries(first_id=10).after_loss(entries("a", "b", "c"), 2, "error", "exit code 1")
    assert paths(again) == [["a"], ["b"], ["c"]]
    assert [task_id for task_id, _ in again] == [10, 11, 12]
    assert given_up == []


def test_only_a_file_that_kills_a_worker_twice_is_recorded_with_the_cause():
    retries = Retries(first_id=0)
    batch = entries("a", "bad", "c")
    retries.after_loss(batch, 2, "error", "exit code 1")            # the heartbeat blamed c: one strike
    again, given_up = retries.after_loss(batch[1:2], 0, "error", "parser failed: RuntimeError")
    assert paths(again) == [["bad"]] and given_up == []               # one strike: once more
    again, given_up = retries.after_loss(batch[1:2], 0, "error", "killed by SIGSEGV")
    assert again == []
    assert [(e.path, s, r) for e, s, r in given_up] == [
        ("/d/bad", "error", "worker died twice on this file (killed by SIGSEGV); file not analysed")]


def test_a_hang_records_the_file_it_hung_on_and_runs_the_rest_as_one_batch():
    again, given_up = Retries(first_id=0).after_loss(entries("a", "b", "c"), 1, "timeout", "limit: x")
    assert paths(again) == [["a", "c"]]
    assert [(e.path, s) for e, s, _ in given_up] == [("/d/b", "timeout")]


def far_future_tar() -> bytes:
    """A tar whose pax header dates its member 1e300 s after 1970: this used to kill the worker."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        data = b"Archived note: reply to tar.keeper@example.org\n"
        info = tarfile.TarInfo("notes.txt")
        info.size, info.pax_headers = len(data), {"mtime": "1e300"}
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("isolated, reason", [
    (True, "worker died twice on this file (parser failed: RuntimeError); file not analysed"),
    (False, "analysis failed on this file (parser failed: RuntimeError); file not analysed"),
])
def test_a_file_that_kills_its_worker_costs_no_other_file_its_findings(tmp_path, monkeypatch, isolated, reason):
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.inventory import open_inventory
    from scanner.scan import run_scan

    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(7):   # "bad" sorts among them, so the heartbeat blames another file first
        (tree / f"f{i}.txt").write_text(f"Reach person{i}@example.org on 01482 42015{i}.\n")
    (tree / "f3-bad.txt").write_text("bad.sender@example.org FAULT-7f3a\n")
    (tree / "f9.tar").write_bytes(far_future_tar())
    monkeypatch.setenv(FAULT_ENV, "FAULT-7f3a")
    inv = str(tmp_path / "inv")
    config = ScanConfig(inventory=inv, workers=1, isolate_workers=isolated, batch_files=16,
                        detector=DetectorSettings(use_ner=False))   # four worker starts: no model load
    summary = run_scan([str(tree)], config)
    assert summary.status == "completed"

    reader = open_inventory(inv)
    try:
        status = {u.rsplit("/", 1)[1]: (s, r) for u, s, r in reader.query(
            "SELECT uri, status, reason FROM locations")}
        with_findings = {u.rsplit("/", 1)[1] for (u,) in reader.query(
            "SELECT DISTINCT l.uri FROM locations l JOIN findings f USING (content_hash)")}
    finally:
        reader.close()
    assert status.pop("f3-bad.txt") == ("error", reason)
    assert all(s == ("ok", "") for s in status.values()), status
    assert with_findings == {f"f{i}.txt" for i in range(7)} | {"notes.txt"}
