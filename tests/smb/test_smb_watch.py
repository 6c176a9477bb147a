"""watch_smb: change notifications from a real Samba server, and the polling fallback."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

from connectors.smb import prepare_smb_root
from connectors.smb_watch import SmbChange, watch_smb
from samba_server import SambaServer, served_directory


@pytest.fixture
def watched(smb_env, request):
    """A server of its own: these tests change the tree it serves."""
    share = served_directory()
    os.makedirs(os.path.join(share, "sub"))
    os.chmod(os.path.join(share, "sub"), 0o755)
    for rel in ("keep.txt", "sub/old.txt"):
        with open(os.path.join(share, rel), "w") as f:
            f.write("nothing personal\n")
        os.chmod(os.path.join(share, rel), 0o644)
    extra = getattr(request, "param", "")
    with SambaServer(share_path=share, password=smb_env.password, extra=extra) as server:
        yield server
    shutil.rmtree(share, ignore_errors=True)


class Recorder:
    def __init__(self, root: str, ready: str = "notify", **kwargs):
        """`ready`: the mode the watch must report (through on_mode) before the test changes the tree."""
        self.changes: list[SmbChange] = []
        self.stop = threading.Event()
        self.mode = None
        self.ready = ready
        self.reported = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(root,), kwargs=kwargs, daemon=True)

    def _run(self, root, **kwargs):
        self.mode = watch_smb(root, self.changes.extend, self.stop, on_mode=self._on_mode, **kwargs)

    def _on_mode(self, mode: str) -> None:
        if mode == self.ready:
            self.reported.set()

    def __enter__(self):
        self.thread.start()
        # A fixed sleep raced the fall back to polling on a loaded machine: the poller's first
        # listing came after the test's write, so the new file was never "added".
        assert self.reported.wait(30), f"the watch never reported mode {self.ready!r}"
        time.sleep(1.0)                     # a notify request reaches the server after on_mode
        return self

    def __exit__(self, *exc):
        started = time.monotonic()
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive() and time.monotonic() - started < 3

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[str, str]]:
        deadline = time.monotonic() + timeout
        while len(self.changes) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return [(c.action, c.uri) for c in self.changes]


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def test_change_notifications(watched):
    root = prepare_smb_root(watched.uri())
    base = watched.uri(user=False)
    with Recorder(root) as rec:
        _write(os.path.join(watched.share_path, "new.txt"), "Jane\n")
        assert rec.wait_for(1) == [("added", f"{base}/new.txt")]
        os.rename(os.path.join(watched.share_path, "new.txt"), os.path.join(watched.share_path, "moved.txt"))
        os.unlink(os.path.join(watched.share_path, "keep.txt"))
        assert rec.wait_for(4) == [("added", f"{base}/new.txt"), ("renamed_from", f"{base}/new.txt"),
                                   ("renamed_to", f"{base}/moved.txt"), ("removed", f"{base}/keep.txt")]
    assert rec.mode == "notify"


def test_polling_fallback(watched):
    root = prepare_smb_root(watched.uri())
    base = watched.uri(user=False)
    with Recorder(root, ready="poll", mode="poll", poll_interval=0.3) as rec:
        _write(os.path.join(watched.share_path, "sub", "new.txt"), "x\n")
        os.chmod(os.path.join(watched.share_path, "sub", "new.txt"), 0o644)
        _write(os.path.join(watched.share_path, "keep.txt"), "changed, and longer than before\n")
        os.unlink(os.path.join(watched.share_path, "sub", "old.txt"))
        got = rec.wait_for(3)
    assert rec.mode == "poll"
    assert sorted(got) == [("added", f"{base}/sub/new.txt"), ("modified", f"{base}/keep.txt"),
                           ("removed", f"{base}/sub/old.txt")]


@pytest.mark.parametrize("watched", ["    change notify = no"], indirect=True)
def test_a_server_without_notifications_is_polled(watched):
    root = prepare_smb_root(watched.uri())
    with Recorder(root, ready="poll", poll_interval=0.3) as rec:
        _write(os.path.join(watched.share_path, "new.txt"), "x\n")
        os.chmod(os.path.join(watched.share_path, "new.txt"), 0o644)
        got = rec.wait_for(1)
    assert rec.mode == "poll"
    assert got == [("added", watched.uri("new.txt", user=False))]
