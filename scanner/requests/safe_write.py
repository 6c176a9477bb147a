"""Replacing a file so that a crash leaves it either fully old or fully new.

Write a temporary file in the same directory, fsync it, give it the old
file's mode and owner, rename it over the old one, fsync the directory.
"""
from __future__ import annotations

import os
import stat
import tempfile


def replace_file(path: str, data: bytes) -> None:
    replace_with(path, lambda f: f.write(data))


def replace_with(path: str, write) -> None:
    """Like replace_file, but `write(file)` streams the new content (large mailboxes)."""
    st = os.stat(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".pdsweep-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        _chown_quietly(tmp, st)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(directory)


def delete_file(path: str) -> None:
    os.unlink(path)
    _fsync_dir(os.path.dirname(os.path.abspath(path)))


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


def _fsync_dir(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
