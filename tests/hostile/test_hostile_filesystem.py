"""Hostile file systems, end to end through `pdsweep scan`: links and loops are recorded and not
followed, special files are never opened, deep trees and odd names are read, huge files stay
bounded in memory, unreadable files and directories are recorded (as a non-root user)."""
from __future__ import annotations

import json
import os

import pytest

from hostile_run import checked_scan
from hostile_inputs import NON_UTF8_NAME, PII_LINE, build_filesystem

MB = 1024 * 1024
GB = 1024 * MB
IN_ROOTS = "symlink within the scan roots; its target is scanned at its own path"
OUT_OF_ROOTS = "symlink out of the scan roots, not followed"


@pytest.fixture(scope="module")
def fs_scan(tmp_path_factory):
    base = tmp_path_factory.mktemp("fs")
    root = str(base / "tree")
    build_filesystem(root, str(base / "outside"))
    return root, checked_scan(root, tmp_path_factory.mktemp("fs-work"))


@pytest.mark.parametrize("name, expected", [
    ("loops/a/up", ("skipped", IN_ROOTS)),
    ("loops/self", ("skipped", IN_ROOTS)),
    ("loops/ping", ("skipped", IN_ROOTS)),
    ("loops/pong", ("skipped", IN_ROOTS)),
    ("inside-link", ("skipped", IN_ROOTS)),
    ("out-dir", ("skipped", OUT_OF_ROOTS)),
    ("out-file", ("skipped", OUT_OF_ROOTS)),
    ("passwd", ("skipped", OUT_OF_ROOTS)),
    ("fifo", ("skipped", "FIFO, not opened")),
    ("sock", ("skipped", "socket, not opened")),
    ("zero-device", ("skipped", "device node, not opened")),
    ("plain.txt", ("ok", "")),
])
def test_links_loops_and_special_files(fs_scan, name, expected):
    root, run = fs_scan
    assert run.statuses[os.path.join(root, name)] == expected


def test_nothing_outside_the_roots_is_read(fs_scan):
    root, run = fs_scan
    assert all(uri.startswith(root + "/") for uri in run.statuses)
    assert len(run.statuses) == 14, sorted(run.statuses)   # the 12 above, the deep file, the odd name


def test_300_levels_deep(fs_scan):
    root, run = fs_scan
    bottom = os.path.join(root, "deep", *(["d"] * 300), "bottom.txt")
    assert run.statuses[bottom] == ("ok", "")


def test_name_that_is_not_utf8_is_recorded_escaped(fs_scan):
    root, run = fs_scan
    escaped = os.fsdecode(NON_UTF8_NAME).encode("utf-8", "surrogateescape").decode(
        "utf-8", "backslashreplace")
    assert run.statuses[os.path.join(root, escaped)] == ("ok", "")


def test_unchanged_odd_name_is_not_read_again(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / os.fsdecode(NON_UTF8_NAME)).write_bytes(PII_LINE)
    first = checked_scan(root, tmp_path / "a", inventory=str(tmp_path / "inv"))
    second = checked_scan(root, tmp_path / "b", inventory=str(tmp_path / "inv"))

    assert json.loads(first.stdout)["files_read"] == 1
    summary = json.loads(second.stdout)
    assert (summary["files_unchanged"], summary["files_read"], summary["gone"]) == (1, 0, 0)


@pytest.mark.slow
def test_sparse_10gb_file_is_streamed(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    with open(root / "sparse.img", "wb") as f:
        f.truncate(10 * GB)            # all zeros, no blocks on disk
    run = checked_scan(root, tmp_path)
    status, reason = run.statuses[str(root / "sparse.img")]
    assert (status, reason) == ("skipped", "no text extracted from application/octet-stream")
    assert run.peak_rss < 1 * GB, f"peak RSS {run.peak_rss / MB:.0f} MB for a 10 GB file"


def write_lowercase_text(path, size: int) -> None:
    """Lowercase prose with an email every line block: no capitalised words, so NER has nothing to do."""
    line = b"the quarterly figures were discussed at length and agreed by all present, see notes.\n"
    block = line * 1000 + b"contact jo.bloggs@example.org about the minutes.\n"
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)


@pytest.mark.slow
def test_large_text_file_is_bounded(tmp_path):
    """24 MB here (the detectors run at ~0.5 MB/s on one core); the 500 MB run is in
    benchmarks/hostile_table.py --big."""
    root = tmp_path / "tree"
    root.mkdir()
    size = 24 * MB
    write_lowercase_text(root / "big.txt", size)
    run = checked_scan(root, tmp_path, timeout=300)
    assert run.statuses[str(root / "big.txt")] == ("ok", "")
    summary = json.loads(run.stdout)
    blocks = size // (85 * 1000 + 49)
    assert summary["findings_by_type"].get("EMAIL_ADDRESS") == blocks, "the whole file was read"
    assert run.peak_rss < 700 * MB, f"peak RSS {run.peak_rss / MB:.0f} MB"


def test_long_tmpdir_does_not_fail_the_scan(tmp_path):
    """multiprocessing puts its manager socket under TMPDIR; AF_UNIX paths stop at 107 bytes."""
    deep_work = tmp_path / ("w" * 60)
    deep_work.mkdir()
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.txt").write_bytes(PII_LINE)
    run = checked_scan(root, deep_work)
    assert run.statuses[str(root / "a.txt")] == ("ok", "")


def test_scanned_files_keep_their_access_time(tmp_path):
    """Read with O_NOATIME: an atime older than mtime would be updated by any plain read (relatime)."""
    root = tmp_path / "tree"
    root.mkdir()
    paths = [root / "a.txt", root / "b.zip"]
    paths[0].write_bytes(PII_LINE)
    import zipfile
    with zipfile.ZipFile(paths[1], "w") as z:
        z.writestr("inner.txt", PII_LINE)
    for path in paths:
        st = os.stat(path)
        os.utime(path, ns=(st.st_mtime_ns - 10 ** 12, st.st_mtime_ns))
    before = {p: os.stat(p).st_atime_ns for p in paths}
    with open(tmp_path / "probe.txt", "wb") as f:     # does this mount update atime at all?
        f.write(b"x")
    probe = tmp_path / "probe.txt"
    os.utime(probe, ns=(os.stat(probe).st_mtime_ns - 10 ** 12, os.stat(probe).st_mtime_ns))
    probe_before = os.stat(probe).st_atime_ns
    probe.read_bytes()
    if os.stat(probe).st_atime_ns == probe_before:
        pytest.skip("this file system does not update atime (noatime)")
    (tmp_path / "work").mkdir()
    checked_scan(root, tmp_path / "work")
    assert {p: os.stat(p).st_atime_ns for p in paths} == before
