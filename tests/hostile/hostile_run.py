"""Run `pdsweep scan` as a real subprocess and watch it: peak RSS of the whole process tree,
wall time, a fresh private TMPDIR that must be empty afterwards.

Shared by the hostile suite and benchmarks/hostile_table.py.
"""
from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import psutil

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@dataclass
class ScanRun:
    rc: int
    stdout: str
    stderr: str
    peak_rss: int          # bytes, summed over the scan and all its descendants, sampled every 50 ms
    wall_s: float
    tmp_left: list[str]    # what the run left in its TMPDIR, HOME or working directory (must be nothing)
    statuses: dict = field(default_factory=dict)

    @classmethod
    def scan(cls, root: str, inventory: str, extra: list[str], workdir, user: str | None = None,
             timeout: float = 300) -> "ScanRun":
        args = ["scan", root, "--inventory", inventory, "--no-ner", "-q", "-f", "json", "--workers", "1",
                *extra]
        return run_cli(args, workdir, user=user, timeout=timeout)


# Run as another user in a private mount namespace: this Python lives under /root (0700), so the
# namespace shows a world-readable /root holding only a bind mount of the interpreter's tree.
_AS_USER = """set -e
stage="$1"; user="$2"; shift 2
mount --bind "$PYHOME" "$stage"
mount -t tmpfs -o mode=0755,size=1m tmpfs /root
mkdir -p "$PYHOME"
mount --bind "$stage" "$PYHOME"
exec runuser -u "$user" -- "$@"
"""


def python_home() -> str:
    """The top directory of this interpreter's install under /root (e.g. /root/.pyenv)."""
    prefix = os.path.realpath(sys.base_prefix)
    parts = prefix.split(os.sep)
    return os.sep.join(parts[:3]) if prefix.startswith("/root/") else ""


def cli_command(args: list[str], user: str | None = None, stage: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "scanner", *args]
    if not user:
        return command
    if not python_home():
        return ["runuser", "-u", user, "--", *command]
    return ["unshare", "-m", "sh", "-c", _AS_USER, "sh", stage, user, *command]


def run_cli(args: list[str], workdir, user: str | None = None, timeout: float = 300,
            env_extra: dict | None = None) -> ScanRun:
    """Run the CLI with a fresh TMPDIR, sampling the RSS of its process tree."""
    # Fresh, empty TMPDIR, HOME and working directory: all three must be empty afterwards.
    os.makedirs(str(workdir), exist_ok=True)
    fresh = {}
    for kind in ("tmpdir", "home", "cwd"):
        fresh[kind] = tempfile.mkdtemp(prefix=f"{kind}-", dir=str(workdir))
        os.chmod(fresh[kind], 0o1777)    # a non-root scan user must be able to use them too
    tmpdir = fresh["tmpdir"]
    env = dict(os.environ, TMPDIR=tmpdir, HOME=fresh["home"],
               XDG_CACHE_HOME=os.path.join(fresh["home"], ".cache"),
               TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="",
               PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env_extra or {}))
    out_path, err_path = os.path.join(str(workdir), "stdout.txt"), os.path.join(str(workdir), "stderr.txt")
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        stage = os.path.join(str(workdir), "pyhome-stage")
        if user:
            os.makedirs(stage, exist_ok=True)
            env["PYHOME"] = python_home()
        proc = subprocess.Popen(cli_command(args, user, stage), stdout=out, stderr=err, env=env,
                                cwd=fresh["cwd"])
        peak = watch_peak_rss(proc, timeout)
    wall = time.monotonic() - started
    with open(out_path, "rb") as f_out, open(err_path, "rb") as f_err:
        stdout, stderr = f_out.read().decode(errors="replace"), f_err.read().decode(errors="replace")
    left = sorted(f"{kind}/{name}" for kind, path in fresh.items() for name in os.listdir(path))
    return ScanRun(proc.returncode, stdout, stderr, peak, wall, left)


def tree_rss(root: psutil.Process) -> int:
    total = 0
    for p in [root, *root.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def watch_peak_rss(proc: subprocess.Popen, timeout: float) -> int:
    watched = psutil.Process(proc.pid)
    peak = 0
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        try:
            peak = max(peak, tree_rss(watched))
        except psutil.Error:
            pass
        if time.monotonic() > deadline:
            kill_tree(watched)
            proc.wait()
            raise TimeoutError(f"scan still running after {timeout}s")
        time.sleep(0.05)
    return peak


def kill_tree(proc: psutil.Process) -> None:
    for p in [*proc.children(recursive=True), proc]:
        try:
            p.kill()
        except psutil.Error:
            pass


def statuses(inventory: str) -> dict[str, tuple[str, str]]:
    """uri -> (status, reason) of the current locations."""
    from scanner.inventory import open_inventory

    reader = open_inventory(inventory)
    try:
        return {uri: (status, reason or "") for uri, status, reason in
                reader.query("SELECT uri, status, reason FROM locations")}
    finally:
        reader.close()


def _digest(path: str) -> str:
    """SHA-256 over the data extents only (SEEK_DATA/SEEK_HOLE), so a 10 GB sparse file is cheap."""
    h = hashlib.sha256()
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset < size:
            try:
                data_at = os.lseek(fd, offset, os.SEEK_DATA)
            except OSError:       # ENXIO: only a hole remains
                break
            hole_at = os.lseek(fd, data_at, os.SEEK_HOLE)
            os.lseek(fd, data_at, os.SEEK_SET)
            h.update(b"@%d:" % data_at)
            remaining = hole_at - data_at
            while remaining > 0:
                block = os.read(fd, min(remaining, 4 << 20))
                if not block:
                    break
                h.update(block)
                remaining -= len(block)
            offset = hole_at
    finally:
        os.close(fd)
    return h.hexdigest()


def snapshot(root) -> dict:
    """Every entry under root: type, mode, size, mtime_ns, and the content digest of regular files."""
    root = os.fsencode(str(root))
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            entry = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_size, st.st_mtime_ns)
            if stat.S_ISREG(st.st_mode):
                entry += (_digest(path),)
            elif stat.S_ISLNK(st.st_mode):
                entry += (os.readlink(path),)
            seen[os.path.relpath(path, root)] = entry
    return seen


def checked_scan(root, workdir, *extra, inventory=None, expect_unchanged=True, user=None,
                 timeout=300) -> ScanRun:
    """Scan with the CLI and check what every hostile item shares: exit 0, an empty private
    TMPDIR afterwards, the scanned tree byte- and mtime-identical; statuses read back."""
    inventory = inventory or os.path.join(str(workdir), "inventory")
    before = snapshot(root) if expect_unchanged else None
    run = ScanRun.scan(str(root), inventory, list(extra), workdir, user=user, timeout=timeout)
    assert run.rc == 0, run.stderr[-3000:]
    assert run.tmp_left == [], f"left in TMPDIR: {run.tmp_left}"
    if expect_unchanged:
        assert snapshot(root) == before, "the scanned tree changed"
    run.statuses = statuses(inventory)
    return run
