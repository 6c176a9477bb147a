"""What the daemon knows about each root: is it there, is it watched, when is its next crawl."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .config import RootConfig

MAX_BACKOFF_S = 300.0
REMOTE_CHECK_EVERY_S = 30.0    # a remote root with a live watch: one round trip every 30 s, not every 2 s


@dataclass
class RootState:
    cfg: RootConfig
    state: str = "pending"              # pending | crawling | ok | lost
    observer: str | None = None         # inotify | polling, while watched
    identity: tuple[int, int] | None = None   # (device, inode) when last seen
    crawl_due: float | None = 0.0       # monotonic time of the next crawl; None: none planned
    retry_at: float = 0.0
    backoff_s: float = 0.0
    errors: int = 0
    last_error: str | None = None
    last_crawl: dict = field(default_factory=dict)
    checked_at: float | None = None     # monotonic time of the last availability check

    @property
    def path(self) -> str:
        return self.cfg.path

    def holds(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path.rstrip("/") + "/")

    def lose(self, reason: str, now: float) -> bool:
        """Mark the root unavailable; True when it was available until now (worth a warning)."""
        was_available = self.state != "lost"
        self.state = "lost"
        self.last_error = reason
        self.errors += was_available
        self.backoff_s = min(MAX_BACKOFF_S, max(2.0, self.backoff_s * 2))
        self.retry_at = now + self.backoff_s
        return was_available

    def as_status(self, now: float) -> dict:
        return dict(path=self.path, kind=self.cfg.kind, watch=self.cfg.watch, observer=self.observer,
                    state=self.state, interval_s=self.cfg.interval_s, errors=self.errors,
                    last_error=self.last_error, last_crawl=self.last_crawl,
                    device=self.identity[0] if self.identity else None,
                    next_crawl_in_s=(None if self.crawl_due is None
                                     else round(max(0.0, self.crawl_due - now), 1)),
                    retry_in_s=round(self.retry_at - now, 1) if self.state == "lost" else None)


def root_problem(root: RootState, previous_device: int | None = None) -> str | None:
    """Why a local root cannot be crawled now, or None. Updates its identity when it can.
    (remote roots are checked by RemoteProbes, off the main loop.)"""
    try:
        st = os.stat(root.path)
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror}"
    if root.cfg.watch and not os.path.isdir(root.path):
        return "not a directory"
    if not os.access(root.path, os.R_OK | (os.X_OK if os.path.isdir(root.path) else 0)):
        return "not readable by this user"
    known_device = root.identity[0] if root.identity else previous_device
    if known_device is not None and st.st_dev != known_device and _empty_dir(root.path):
        # An unmounted share leaves its empty mount point behind: crawling it would mark everything gone.
        return "device changed and the directory is empty (share unmounted?)"
    root.identity = (st.st_dev, st.st_ino)
    return None


def _empty_dir(path: str) -> bool:
    try:
        with os.scandir(path) as it:
            return next(it, None) is None
    except OSError:
        return False
