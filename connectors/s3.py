"""Objects in S3-compatible buckets, read-only: list them with their identity, read them as blobs.

`walk_s3` is the s3:// twin of `filesystem.walk`: a `FileEntry` per object with
the location URI as its path, LastModified as mtime_ns and a 64-bit digest of
the ETag as its inode, so the scanner's rule "same size, mtime and inode:
unchanged, not read" skips unchanged objects without a single GET. `S3Blob`
reads an object: small ones in one GET, into memory or the task's private temp
directory; beyond that through `S3RangeReader`, ranged GETs that stream
sequentially and seek by starting a new range (a zip's central directory is
read from the end without downloading the archive). Every GET names the ETag
seen in the listing (If-Match), so an object rewritten mid-scan is an error
with that reason, never a mix of two versions. Only list, head and get are
ever called.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Iterator

from .fetched_blob import FetchedBlob
from .filesystem import FileEntry, WalkProblem
from .location import Location
from .s3_client import S3Access, S3ReadError, S3Unavailable, classify, client_for, error_code, failures
from .s3_uri import S3Path, canonical_uri, inside, is_s3_uri

READ_CHUNK = 1024 * 1024    # ranged reads of objects too large to fetch (fetched_blob.FETCH_DISK_BYTES)
SEEK_SKIP_BYTES = 1024 * 1024            # a forward seek shorter than this reads on instead of a new GET
_COLD_CLASSES = {"GLACIER", "DEEP_ARCHIVE"}
_COLD_REASON = "archived storage class (reading it would need a restore)"


@dataclass(frozen=True)
class S3FileEntry(FileEntry):
    """A FileEntry that carries its store's access to the worker that reads it."""

    etag: str = ""
    access: S3Access | None = field(default=None, repr=False, compare=False)


def etag_inode(etag: str) -> int:
    """The inventory's int64 `inode` for an object version: a digest of its ETag."""
    return int.from_bytes(hashlib.blake2b(etag.encode(), digest_size=8).digest(), "big", signed=True)


def _mtime_ns(when) -> int:
    """Whole seconds: a listing gives milliseconds, HEAD only seconds; both must agree on 'unchanged'."""
    return int(when.timestamp()) * 1_000_000_000


def walk_s3(root_uri: str, access: S3Access, excludes: Iterable[str] = (),
            strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
    """Every object under an s3:// root (a bucket, a prefix taken as a folder, or one object), by key.

    Raises S3Unavailable when the bucket cannot be listed and `strict` (a scan's root: nothing under it
    may be called gone); without it the root is one WalkProblem.
    """
    root = S3Path.parse(canonical_uri(root_uri))
    excluded = tuple(canonical_uri(e) for e in excludes if is_s3_uri(e))
    client = client_for(access)
    try:
        single = _head(client, root) if root.key else None
        if single is not None:
            yield _entry(root, single["ContentLength"], single["LastModified"], single["ETag"],
                         single.get("StorageClass"), access)
            return
        prefix = root.key + "/" if root.key else ""
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=root.bucket, Prefix=prefix)
        for page in pages:
            for obj in page.get("Contents", []):
                if obj["Key"].endswith("/"):
                    continue          # a "folder" marker some tools create: no content
                path = root.child(obj["Key"])
                if excluded and any(inside(path.uri, e) for e in excluded):
                    continue
                yield _entry(path, obj["Size"], obj["LastModified"], obj["ETag"], obj.get("StorageClass"), access)
    except failures() as exc:
        reason = classify(exc)
        if strict:
            raise S3Unavailable(f"{root.uri}: {reason}") from None
        yield WalkProblem(root.uri, "error", reason)


def _head(client, path: S3Path) -> dict | None:
    try:
        return client.head_object(Bucket=path.bucket, Key=path.key)
    except failures() as exc:
        if error_code(exc) in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def _entry(path: S3Path, size: int, modified, etag: str, storage_class: str | None,
           access: S3Access) -> FileEntry | WalkProblem:
    if storage_class in _COLD_CLASSES:
        return WalkProblem(path.uri, "skipped", _COLD_REASON)
    return S3FileEntry(path.uri, size, _mtime_ns(modified), etag_inode(etag), 0, None, etag=etag, access=access)


def s3_path_kind(uri: str, access: S3Access) -> str:
    """What is at an s3:// URI now: "file", "dir" (a prefix with objects below it) or "missing"."""
    path = S3Path.parse(canonical_uri(uri))
    client = client_for(access)
    try:
        if path.key and _head(client, path) is not None:
            return "file"
        listed = client.list_objects_v2(Bucket=path.bucket, Prefix=path.key + "/" if path.key else "", MaxKeys=1)
    except failures() as exc:
        raise S3Unavailable(f"{path.uri}: {classify(exc)}") from None
    return "dir" if listed.get("KeyCount", 0) else "missing"


def s3_identity(uri: str, access: S3Access) -> tuple[int, int, int] | None:
    """(size, mtime_ns, inode) of the object now, or None when it is gone or cannot be asked."""
    path = S3Path.parse(uri)
    try:
        head = _head(client_for(access), path)
    except failures():
        return None
    if head is None:
        return None
    return head["ContentLength"], _mtime_ns(head["LastModified"]), etag_inode(head["ETag"])


class S3RangeReader(io.RawIOBase):
    """A seekable read-only stream over one object version: a ranged GET from the current position to the
    end, kept open while reading goes forward; a seek elsewhere closes it and the next read starts a new
    range. If-Match pins the version: a rewritten object raises S3ReadError instead of mixing versions."""

    def __init__(self, access: S3Access, path: S3Path, size: int, etag: str):
        super().__init__()
        self._client, self._path, self._size, self._etag = client_for(access), path, size, etag
        self._pos = 0
        self._body = None          # the open response body and the offset it will yield next
        self._body_pos = 0
        self.requests = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self._size:
            return 0
        self._position_body()
        view = memoryview(buffer).cast("B")
        try:
            data = self._body.read(min(len(view), self._size - self._pos))
        except failures() as exc:
            self._drop_body()
            raise S3ReadError(f"{self._path.uri}: {classify(exc)}") from None
        if not data:
            self._drop_body()
            raise S3ReadError(f"{self._path.uri}: the object ended early (changed while being read?)")
        view[:len(data)] = data
        self._pos += len(data)
        self._body_pos = self._pos
        return len(data)

    def _position_body(self) -> None:
        if self._body is not None and 0 <= self._pos - self._body_pos <= SEEK_SKIP_BYTES:
            while self._body_pos < self._pos:      # a short hop forward: read on, no new request
                skipped = self._body.read(min(READ_CHUNK, self._pos - self._body_pos))
                if not skipped:
                    break
                self._body_pos += len(skipped)
            if self._body_pos == self._pos:
                return
        self._drop_body()
        self._body = get_object_body(self._client, self._path, self._etag, f"bytes={self._pos}-")
        self._body_pos = self._pos
        self.requests += 1

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


def get_object_body(client, path: S3Path, etag: str, byte_range: str | None = None):
    """The body of one GET of this version (If-Match), as a stream; S3ReadError with the reason."""
    args = dict(Bucket=path.bucket, Key=path.key)
    if etag:
        args["IfMatch"] = etag
    if byte_range:
        args["Range"] = byte_range
    try:
        return client.get_object(**args)["Body"]
    except failures() as exc:
        code = error_code(exc)
        reason = "changed since it was listed" if code in ("PreconditionFailed", "412") else classify(exc)
        raise S3ReadError(f"{path.uri}: {reason}") from None


@dataclass
class S3Blob(FetchedBlob):
    """An object: fetched once when it is small enough (`FetchedBlob`), else read remotely by ranges on
    every open."""

    access: S3Access | None = field(default=None, repr=False)
    etag: str = ""

    TEMP_PREFIX = "s3-"

    def _open_remote(self) -> BinaryIO:
        raw = S3RangeReader(self.access, S3Path.parse(self.location.outer), self.size, self.etag)
        return io.BufferedReader(raw, buffer_size=READ_CHUNK)

    def _open_for_fetch(self) -> BinaryIO:
        """One GET of the whole object (If-Match the listed ETag)."""
        return get_object_body(client_for(self.access), S3Path.parse(self.location.outer), self.etag)

    def _read_failures(self) -> tuple[type[BaseException], ...]:
        return failures()

    def _read_error(self, exc: BaseException) -> Exception:
        return S3ReadError(f"{S3Path.parse(self.location.outer).uri}: {classify(exc)}")


def s3_blob(entry: S3FileEntry, tmpdir: str | None = None) -> S3Blob:
    """The blob of a walked object (in a worker): its access came with the entry."""
    return S3Blob(Location(entry.path), entry.size, mtime=entry.mtime_ns / 1e9, access=entry.access,
                  etag=entry.etag, tmpdir=tmpdir)


def s3_outer_blob(uri: str, access: S3Access, tmpdir: str | None = None) -> S3Blob | None:
    """An object read again by its location URI (a subject access request), or None when it is gone."""
    path = S3Path.parse(uri)
    try:
        head = _head(client_for(access), path)
    except failures() as exc:
        raise S3ReadError(f"{path.uri}: {classify(exc)}") from None
    if head is None:
        return None
    return S3Blob(Location(path.uri), head["ContentLength"], mtime=head["LastModified"].timestamp(),
                  access=access, etag=head["ETag"], tmpdir=tmpdir)
