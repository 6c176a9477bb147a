"""Walk local directory trees with os.scandir, safely.

- never follows a symlink (a link inside the roots points at something that is
  scanned at its own path; a link out of the roots must not be followed);
- never loops (directories are tracked by (device, inode));
- never opens FIFOs, sockets or device nodes;
- records what it cannot read, with the reason, and goes on.
"""
from __future__ import annotations

import os
import pwd
import stat
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    mtime_ns: int
    inode: int
    device: int
    owner: str


@dataclass(frozen=True)
class WalkProblem:
    """Something under a root that is recorded but not read."""

    path: str
    status: str      # skipped | error
    reason: str


@lru_cache(maxsize=4096)
def owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _special_kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device node"
    return None


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def walk(roots: Iterable[str], excludes: Iterable[str] = ()) -> Iterator[FileEntry | WalkProblem]:
    """Yield every regular file under `roots` (files or directories), depth first."""
    roots = tuple(os.path.abspath(r) for r in roots)
    real_roots = tuple(os.path.realpath(r) for r in roots)
    excluded = tuple(os.path.abspath(e) for e in excludes)
    seen_dirs: set[tuple[int, int]] = set()
    for root in roots:
        try:
            st = os.stat(root)  # a root given on the command line may itself be a link
        except OSError as exc:
            yield WalkProblem(root, "error", f"{type(exc).__name__}: {exc.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(root, real_roots, excluded, seen_dirs)
        else:
            yield _entry_or_problem(root, st)


def _entry_or_problem(path: str, st: os.stat_result) -> FileEntry | WalkProblem:
    special = _special_kind(st.st_mode)
    if special:
        return WalkProblem(path, "skipped", f"{special}, not opened")
    if not stat.S_ISREG(st.st_mode):
        return WalkProblem(path, "skipped", "not a regular file")
    return FileEntry(path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, owner_name(st.st_uid))


def _walk_dir(top: str, real_roots, excluded, seen_dirs) -> Iterator[FileEntry | WalkProblem]:
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            dst = os.stat(directory, follow_symlinks=False)
            key = (dst.st_dev, dst.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield WalkProblem(directory, "error", f"{type(exc).__name__}: {exc.strerror}")
            continue
        subdirs = []
        for entry in entries:
            path = entry.path
            if excluded and _inside(path, excluded):
                continue
            try:
                if entry.is_symlink():
                    yield _symlink_problem(path, real_roots)
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                yield WalkProblem(path, "error", f"{type(exc).__name__}: {exc.strerror}")
                continue
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(path)
            else:
                yield _entry_or_problem(path, st)
        stack.extend(reversed(subdirs))


def _symlink_problem(path: str, real_roots: tuple[str, ...]) -> WalkProblem:
    target = os.path.realpath(path)
    if _inside(target, real_roots):
        return WalkProblem(path, "skipped", "symlink within the scan roots; its target is scanned at its own path")
    return WalkProblem(path, "skipped", "symlink out of the scan roots, not followed")
