"""A throw-away Samba server on 127.0.0.1, for the SMB tests and the SMB benchmark.

`smbd --foreground` with a private smb.conf (tests/smb/smb.conf.template):
an unprivileged port, every lock/state/cache/pid directory under a private
temporary directory, no guest access, one read-only share and one test user
whose password is set through `smbpasswd -s` on stdin (never in argv).
"""
from __future__ import annotations

import getpass
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "smb.conf.template")
TEST_USER = "pdsweeptest"
FIRST_PORT = 14450
# Under /tmp whatever TMPDIR says: the Samba test user must be able to reach the share (a TMPDIR
# inside a 0700 home would stop it) and smbd's AF_UNIX sockets must stay under 108 bytes.
SHORT_TMP = "/tmp" if os.access("/tmp", os.W_OK) else None


def samba_missing() -> str | None:
    """Why the server cannot be started here, or None."""
    for tool in ("smbd", "smbpasswd"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} is not installed (CI installs it with .ci/samba-setup.sh)"
    return None


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def free_port(start: int | None = None) -> int:
    """The first port from `start` that nothing on 127.0.0.1 listens on.

    Each pytest-xdist worker starts 20 ports further on, so two workers never race for one port.
    """
    if start is None:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:]
        start = FIRST_PORT + 20 * (int(worker) if worker.isdigit() else 0)
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for smbd")


def unix_user() -> str:
    """Samba maps its users onto Unix accounts: as root, a dedicated system user; else ourselves."""
    if os.geteuid() != 0:
        return getpass.getuser()
    def exists() -> bool:
        return subprocess.run(["id", "-u", TEST_USER], capture_output=True).returncode == 0

    for _ in range(10):    # another pytest-xdist worker may be adding it, holding /etc/passwd's lock
        if exists():
            return TEST_USER
        added = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                TEST_USER], capture_output=True, text=True)
        time.sleep(0 if added.returncode == 0 else 0.5)
    raise RuntimeError(f"cannot add the Samba test user {TEST_USER}: {added.stderr.strip()}")


@dataclass
class SambaServer:
    share_path: str                        # the local directory served (must be world-traversable)
    share: str = "data"
    port: int = field(default_factory=free_port)
    user: str = field(default_factory=unix_user)
    password: str = field(default_factory=lambda: "Pw-" + secrets.token_urlsafe(12))
    state: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="pdsweep-smbd-", dir=SHORT_TMP))
    extra: str = ""                        # more [global] lines, e.g. "change notify = no"
    process: subprocess.Popen | None = None

    @property
    def conf(self) -> str:
        return os.path.join(self.state, "smb.conf")

    @property
    def log(self) -> str:
        return os.path.join(self.state, "smbd.out")

    def uri(self, path: str = "", user: bool = True) -> str:
        who = f"{self.user}@" if user else ""
        return f"smb://{who}127.0.0.1:{self.port}/{self.share}" + (f"/{path}" if path else "")

    def start(self, timeout: float = 30.0) -> "SambaServer":
        for sub in ("lock", "state", "cache", "pid", "private", "ncalrpc"):
            os.makedirs(os.path.join(self.state, sub), exist_ok=True)
        with open(TEMPLATE) as f:
            text = f.read().format(port=self.port, state=self.state, share=self.share,
                                   share_path=self.share_path, user=self.user,
                                   extra=self.extra)
        with open(self.conf, "w") as f:
            f.write(text)
        subprocess.run([_tool("smbpasswd"), "-c", self.conf, "-s", "-a", self.user],
                       input=f"{self.password}\n{self.password}\n", text=True, check=True,
                       capture_output=True)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [_tool("smbd"), "--foreground", "--no-process-group", "--debug-stdout", "-s", self.conf],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                # smbd serves IPC$ (used for DFS referrals) from TMPDIR: it must be reachable by the test user
                env=dict(os.environ, TMPDIR=SHORT_TMP or tempfile.gettempdir()),
                # its own process group: smbd signals its whole group on shutdown, which must not be us
                start_new_session=True)
        self._wait_listening(timeout)
        return self

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"smbd exited with {self.process.returncode}:\n{self.tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"smbd did not listen on port {self.port} within {timeout} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM to smbd's own process group (it and its per-client children), then SIGKILL."""
        if self.process is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> "SambaServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def served_directory(prefix: str = "pdsweep-share-") -> str:
    """A directory smbd's test user can reach: pytest's own tmp dirs are 0700 root-only."""
    path = tempfile.mkdtemp(prefix=prefix, dir=SHORT_TMP)
    os.chmod(path, 0o755)
    return path
