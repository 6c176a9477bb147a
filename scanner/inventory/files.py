"""Atomic file writes: temp file, fsync, rename, fsync the directory. The one implementation.

A crash or kill -9 at any point leaves either the old file or the new one.
The inventory's parts and manifest, the report, the erasure's edits of a
user's file: all go through `atomic_write`.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from typing import BinaryIO, Callable

import pyarrow as pa
import pyarrow.parquet as pq


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str, write: Callable[[BinaryIO], object], mode: int | None = 0o600, *,
                 prefix: str = ".tmp-", suffix: str = "") -> None:
    """Replace `path` with what `write(file)` writes (bytes), atomically.

    `mode`: the new file's mode; None keeps the mode and owner of the file being replaced (an erasure
    edits a user's file: it must stay theirs, with their permissions).
    """
    directory = os.path.dirname(os.path.abspath(path))
    old = os.stat(path) if mode is None else None
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(old.st_mode) if old is not None else mode)
        if old is not None:
            _chown_quietly(tmp, old)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    fsync_dir(directory)


def write_bytes_atomic(path: str, data: bytes, mode: int = 0o600) -> None:
    atomic_write(path, lambda f: f.write(data), mode)


def write_json_atomic(path: str, obj) -> None:
    write_bytes_atomic(path, json.dumps(obj, indent=1, sort_keys=True).encode())


def write_parquet_atomic(path: str, table: pa.Table, sort_by: list[tuple[str, str]] | None = None,
                         row_group_size: int = 128 * 1024) -> None:
    """Write a Parquet file atomically; sorting gives tight row-group statistics for lookups."""
    if sort_by and table.num_rows:
        table = table.sort_by(sort_by)
    atomic_write(path, lambda f: pq.write_table(table, f, compression="zstd", row_group_size=row_group_size),
                 suffix=".parquet")


def _chown_quietly(path: str, st: os.stat_result) -> None:
    try:
        os.chown(path, st.st_uid, st.st_gid)
    except PermissionError:   # not root: the file stays ours, which it already was
        pass


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
