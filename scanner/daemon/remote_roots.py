"""Remote roots in the daemon (smb://, later others): credentials at start-up, availability checks off
the main loop, change-feed watches.

A watched remote root is followed by its source's change feed
(`Source.watch`, connectors/source.py) in a thread of its own. The thread
only feeds changed URIs to the debouncer, as the watchdog observers do for
local roots; the main loop reads them. When the connection drops, the thread
ends with its reason: the main loop sees the watch is dead, checks the root,
and crawls it again once it is back (changes made meanwhile were not reported).
"""
from __future__ import annotations

import logging
import threading

from connectors.errors import ConnectorError
from connectors.source import Change, SourceSettings

from ..errors import UsageError, connector_error
from .config import RootConfig

log = logging.getLogger("pdsweep.daemon")

STOP_WAIT_S = 3.0     # a watch thread notices its stop event within the feed's 0.5 s wake-up


def prepare_roots(roots: tuple[RootConfig, ...], prompt: bool) -> None:
    """Make every remote root ready now (credentials resolved), before the model loads: a missing
    password is one line and exit 2 at start-up, not a root that silently never works."""
    for root in roots:
        if not root.is_remote:
            continue
        source = type(root.reader)(SourceSettings(credentials_file=root.credentials, prompt=prompt))
        try:
            source.prepare(root.source)
        except ConnectorError as exc:
            raise connector_error(exc, root.path) from None


def check_root_settings(roots: tuple[RootConfig, ...]) -> None:
    """For `daemon --check`: each remote root's settings are usable (a named credentials file exists and
    only its owner can read it). The password may come from the service's environment, not seen here."""
    for root in roots:
        if not root.is_remote:
            continue
        try:
            root.reader.check_settings([root.path])
        except ConnectorError as exc:
            raise UsageError(f"{root.path}: {exc}") from None


def remote_root_problem(root: RootConfig) -> str | None:
    """Why a remote root cannot be crawled now (server down, share gone, folder missing), or None."""
    try:
        kind = root.reader.kind(root.path)
    except ConnectorError as exc:
        return str(exc)
    if kind == "missing":
        return "not found"
    if root.watch and kind != "dir":
        return "not a directory"
    return None


class RemoteProbes:
    """Availability checks of remote roots, each in a thread of its own: a server that hangs must not
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
        thread = threading.Thread(target=self._probe, args=(root,), name=f"probe {root.path}", daemon=True)
        self._running[root.path] = thread
        thread.start()
        return False, None

    def _probe(self, root: RootConfig) -> None:
        try:
            self._results[root.path] = remote_root_problem(root)
        except Exception as exc:      # a library failure is a problem of this root, not of the daemon
            self._results[root.path] = f"availability check failed: {type(exc).__name__}"


class FeedWatch:
    """One root's change-feed thread. `mode` is the feed's ("notify" or "poll") once it is in place."""

    def __init__(self, root: str, touch, polling: bool, poll_interval_s: float, source):
        self.root = root
        self.mode: str | None = None
        self.error: str | None = None
        self._source = source
        self._touch = touch
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=("poll" if polling else "auto", poll_interval_s),
                                        name=f"watch {root}", daemon=True)
        self._thread.start()

    @property
    def kind(self) -> str:
        """What the status shows as the root's observer: "<scheme>-<mode>" (smb-notify, smb-poll)."""
        return f"{self._source.scheme}-{self.mode or 'notify'}"

    def alive(self) -> bool:
        return self._thread.is_alive()

    def request_stop(self) -> None:
        self._stop.set()

    def stop(self, timeout: float = STOP_WAIT_S) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self, mode: str, poll_interval_s: float) -> None:
        try:
            self._source.watch(self.root, self._changed, self._stop, poll_interval=poll_interval_s, mode=mode,
                               on_mode=self._set_mode)
        except ConnectorError as exc:
            self.error = str(exc)
            log.warning("the watch on %s ended: %s", self.root, exc)
        except Exception as exc:      # a library failure must end this watch, not the daemon
            self.error = type(exc).__name__
            log.error("the watch on %s failed: %s", self.root, type(exc).__name__)

    def _set_mode(self, mode: str) -> None:
        if self.mode and mode != self.mode:
            log.info("%s: the server sends no change notifications; polling it", self.root)
        self.mode = mode

    def _changed(self, changes: list[Change]) -> None:
        for change in changes:
            # "rescan" names the root itself, which the main loop answers with a crawl of the root.
            self._touch(change.uri)


__all__ = ["FeedWatch", "RemoteProbes", "check_root_settings", "prepare_roots", "remote_root_problem"]
