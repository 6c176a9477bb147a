"""How a scan's work is shared among workers: batches cut finer at the end of the walk, large files
first, and the workers' server started early and stopped when no worker came of it."""
from __future__ import annotations

import json
import subprocess
import sys

from connectors.filesystem import FileEntry
from core_helpers import ROOT
from scanner.engine import batches

KB = 1024


def walked(sizes: list[int]) -> list[FileEntry]:
    return [FileEntry(path=f"/share/f{i:04d}", size=size, mtime_ns=0, inode=i, device=1, owner="u")
            for i, size in enumerate(sizes)]


def test_one_worker_gets_the_batches_it_always_got():
    entries = walked([10 * KB] * 200)
    assert [len(b) for b in batches(entries, 64, 8 << 20)] == [64, 64, 64, 8]
    assert batches(entries, 64, 8 << 20, workers=1) == batches(entries, 64, 8 << 20)


def test_the_end_of_the_walk_is_cut_finer_for_several_workers():
    entries = walked([10 * KB] * 1000)
    tasks = batches(entries, 64, 8 << 20, workers=2)
    sizes = [len(b) for b in tasks]
    assert [e for b in tasks for e in b] == entries          # every file once, in the walk's order
    assert sizes[:10] == [64] * 10                            # full batches while much is left
    assert sizes == sorted(sizes, reverse=True)              # then smaller and smaller
    assert max(sizes[-6:]) <= 8 and min(sizes[:-1]) >= 4      # down to a few files, none tiny but the last
    for k, batch in enumerate(tasks):                         # never more than a quarter of what is left
        left = len(entries) - sum(sizes[:k])
        assert len(batch) <= max(4, -(-left // 4))


def test_large_files_go_first_each_alone_the_rest_keep_the_walk_order():
    sizes = [10 * KB] * 100
    sizes[97], sizes[50] = 5 << 20, 30 << 20     # a 5 MB mailbox near the end, a 30 MB one in the middle
    entries = walked(sizes)
    tasks = batches(entries, 64, 8 << 20, workers=2)
    assert tasks[0] == [entries[50]] and tasks[1] == [entries[97]]
    rest = [e for b in tasks[2:] for e in b]
    assert rest == [e for e in entries if e.size < 4 << 20]
    # One worker: the walk's order, the 30 MB file alone where it was walked (as before).
    one = batches(entries, 64, 8 << 20)
    assert [e for b in one for e in b] == entries and [entries[50]] in one


# Runs the scan command in its own process (a fresh one: no server yet), then says how many
# forkservers that process still has as children once the command has returned.
SCAN_AND_COUNT_SERVERS = """
import json, sys
import psutil
from click.testing import CliRunner
from scanner.cli import cli
result = CliRunner().invoke(cli, ["scan"] + sys.argv[1:], catch_exceptions=False)
assert result.exit_code == 0, result.output
servers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
print(json.dumps(dict(summary=json.loads(result.stdout), servers=len(servers))))
"""


def test_the_server_starts_early_for_a_first_scan_and_is_stopped_when_nothing_was_read(tmp_path):
    """A first scan starts its workers' server before it walks; one that finds nothing to read must
    not leave it preloading the analysis stack (seconds of CPU) after the command ends. A rescan
    starts it only when the pool needs it: an unchanged tree starts none."""
    tree = tmp_path / "tree"
    tree.mkdir()

    def scan() -> dict:
        args = [str(tree), "-i", str(tmp_path / "inv"), "-w", "2", "--no-ner", "--quiet", "--format", "json"]
        done = subprocess.run([sys.executable, "-c", SCAN_AND_COUNT_SERVERS] + args,
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    empty = scan()          # a first scan: the server started early, then nothing to read
    assert empty["summary"]["files"] == 0
    assert empty["servers"] == 0, "the first scan's server was left running"
    for i in range(3):
        (tree / f"note{i}.txt").write_text(f"Call Emma Holt on 01632 960{i:03d} or emma{i}@example.org.\n")
    first = scan()
    assert first["summary"]["files_read"] == 3 and first["summary"]["findings"] > 0
    assert first["servers"] == 1               # its workers forked from it: kept for the process's life
    again = scan()
    assert again["summary"]["files_read"] == 0 and again["summary"]["files_unchanged"] == 3
    assert again["servers"] == 0
