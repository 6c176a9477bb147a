"""Where fleet snapshots are published: a directory, or an s3:// prefix on any S3-compatible store.

Both give the same few operations, each atomic on its own: `put` of a whole
object (a local file is written to a temp name, fsynced and renamed; an S3
PUT, or a multipart upload, is visible only once complete), `copy` (a rename
of a private copy; a server-side CopyObject), `get`, `list` and `delete`.
Nothing more is assumed of S3: no rename, no multi-object transaction, no
versioning. `publish.py` builds its snapshot protocol from these.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from typing import Iterator

from connectors.s3_uri import S3Path, is_s3_uri

from ..errors import PdsweepError
from ..inventory.files import fsync_dir


class FleetStoreError(PdsweepError):
    """The destination cannot be read or written (its reason; never a credential)."""


class LocalStore:
    """A directory tree (local disk, NFS, an SMB mount). Directories 0700, files 0600."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self.label = self.root

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *key.split("/"))

    def put_file(self, key: str, local: str) -> None:
        self._install(local, key, copy=True)

    def put_bytes(self, key: str, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".put-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            self._install(tmp, key, copy=True)
        finally:
            os.unlink(tmp)

    def copy(self, src: str, dst: str) -> None:
        self._install(self._path(src), dst, copy=True)

    def _install(self, local: str, key: str, copy: bool) -> None:
        target = self._path(key)
        directory = os.path.dirname(target)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out, open(local, "rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)     # readers see the old file or the new one, whole
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        fsync_dir(directory)

    def get_bytes(self, key: str) -> bytes | None:
        try:
            with open(self._path(key), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def get_file(self, key: str, local: str) -> bool:
        try:
            shutil.copyfile(self._path(key), local)
            return True
        except FileNotFoundError:
            return False

    def list(self, prefix: str) -> Iterator[str]:
        """Keys (relative, '/'-separated) of files at or below `prefix`; temp files excluded."""
        base = self._path(prefix.rstrip("/")) if prefix else self.root
        for directory, dirs, files in os.walk(base):
            dirs.sort()
            for name in sorted(files):
                if not name.startswith(".tmp-"):
                    yield os.path.relpath(os.path.join(directory, name), self.root).replace(os.sep, "/")

    def list_dirs(self, prefix: str) -> list[str]:
        """Names of the 'folders' directly below `prefix` (hosts of a tenant)."""
        try:
            return sorted(e.name for e in os.scandir(self._path(prefix.rstrip("/"))) if e.is_dir())
        except FileNotFoundError:
            return []

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            try:
                os.unlink(self._path(key))
            except FileNotFoundError:
                pass


class S3Store:
    """An s3:// prefix. Writes go through PUT/multipart upload and CopyObject, each atomic per object."""

    def __init__(self, uri: str, access):
        from connectors.s3_client import client_for

        path = S3Path.parse(uri)
        self.bucket, self.base = path.bucket, path.key.strip("/")
        self.label = S3Path(self.bucket, self.base).uri
        self.client = client_for(access)

    def _key(self, key: str) -> str:
        return f"{self.base}/{key}" if self.base else key

    def _call(self, what: str, fn, *args, **kwargs):
        from connectors.s3_client import classify, failures

        try:
            return fn(*args, **kwargs)
        except failures() as exc:
            raise FleetStoreError(f"{self.label}: {what}: {classify(exc)}") from None

    def put_file(self, key: str, local: str) -> None:
        # upload_file switches to a multipart upload for large files: still one atomic object.
        self._call("upload", self.client.upload_file, local, self.bucket, self._key(key))

    def put_bytes(self, key: str, data: bytes) -> None:
        self._call("put", self.client.put_object, Bucket=self.bucket, Key=self._key(key), Body=data)

    def copy(self, src: str, dst: str) -> None:
        self._call("copy", self.client.copy, {"Bucket": self.bucket, "Key": self._key(src)}, self.bucket,
                   self._key(dst))

    def get_bytes(self, key: str) -> bytes | None:
        from connectors.s3_client import error_code, failures

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except failures() as exc:
            if error_code(exc) in ("NoSuchKey", "404"):
                return None
            return self._call("get", _reraise, exc)

    def get_file(self, key: str, local: str) -> bool:
        data = self.get_bytes(key)           # inventory snapshots are read whole anyway
        if data is None:
            return False
        with open(local, "wb") as f:
            f.write(data)
        return True

    def list(self, prefix: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(prefix))
        start = len(self._key(""))
        for page in self._call("list", list, pages):
            for obj in page.get("Contents", []):
                yield obj["Key"][start:]

    def list_dirs(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self._key(prefix.rstrip("/") + "/"), Delimiter="/")
        names = []
        for page in self._call("list", list, pages):
            for common in page.get("CommonPrefixes", []):
                names.append(common["Prefix"].rstrip("/").rsplit("/", 1)[-1])
        return sorted(names)

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": self._key(k)} for k in keys[start:start + 1000]]
            if batch:
                self._call("delete", self.client.delete_objects, Bucket=self.bucket,
                           Delete={"Objects": batch, "Quiet": True})


def _reraise(exc: BaseException):
    raise exc


def open_store(dest: str, endpoint: str | None = None):
    """The store for DEST: an s3:// prefix (credentials from the standard AWS chain) or a directory."""
    if is_s3_uri(dest):
        from connectors.s3_client import resolve_access

        return S3Store(dest, resolve_access(endpoint))
    return LocalStore(dest)
