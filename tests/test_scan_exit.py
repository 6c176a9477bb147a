"""The scan command's process takes its workers' server with it when it exits: the server does not
outlive the command tearing down its imports while holding the command's output pipe open."""
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
