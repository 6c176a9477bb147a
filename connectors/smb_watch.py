"""Watch an smb:// root for changes: SMB2 CHANGE_NOTIFY, else polling.

`watch_smb(root, callback)` calls `callback(changes)` with a list of
`SmbChange(action, uri)` each time the server reports changes under the
root, until `stop` is set. The server keeps queueing changes on our open
directory handle between two requests, so nothing is lost while the callback
runs; when its queue overflows the server says so, and we report one
`rescan` change for the root. Servers that do not implement CHANGE_NOTIFY
(or refuse it on that share) are polled instead: the tree is walked every
`poll_interval` seconds and compared on (size, last-write time, file id), the
same metadata that decides "unchanged" in a scan.

Actions: added, removed, modified, renamed_from, renamed_to (file or folder
URIs, as the server names them) and rescan (the root: walk it again).

Samba reports changes made through SMB anywhere under the root, but changes
made on the server's own disk (not through SMB) only in the watched folder
itself (it uses one inotify watch): keep a scheduled re-crawl for those.
"""
from __future__ import annotations

import threading
from typing import Callable

from .filesystem import FileEntry
from .source import Change
from .smb_credentials import SmbCredentials, registered, resolve_credentials
from .smb_session import SmbUnavailable, classify, session_for
from .smb_uri import SmbPath

_ACTIONS = {1: "added", 2: "removed", 3: "modified", 4: "renamed_from", 5: "renamed_to",
            6: "modified", 7: "modified", 8: "modified", 9: "removed"}
# STATUS_NOT_SUPPORTED, STATUS_NOT_IMPLEMENTED, STATUS_INVALID_DEVICE_REQUEST
_NOTIFY_UNSUPPORTED = {0xC00000BB, 0xC0000002, 0xC0000010}
_NOTIFY_OVERFLOW = 0x0000010C                                 # STATUS_NOTIFY_ENUM_DIR
_WAKE_S = 0.5                                                 # how often a waiting watcher checks `stop`


SmbChange = Change      # action, uri: the change feed's record (connectors/source.py)


Callback = Callable[[list[SmbChange]], None]


def watch_smb(root_uri: str, callback: Callback, stop: threading.Event | None = None, *,
              poll_interval: float = 300.0, mode: str = "auto", creds: SmbCredentials | None = None,
              on_mode: Callable[[str], None] | None = None, credentials_file: str | None = None) -> str:
    """Report changes under `root_uri` until `stop` is set; returns the mode used ("notify" or "poll").

    `mode`: "auto" (notify, falling back to polling), "notify" or "poll".
    `on_mode` is told the mode once the watch is in place (and again on a fall back to polling).
    Raises SmbUnavailable when the server or share cannot be used at all.
    """
    on_mode = on_mode or (lambda _mode: None)
    stop = stop or threading.Event()
    root = SmbPath.parse(root_uri)
    creds = creds or registered(root.server) or resolve_credentials(root.server, root.user, credentials_file)
    root = root.without_user()
    if mode != "poll":
        try:
            _watch_notify(root, creds, callback, stop, on_mode)
            return "notify"
        except _NotifyUnsupported:
            if mode == "notify":
                raise SmbUnavailable(f"{root.uri}: the server does not send change notifications") from None
    _watch_poll(root, creds, callback, stop, poll_interval, on_mode)
    return "poll"


class _NotifyUnsupported(Exception):
    pass


def _watch_notify(root: SmbPath, creds, callback: Callback, stop: threading.Event, on_mode) -> None:
    from smbclient._io import SMBDirectoryIO
    from smbprotocol.change_notify import ChangeNotifyFlags, CompletionFilter, FileSystemWatcher
    from smbprotocol.exceptions import SMBException

    wanted = (CompletionFilter.FILE_NOTIFY_CHANGE_FILE_NAME | CompletionFilter.FILE_NOTIFY_CHANGE_DIR_NAME
              | CompletionFilter.FILE_NOTIFY_CHANGE_SIZE | CompletionFilter.FILE_NOTIFY_CHANGE_LAST_WRITE
              | CompletionFilter.FILE_NOTIFY_CHANGE_CREATION)
    try:
        directory = SMBDirectoryIO(root.unc, mode="r", share_access="rwd", **session_for(root, creds))
        directory.open()
    except (OSError, ValueError, SMBException) as exc:
        raise SmbUnavailable(f"{root.uri}: {classify(exc, root)}") from None
    on_mode("notify")
    try:
        while not stop.is_set():
            watcher = FileSystemWatcher(directory.fd)
            try:
                watcher.start(wanted, flags=ChangeNotifyFlags.SMB2_WATCH_TREE)
                while not watcher.response_event.wait(_WAKE_S):
                    if stop.is_set():
                        watcher.cancel()
                        return
            except (OSError, ValueError, SMBException) as exc:    # the connection dropped
                raise SmbUnavailable(f"{root.uri}: {classify(exc, root)}") from None
            changes = _notified(watcher, root)
            if changes:
                callback(changes)
    finally:
        try:
            directory.close()
        except Exception:   # the connection may already be gone; nothing left to release
            pass


def _notified(watcher, root: SmbPath) -> list[SmbChange]:
    from smbprotocol.exceptions import SMBException, SMBResponseException

    try:
        result = watcher.result
    except SMBResponseException as exc:
        if exc.status in _NOTIFY_UNSUPPORTED:
            raise _NotifyUnsupported() from None
        if exc.status == _NOTIFY_OVERFLOW:
            return [SmbChange("rescan", root.uri)]
        raise SmbUnavailable(f"{root.uri}: {classify(exc, root)}") from None
    except (OSError, ValueError, SMBException) as exc:
        raise SmbUnavailable(f"{root.uri}: {classify(exc, root)}") from None
    if not result:                       # the server saw changes but sent no details
        return [SmbChange("rescan", root.uri)]
    changes = []
    for info in result:
        name = info["file_name"].get_value()
        path = root
        for part in name.replace("\\", "/").split("/"):
            path = path.child(part)
        changes.append(SmbChange(_ACTIONS.get(info["action"].get_value(), "modified"), path.uri))
    return changes


def _watch_poll(root: SmbPath, creds, callback: Callback, stop: threading.Event, interval: float,
                on_mode) -> None:
    from .smb import walk_smb

    def snapshot() -> dict[str, tuple[int, int, int]]:
        return {e.path: (e.size, e.mtime_ns, e.inode) for e in walk_smb(root.uri, creds)
                if isinstance(e, FileEntry)}

    before = snapshot()
    on_mode("poll")
    while not stop.wait(interval):
        after = snapshot()
        changes = ([SmbChange("added", u) for u in sorted(after.keys() - before.keys())]
                   + [SmbChange("removed", u) for u in sorted(before.keys() - after.keys())]
                   + [SmbChange("modified", u) for u in sorted(after.keys() & before.keys())
                      if after[u] != before[u]])
        before = after
        if changes:
            callback(changes)
