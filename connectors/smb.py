"""Remote SMB shares without mounting: walk them and read their files as blobs.

`walk_smb` is the smb:// twin of `filesystem.walk`: it yields the same
`FileEntry` / `WalkProblem`, with the location URI as the path, the SMB file
id as the inode and the last-write time as mtime_ns, so the scanner's
incremental rules apply unchanged. `SmbBlob` reads a remote file as a stream
(read-only, sharing read/write/delete so that nobody is ever locked out).
Nothing is written to the server and no timestamp is set.

Reparse points (Windows symlinks, junctions, DFS links) are never followed;
directories already seen (same file id) are not walked twice, so a server-side
link loop ends.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Iterator

from .fetched_blob import FetchedBlob
from .filesystem import FileEntry, WalkProblem
from .location import Location
from .smb_credentials import SmbCredentials, registered, resolve_credentials
from .smb_owner import READ_CONTROL, owner_query, owner_sid
from .smb_session import SmbReadError, SmbUnavailable, classify, session_for
from .smb_uri import SmbError, SmbPath, SmbUriError, canonical_uri, is_smb_uri

__all__ = ["SmbBlob", "SmbError", "SmbFileEntry", "SmbUnavailable", "SmbUriError", "canonical_uri",
           "is_smb_uri", "prepare_smb_root", "smb_blob", "smb_outer_blob", "smb_path_kind", "walk_smb"]

READ_BUFFER = 1024 * 1024      # bytes per SMB read; Samba and Windows grant 1-8 MiB reads
COMPOUND_READ_BYTES = 1024 * 1024        # files smaller than this: open+read+close in one round trip
_ATTR_DIRECTORY = 0x10
_ATTR_REPARSE_POINT = 0x400
_ATTR_OFFLINE = 0x1000         # HSM-archived: reading it would recall it from tape or cloud
_ATTR_RECALL = 0x00040000 | 0x00400000
_REPARSE_REASON = "reparse point (symlink, junction or DFS link), not followed"
_OFFLINE_REASON = "offline file (reading it would recall it from archive storage)"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_READ_ACCESS = 0x1 | 0x8 | 0x80            # FILE_READ_DATA | FILE_READ_EA | FILE_READ_ATTRIBUTES, as smbclient asks


@dataclass(frozen=True)
class SmbFileEntry(FileEntry):
    """A FileEntry that carries its server's credentials to the worker that reads it."""

    credentials: SmbCredentials | None = field(default=None, repr=False, compare=False)


def prepare_smb_root(root: str, credentials_file: str | None = None, prompt: bool = True) -> str:
    """Resolve the credentials of an smb:// root (before any worker starts); its canonical URI."""
    path = SmbPath.parse(root)
    resolve_credentials(path.server, path.user, credentials_file, prompt)
    return path.uri


def walk_smb(root_uri: str, creds: SmbCredentials | None = None, excludes: Iterable[str] = (),
             strict: bool = True, credentials_file: str | None = None) -> Iterator[FileEntry | WalkProblem]:
    """Every regular file under an smb:// root (a share, a folder or one file), depth first.

    Raises SmbUnavailable when the server or share cannot be used at all. With `strict` (a scan's
    roots) a root that is missing or cannot be listed raises too: nothing under it may be called
    gone. Without it (a path the daemon was told had changed) a missing path yields nothing and an
    unlistable one is a WalkProblem, as any folder below a root would be.
    """
    root = SmbPath.parse(root_uri)
    creds = creds or registered(root.server) or resolve_credentials(root.server, root.user, credentials_file)
    smb = session_for(root, creds)
    root = root.without_user()
    excluded = tuple(canonical_uri(e) for e in excludes if is_smb_uri(e))
    try:
        st = _stat(root, smb)
    except _failures() as exc:
        reason = classify(exc, root)
        if not strict:
            if reason != "no longer present":
                yield WalkProblem(root.uri, "error", reason)
            return
        reason = "not found" if reason == "no longer present" else reason
        raise SmbUnavailable(f"{root.uri}: {reason}") from None
    if st is not None and not st.st_file_attributes & _ATTR_DIRECTORY:
        # Microseconds, as directory listings give them, so both ways agree on "unchanged".
        yield _entry_or_problem(root, st.st_size, st.st_mtime_ns // 1000 * 1000, st.st_ino,
                                st.st_file_attributes, creds)
        return
    yield from _walk_dir(root, creds, excluded, smb, {st.st_ino} if st is not None else set(), strict)


def smb_path_kind(uri: str, credentials_file: str | None = None) -> str:
    """What is at an smb:// URI now: "file", "dir", "link" (a reparse point, never followed) or "missing".

    One round trip on a live connection. Raises SmbUnavailable when the server or share cannot be used.
    """
    _, st = _stat_now(uri, credentials_file)
    if st is None:
        return "missing"
    if st.st_file_attributes & _ATTR_REPARSE_POINT:
        return "link"
    return "dir" if st.st_file_attributes & _ATTR_DIRECTORY else "file"


def _stat_now(uri: str, credentials_file: str | None = None):
    """(the path without its user, its stat result or None when it is not there). Credentials: those
    registered for the server, else resolved now (a location URI carries no user: it comes from the
    credentials file or PDSWEEP_SMB_USER). SmbReadError when the server refuses this one path."""
    import smbclient

    path = SmbPath.parse(uri)
    smb = session_for(path, registered(path.server)
                      or resolve_credentials(path.server, path.user, credentials_file))
    path = path.without_user()
    try:
        return path, smbclient.stat(path.unc, **smb)
    except _failures() as exc:
        reason = classify(exc, path)
        if reason == "no longer present":
            return path, None
        raise SmbReadError(f"{path.uri}: {reason}") from None


def _failures() -> tuple[type[BaseException], ...]:
    from smbprotocol.exceptions import SMBException

    return (OSError, ValueError, SMBException)


def _stat(path: SmbPath, smb: dict):
    import smbclient

    if not path.parts:
        return None             # the share itself: a tree connect, not a file
    return smbclient.stat(path.unc, **smb)


def _walk_dir(top: SmbPath, creds, excluded, smb: dict,
              seen_dirs: set[int], strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
    import smbclient

    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(smbclient.scandir(directory.unc, **smb), key=lambda e: e.name)
        except _failures() as exc:      # a folder's failure is its reason; a server's, SmbUnavailable
            reason = classify(exc, directory)
            if directory is top and strict:   # else every file seen under the root would become "gone"
                raise SmbUnavailable(f"{top.uri}: {reason}") from None
            yield WalkProblem(directory.uri, "error", reason)
            continue
        subdirs = []
        for entry in entries:
            path = directory.child(entry.name)
            if excluded and _inside(path.uri, excluded):
                continue
            info = entry.smb_info
            if info.file_attributes & _ATTR_REPARSE_POINT:
                yield WalkProblem(path.uri, "skipped", _REPARSE_REASON)
            elif info.file_attributes & _ATTR_DIRECTORY:
                if info.file_id not in seen_dirs:
                    seen_dirs.add(info.file_id)
                    subdirs.append(path)
            else:
                yield _entry_or_problem(path, info.end_of_file, _ns(info.last_write_time), info.file_id,
                                        info.file_attributes, creds)
        stack.extend(reversed(subdirs))


def _entry_or_problem(path: SmbPath, size: int, mtime_ns: int, file_id: int, attributes: int,
                      creds) -> FileEntry | WalkProblem:
    if attributes & (_ATTR_OFFLINE | _ATTR_RECALL):
        return WalkProblem(path.uri, "skipped", _OFFLINE_REASON)
    return SmbFileEntry(path.uri, size, mtime_ns, _signed64(file_id), 0, None, credentials=creds)


def _ns(when: dt.datetime) -> int:
    delta = when - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1000


def _signed64(value: int) -> int:
    """The inventory's inode column is int64; Windows file ids use all 64 bits."""
    return value - (1 << 64) if value >= (1 << 63) else value


def _inside(uri: str, roots: tuple[str, ...]) -> bool:
    return any(uri == r or uri.startswith(r.rstrip("/") + "/") for r in roots)


@dataclass
class SmbBlob(FetchedBlob):
    """An outer file on an SMB share, fetched once (`FetchedBlob`), then read locally; a small file in
    one compound round trip (open, read, close)."""

    TEMP_PREFIX = "smb-"

    def _open_remote(self) -> BinaryIO:
        import smbclient

        remote = SmbPath.parse(self.location.outer)
        try:
            return smbclient.open_file(remote.unc, mode="rb", share_access="rwd", buffering=READ_BUFFER,
                                       **session_for(remote))
        except _failures() as exc:
            # classify() raises SmbUnavailable when the server has gone: that too is this file's reason
            raise SmbReadError(classify(exc, remote)) from None

    def _fetch(self, to_disk: bool = False) -> None:
        if not to_disk and self.size < COMPOUND_READ_BYTES:
            self._fetch_compound()
            if self.data is not None:
                return
        super()._fetch(to_disk)

    def _read_failures(self) -> tuple[type[BaseException], ...]:
        return _failures()

    def _read_error(self, exc: BaseException) -> Exception:
        return SmbReadError(classify(exc, SmbPath.parse(self.location.outer)))

    def prefetch_with_owner(self) -> str | None:
        """Before exploring: read a small file now, its owner in the same round trip; a larger file's
        owner in one round trip of its own. The owner SID, or None; a read that fails here is left to
        `open()`, whose error is recorded on the location."""
        remote = SmbPath.parse(self.location.outer)
        try:
            if self.size < COMPOUND_READ_BYTES:
                try:
                    return self._fetch_compound(with_owner=True)
                except SmbReadError:
                    self._fetch_compound()     # READ_CONTROL refused? then the file without its owner
                    return None
            return owner_sid(remote, session_for(remote))
        except SmbError:
            return None

    def _fetch_compound(self, with_owner: bool = False) -> str | None:
        """A small file in one round trip: open, read (and the owner), close as one SMB2 compound request.

        Sets `data` unless the file has grown since the walk (the read filled the whole request);
        returns the owner SID when asked for it.
        """
        import hashlib

        from smbclient._io import SMBFileTransaction, SMBRawIO

        remote = SmbPath.parse(self.location.outer)
        access = {"desired_access": _READ_ACCESS | READ_CONTROL} if with_owner else {}
        if not self.size and not with_owner:
            self.data, self._hash = b"", hashlib.sha256(b"").hexdigest()
            return None
        try:
            raw = SMBRawIO(remote.unc, mode="r", share_access="rwd", **access, **session_for(remote))
            length = min(COMPOUND_READ_BYTES, raw.fd.connection.max_read_size)
            with SMBFileTransaction(raw) as transaction:
                if self.size:
                    transaction += raw.fd.read(0, length, send=False)
                if with_owner:
                    transaction += owner_query(raw)
            results = list(transaction.results)
            data = results.pop(0) if self.size else b""
            owner = results.pop(0) if with_owner else None
            length = length if self.size else 1       # an empty file is whole
        except _failures() as exc:
            raise SmbReadError(classify(exc, remote)) from None
        if len(data) < length:
            self.data, self._hash = bytes(data), hashlib.sha256(data).hexdigest()
        return owner


def smb_outer_blob(uri: str, tmpdir: str | None = None, credentials_file: str | None = None) -> SmbBlob | None:
    """A remote outer file read again by its location URI (a subject access request), or None when it
    is no longer there (or is no longer a file)."""
    path, st = _stat_now(uri, credentials_file)
    if st is None or st.st_file_attributes & (_ATTR_DIRECTORY | _ATTR_REPARSE_POINT):
        return None
    return SmbBlob(Location(path.uri), st.st_size, mtime=st.st_mtime, tmpdir=tmpdir)


def smb_blob(entry: FileEntry, tmpdir: str | None = None) -> SmbBlob:
    """The blob of a walked remote file (its credentials were registered when the entry was unpickled),
    with its owner: asked for here, for the files that are read, not in the walk."""
    blob = SmbBlob(Location(entry.path), entry.size, mtime=entry.mtime_ns / 1e9, owner=entry.owner,
                   tmpdir=tmpdir)
    if blob.owner is None:
        blob.owner = blob.prefetch_with_owner()
    return blob
