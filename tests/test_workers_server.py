"""When the scan command's workers' server runs: a rescan starts it as its walk finds the first file to
read (it preloads beside the rest of the walk), and the command's process takes it along when it
exits (the server does not outlive the command tearing down its imports, holding its output pipe)."""
from __future__ import annotations

import json
import subprocess
import sys

from core_helpers import ROOT

# Runs the CLI as a child of a subreaper: a server that outlived the CLI would be re-parented here, and
# stay visible (alive, or a zombie until reaped) after the CLI has been waited for.
WATCH = """
import ctypes, json, subprocess, sys, time
import psutil
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)          # PR_SET_CHILD_SUBREAPER
cli = subprocess.Popen([sys.executable, "-m", "scanner", "scan"] + sys.argv[1:], stdout=subprocess.PIPE)
servers = set()
while cli.poll() is None:
    for p in psutil.Process(cli.pid).children():
        try:
            if "forkserver" in " ".join(p.cmdline()):
                servers.add(p.pid)
        except psutil.Error:
            pass
    time.sleep(0.05)
out = cli.stdout.read()
outlived = [pid for pid in servers if psutil.pid_exists(pid)]
print(json.dumps(dict(code=cli.returncode, summary=json.loads(out), servers=len(servers), outlived=outlived)))
"""


def test_the_workers_server_ends_with_the_scan_command(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(3):
        (tree / f"note{i}.txt").write_text(f"Call Emma Holt on 01632 960{i:03d} or emma{i}@example.org.\n")
    args = [str(tree), "-i", str(tmp_path / "inv"), "-w", "2", "--no-ner", "--quiet", "--format", "json"]
    done = subprocess.run([sys.executable, "-c", WATCH] + args, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    assert seen["code"] == 0 and seen["summary"]["files_read"] == 3 and seen["summary"]["findings"] > 0
    assert seen["servers"] == 1
    assert seen["outlived"] == [], "the workers' server outlived the scan command"


# Runs the scan command in a fresh process and says whether a forkserver was running when the walk
# had ended and the analysis began (before the pool asks for one).
SERVER_AT_ANALYSIS = """
import json, sys
import psutil
from click.testing import CliRunner
import scanner.scan
from scanner.cli import cli
seen = {}
analyse = scanner.scan._analyse
def watched(*args, **kwargs):
    seen["server"] = any("forkserver" in " ".join(p.cmdline()) for p in psutil.Process().children())
    return analyse(*args, **kwargs)
scanner.scan._analyse = watched
result = CliRunner().invoke(cli, ["scan"] + sys.argv[1:], catch_exceptions=False)
assert result.exit_code == 0, result.output
print(json.dumps(dict(summary=json.loads(result.stdout), **seen)))
"""


def test_a_rescan_starts_the_server_as_its_walk_finds_a_file_to_read(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for i in range(3):
        (tree / f"note{i}.txt").write_text(f"Call Emma Holt on 01632 960{i:03d} or emma{i}@example.org.\n")

    def scan() -> dict:
        args = [str(tree), "-i", str(tmp_path / "inv"), "-w", "2", "--no-ner", "--quiet", "--format", "json"]
        done = subprocess.run([sys.executable, "-c", SERVER_AT_ANALYSIS] + args, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    assert scan()["server"]                     # a first scan: started before the walk
    (tree / "note1.txt").write_text("Write to Emma Holt at emma.holt@example.org.\n")
    changed = scan()
    assert changed["summary"]["files_read"] == 1
    assert changed["server"], "the rescan's server was not started by its walk"
    # An unchanged tree starts none: test_pool_balance.py's third scan.


# Imports what the server preloads, as the server does, with the settings a scan gave it; then again
# (a reload) with a model that does not load.
SERVER_DETECTOR = """
import importlib, json
from detectors import DetectorSettings
from scanner.pool_server import context
seen = []
for settings in (DetectorSettings(use_ner=False), DetectorSettings(model="no_such_model_pkg")):
    context(settings)                               # what the scan does before the server starts
    import scanner.worker_model as preloaded
    preloaded = importlib.reload(preloaded)
    other = DetectorSettings(use_ner=not settings.use_ner)
    seen.append(dict(built=preloaded.PRELOADED is not None,
                     same=preloaded.detector_for(settings) is preloaded.PRELOADED,
                     other=preloaded.detector_for(other) is None,
                     model=preloaded.PRELOADED is not None and preloaded.PRELOADED.nlp is not None))
print(json.dumps(seen))
"""


def test_the_server_builds_the_scans_own_detector_whatever_its_settings():
    done = subprocess.run([sys.executable, "-c", SERVER_DETECTOR], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    no_ner, bad_model = json.loads(done.stdout)
    assert no_ner == dict(built=True, same=True, other=True, model=False)
    # A model that does not load: the server goes on without a detector, and each worker tries
    # to build its own, failing as it did before (its files recorded with the cause).
    assert bad_model["built"] is False and bad_model["other"] is True
