"""Issue 5: a 2 GB text file scans in bounded memory, and values at its start, middle and end are found.

The filler is blank lines, so detection runs at its fastest (~10 MB/s); what is measured is memory,
which depends on the analysis unit, not on what the text says. The 2 GB form runs under `--big`
(`python -m pytest --big tests/test_big_file.py`, a few minutes); the suite runs the same test on
256 MiB, still many analysis units and far more than the memory bound, so a leak per unit shows.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import psutil
import pytest

pytestmark = pytest.mark.slow

GB = 1024 ** 3
SMALL = 256 * 1024 ** 2
FILLER_LINE = b" " * 4095 + b"\n"


def write_big_text(path, size: int, planted: dict[int, bytes]) -> None:
    block = FILLER_LINE * 256     # 1 MiB
    with open(path, "wb") as f:
        for offset in sorted(planted):
            while f.tell() + len(block) <= offset:
                f.write(block)
            f.write(planted[offset])
        while f.tell() + len(block) <= size:
            f.write(block)


def peak_tree_rss(proc: subprocess.Popen) -> int:
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, sum(p.memory_info().rss for p in [ps] + ps.children(recursive=True)))
        except psutil.Error:
            pass
        time.sleep(0.2)
    return peak


def test_a_2gb_text_file_scans_with_bounded_memory(tmp_path, big):
    size = 2 * GB if big else SMALL
    root = tmp_path / "share"
    root.mkdir()
    planted = {0: b"Note for Rosalind Ebbsworth <rosalind.start@example.org>\n",
               size // 2: b"Middle: call rosalind.middle@example.org\n",
               size - 2 * 1024 * 1024: b"End: rosalind.end@example.org\n"}
    write_big_text(root / "huge.txt", size, planted)
    inv = tmp_path / "inv"
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", str(root), "-i", str(inv), "-w", "1",
                             "-q", "-f", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    box = {}
    sampler = threading.Thread(target=lambda: box.setdefault("peak", peak_tree_rss(proc)))
    sampler.start()
    out, err = proc.communicate(timeout=1800)
    sampler.join()
    assert proc.returncode == 0, err.decode()[-2000:]
    assert json.loads(out)["bytes_read"] >= size - 1024 * 1024
    # Parent + one worker with the spaCy model loaded: a few hundred MB, whatever the file size.
    assert box["peak"] < 900 * 1024 * 1024, f"peak RSS {box['peak'] / 1e6:.0f} MB"
    for email in ("rosalind.start@example.org", "rosalind.middle@example.org", "rosalind.end@example.org"):
        found = subprocess.run([sys.executable, "-m", "scanner", "find", "--email", email, "-i", str(inv),
                                "-f", "json"], capture_output=True, text=True, check=True)
        assert [r["location"] for r in json.loads(found.stdout)] == [str(root / "huge.txt")], email
