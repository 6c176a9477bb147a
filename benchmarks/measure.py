"""Run a command and sample its memory while it runs (the peak RSS the speed benchmarks print), and
count the CPU of every process a command starts (the scan CPU figures)."""
from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import threading
import time

import psutil


def _rss(proc: psutil.Process, whole_tree: bool) -> int:
    """RSS of the process tree, summed (whole_tree) or of its biggest process."""
    sizes = []
    for p in [proc] + proc.children(recursive=True):
        try:
            sizes.append(p.memory_info().rss)
        except psutil.Error:
            pass
    return sum(sizes) if whole_tree else max(sizes, default=0)


def run_sampled(cmd: list[str], whole_tree: bool, **popen) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak RSS (every 0.1 s) and the finished process (text stdout/stderr) of `cmd`."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    ps = psutil.Process(proc.pid)
    peak = [0]

    def sample():
        while proc.poll() is None:
            try:
                peak[0] = max(peak[0], _rss(ps, whole_tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    t.join()
    return time.perf_counter() - started, peak[0], subprocess.CompletedProcess(cmd, proc.returncode, out, err)


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans of this process's children (a scan's forkserver and its workers, which outlive the
    CLI by a moment) are re-parented here, so their CPU reaches RUSAGE_CHILDREN when reaped."""
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children_cpu(run):
    """(what `run()` returns, CPU seconds of every process it started): call become_subreaper first."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run()
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
