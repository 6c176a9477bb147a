"""Replacing a user's file so that a crash leaves it either fully old or fully new.

The new content goes through the one atomic writer (scanner/inventory/files.py):
a temporary file in the same directory, fsync'ed, given the old file's mode
and owner, renamed over the old one, the directory fsync'ed.
"""
from __future__ import annotations

import os

from ..inventory.files import atomic_write, fsync_dir


def replace_file(path: str, data: bytes) -> None:
    replace_with(path, lambda f: f.write(data))


def replace_with(path: str, write) -> None:
    """Like replace_file, but `write(file)` streams the new content (large mailboxes)."""
    atomic_write(path, write, mode=None, prefix=".pdsweep-", suffix=".tmp")


def delete_file(path: str) -> None:
    os.unlink(path)
    fsync_dir(os.path.dirname(os.path.abspath(path)))
