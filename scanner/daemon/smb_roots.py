"""smb:// roots in the daemon: credentials at start-up, availability checks, change-notification watches.

A watched smb:// root is followed by `connectors.smb.watch_smb` in a thread
of its own (SMB2 CHANGE_NOTIFY; polling where the server does not send
notifications). The thread only feeds changed URIs to the debouncer, as the
watchdog observers do for local roots; the main loop reads them. When the
connection drops, the thread ends with its reason: the main loop sees the
watch is dead, checks the server, and crawls the root again once it is back
(changes made meanwhile were not notified).
"""
from __future__ import annotations

import logging
import threading

from connectors.smb import SmbChange, SmbError, prepare_smb_root, smb_path_kind, watch_smb
from connectors.smb_credentials import read_credentials_file

from ..errors import UsageError, connector_error
from .config import RootConfig

log = logging.getLogger("pdsweep.daemon")

STOP_WAIT_S = 3.0     # a watch thread notices its stop event within watch_smb's 0.5 s wake-up


def prepare_smb_roots(roots: tuple[RootConfig, ...], prompt: bool) -> None:
    """Resolve every smb:// root's credentials now, before the model loads: a missing password is
    one line and exit 2 at start-up, not a root that silently never works."""
    for root in roots:
        if not root.is_smb:
            continue
        try:
            prepare_smb_root(root.source, root.credentials, prompt=prompt)
        except SmbError as exc:
            raise connector_error(exc, root.path) from None


def check_smb_credentials_files(roots: tuple[RootConfig, ...]) -> None:
    """For `daemon --check`: each named credentials file exists and only its owner can read it.
    (The password may come from the service's environment, which --check does not see.)"""
    for root in roots:
        if root.is_smb and root.credentials:
            try:
                read_credentials_file(root.credentials)
            except SmbError as exc:
                raise UsageError(f"{root.path}: {exc}") from None


def smb_root_problem(root: RootConfig) -> str | None:
    """Why an smb:// root cannot be crawled now (server down, share gone, folder missing), or None."""
    try:
        kind = smb_path_kind(root.path)
    except SmbError as exc:
        return str(exc)
    if kind == "missing":
        return "not found"
    if root.watch and kind != "dir":
        return "not a directory"
    return None


class SmbProbes:
    """Availability checks of smb:// roots, each in a thread of its own: a server that hangs must not
    stall the main loop (and with it the local roots) for the 15-30 s a connect or a request may wait."""

    def __init__(self):
        self._running: dict[str, threading.Thread] = {}
        self._results: dict[str, str | None] = {}

    def poll(self, root: RootConfig) -> tuple[bool, str | None]:
        """(done, problem): the result of the last probe once it has finished, else (False, None) and a
        probe is under way."""
        thread = self._running.get(root.path)
        if thread is not None and thread.is_alive():
            return False, None
        if thread is not None:
            del self._running[root.path]
            return True, self._results.pop(root.path, "the availability check failed")
        thread = threading.Thread(target=self._probe, args=(root,), name=f"smb-probe {root.path}", daemon=True)
        self._running[root.path] = thread
        thread.start()
        return False, None

    def _probe(self, root: RootConfig) -> None:
        try:
            self._results[root.path] = smb_root_problem(root)
        except Exception as exc:      # a library failure is a problem of this root, not of the daemon
            self._results[root.path] = f"availability check failed: {type(exc).__name__}"


class SmbWatch:
    """One root's watch thread. `mode` is "notify" or "poll" once the watch is in place."""

    def __init__(self, root: str, touch, polling: bool, poll_interval_s: float):
        self.root = root
        self.mode: str | None = None
        self.error: str | None = None
        self._touch = touch
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=("poll" if polling else "auto", poll_interval_s),
                                        name=f"smb-watch {root}", daemon=True)
        self._thread.start()

    @property
    def kind(self) -> str:
        return f"smb-{self.mode or 'notify'}"

    def alive(self) -> bool:
        return self._thread.is_alive()

    def request_stop(self) -> None:
        self._stop.set()

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self, mode: str, poll_interval_s: float) -> None:
        try:
            watch_smb(self.root, self._changed, self._stop, poll_interval=poll_interval_s, mode=mode,
                      on_mode=self._set_mode)
        except SmbError as exc:
            self.error = str(exc)
            log.warning("the watch on %s ended: %s", self.root, exc)
        except Exception as exc:      # a library failure must end this watch, not the daemon
            self.error = type(exc).__name__
            log.error("the watch on %s failed: %s", self.root, type(exc).__name__)

    def _set_mode(self, mode: str) -> None:
        if self.mode and mode != self.mode:
            log.info("%s: the server sends no change notifications; polling it", self.root)
        self.mode = mode

    def _changed(self, changes: list[SmbChange]) -> None:
        for change in changes:
            # "rescan" names the root itself, which the main loop answers with a crawl of the root.
            self._touch(change.uri)


__all__ = ["SmbProbes", "SmbWatch", "check_smb_credentials_files", "prepare_smb_roots", "smb_root_problem"]
