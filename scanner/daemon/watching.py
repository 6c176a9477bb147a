"""Observers: inotify for local disks, polling for network file systems where inotify sees nothing,
and the source's own change feed for a remote root (connectors/source.py Source.watch)."""
from __future__ import annotations

import logging
import os

from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from connectors.source import source_for

from .remote_roots import FeedWatch

log = logging.getLogger("pdsweep.daemon")

# inotify sees only changes made through this kernel: on these, changes made by other clients are invisible.
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
              "gpfs", "davfs", "fuse.sshfs", "sshfs", "fuse.glusterfs", "fuse.davfs2", "fuse.rclone",
              "fuse.s3fs", "fuse.cephfs", "fuse.gcsfuse", "fuse.smbnetfs"}


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash in octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def fs_type(path: str, mounts_file: str = "/proc/mounts") -> str | None:
    """The type of the file system holding `path` (the longest matching mount point)."""
    real = os.path.realpath(path)
    best, best_type = "", None
    try:
        with open(mounts_file) as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point, kind = _unescape(fields[1]), fields[2]
        inside = real == mount_point or real.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, kind
    return best_type


def needs_polling(path: str, mounts_file: str = "/proc/mounts") -> bool:
    return fs_type(path, mounts_file) in NETWORK_FS


class Observers:
    """One inotify observer and one polling observer (started when first needed), and their watches;
    a thread per root followed by its source's change feed."""

    def __init__(self, handler, poll_interval_s: float, feed_poll_interval_s: float = 300.0):
        self.handler = handler
        self.poll_interval_s = poll_interval_s
        self.feed_poll_interval_s = feed_poll_interval_s   # a feed that has to poll (smb_poll_interval)
        self._observers: dict[str, object] = {}
        self._watches: dict[str, tuple[str, object]] = {}   # root -> (kind, ObservedWatch)
        self._feeds: dict[str, FeedWatch] = {}

    def watch(self, root: str, polling: bool, source=None) -> str:
        source = source or source_for(root)
        if source.capabilities.change_feed:
            self._feeds[root] = FeedWatch(root, self.handler.debouncer.touch, polling, self.feed_poll_interval_s,
                                          source)
            return self._feeds[root].kind
        kind = "polling" if polling else "inotify"
        observer = self._observer(kind)
        self._watches[root] = (kind, observer.schedule(self.handler, root, recursive=True))
        return kind

    def unwatch(self, root: str) -> None:
        if root in self._feeds:
            self._feeds.pop(root).stop()
            return
        kind, watch = self._watches.pop(root, (None, None))
        if watch is None:
            return
        try:
            self._observers[kind].unschedule(watch)
        except (KeyError, OSError):
            pass   # the emitter already stopped itself (its root was deleted)

    def alive(self, root: str) -> bool:
        """False once the watch's emitter has stopped (root deleted or moved away, a remote feed's connection lost)."""
        if root in self._feeds:
            return self._feeds[root].alive()
        kind, watch = self._watches.get(root, (None, None))
        if watch is None:
            return False
        return any(e.watch == watch and e.is_alive() for e in self._observers[kind].emitters)

    def kind(self, root: str) -> str | None:
        if root in self._feeds:
            return self._feeds[root].kind
        return self._watches.get(root, (None, None))[0]

    def stop(self, timeout: float = 3.0) -> None:
        for watch in self._feeds.values():
            watch.request_stop()
        for watch in self._feeds.values():
            watch.stop(timeout)
        for observer in self._observers.values():
            observer.stop()
        for observer in self._observers.values():
            observer.join(timeout)

    def _observer(self, kind: str):
        if kind not in self._observers:
            observer = PollingObserver(timeout=self.poll_interval_s) if kind == "polling" else Observer()
            observer.daemon = True
            observer.start()
            self._observers[kind] = observer
        return self._observers[kind]
