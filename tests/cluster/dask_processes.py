"""A real Dask cluster on loopback for the tests: one `dask scheduler`, two `dask worker` processes.

Each is a separate process on a free port, one thread per worker; with `tls`, every connection is
mutual TLS with a throwaway certificate (`cryptography`, which smbprotocol already needs). The second
worker runs in its own mount namespace with an empty tmpfs over `hidden`, so
it cannot see what the test creates there (where `unshare` is allowed): a
local root that one worker cannot see, as on a server without the mount.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from core_helpers import ROOT

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAULT_MARKER = "pdsweep-test-fault-0b7c"   # a worker fails on text holding it (scanner/pool.py's test hook)


def _env() -> dict:
    env = dict(os.environ, TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="", PDSWEEP_TEST_WORKER_FAULT=FAULT_MARKER)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)  # this checkout's code
    return env


def write_test_certificate(workdir: str) -> tuple[str, str, str]:
    """A self-signed certificate that is its own CA, for every role (as Dask's Security.temporary)."""
    from distributed.security import Security

    temporary = Security.temporary()
    paths = []
    for name, contents in (("ca.pem", temporary.tls_ca_file), ("cert.pem", temporary.tls_client_cert),
                           ("key.pem", temporary.tls_client_key)):
        path = os.path.join(workdir, name)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(contents)
        paths.append(path)
    return tuple(paths)


def unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


class DaskCluster:
    def __init__(self, workdir: str, hidden: str | None, workers: int = 2, tls: bool = False):
        self.workers = workers
        self.workdir = workdir
        self.hidden = hidden                    # None: unshare is not allowed here
        self.address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{free_port()}"
        self.tls_files = write_test_certificate(workdir) if tls else None   # (ca, cert, key)
        self.processes: list[subprocess.Popen] = []
        self.logs: list[str] = []

    def start(self) -> "DaskCluster":
        port = self.address.rsplit(":", 1)[1]
        self._spawn("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler",
                                  "--host", "127.0.0.1", "--port", port, "--no-dashboard", *self._tls_args()])
        for n in range(1, self.workers + 1):
            cmd = [sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1",
                   "--host", "127.0.0.1", "--no-dashboard", "--name", f"worker-{n}", "--memory-limit", "0",
                   "--local-directory", os.path.join(self.workdir, f"worker-{n}"), *self._tls_args()]
            if n == 2 and self.hidden:
                hide = 'mount -t tmpfs hidden "$0" && exec "$@"'
                cmd = ["unshare", "-m", "sh", "-c", hide, self.hidden, *cmd]
            self._spawn(f"worker-{n}", cmd)
        try:
            self.wait_for_workers(self.workers)
        except RuntimeError:
            self.stop()
            raise
        return self

    def _tls_args(self) -> list[str]:
        if not self.tls_files:
            return []
        ca, cert, key = self.tls_files
        return ["--protocol", "tls", "--tls-ca-file", ca, "--tls-cert", cert, "--tls-key", key]

    def settings(self, **kw):
        """The driver's ClusterSettings for this cluster."""
        from scanner.cluster import cluster_settings

        return cluster_settings(self.address, *(self.tls_files or ()), **kw)

    def _spawn(self, name: str, cmd: list[str]) -> None:
        log = os.path.join(self.workdir, f"{name}.log")
        self.logs.append(log)
        with open(log, "wb") as out:
            self.processes.append(subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=_env(),
                                                   cwd=self.workdir, start_new_session=True))

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=START_TIMEOUT_S, set_as_default=False,
                      security=self.settings().security())

    def wait_for_workers(self, n: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                break
            try:
                with self.client() as client:
                    client.wait_for_workers(n, timeout=max(1, deadline - time.monotonic()))
                return
            except (OSError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"the Dask cluster has not {n} workers: " + self.tail())

    def worker_pids(self) -> dict[str, int]:
        """The worker processes (the nannies' children), by worker address."""
        with self.client() as client:
            return client.run(os.getpid)

    def worker_address(self, name: str) -> str:
        with self.client() as client:
            return next(a for a, n in client.run(lambda dask_worker: dask_worker.name).items() if n == name)

    def tail(self) -> str:
        tails = (open(log, errors="replace").read()[-1500:] for log in self.logs if os.path.exists(log))
        return "\n".join(tails)

    def kill_scheduler(self) -> None:
        os.killpg(self.processes[0].pid, signal.SIGKILL)

    def stop(self) -> None:
        for p in reversed(self.processes):   # workers first, then the scheduler
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
