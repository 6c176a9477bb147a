"""Which pool worker analyses each content: a claim table the workers share without a server process.

Identical content (an attachment sent to twenty people, a file copied into each backup) is analysed
once per scan: the first worker to claim its content hash reads it, the others only record where it
is. The claims lived in a multiprocessing Manager dict, and each one was a round trip to the
manager's process. With two workers busy on two cores that process had to wait for a core: at the
issue's size (~1,700 claims per worker) a claim took 1.4 ms with two workers against 0.25 ms with one,
~2.4 s of each worker's wall time on a loaded machine (issue 16).

Here a claim is a lookup in a hash table kept in files of a private folder, mapped by every worker,
under an exclusive `flock` of the folder's lock file: nobody else has to run, and the kernel drops
the lock of a worker that dies holding it. The table is open addressing (16 bytes of BLAKE2b of the
content hash, the owner's pid), doubled into a new file when half full; the lock file's header says
which file is current and how many slots are used.

A scan removes its folder when it ends; one killed first leaves it behind, and the next scan removes
it (`remove_orphans`: the folder's name holds its creator's pid). Scans that share a temporary folder
across pid namespaces (containers sharing /tmp) would see each other as dead: give each its own TMPDIR.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import mmap
import os
import re
import shutil
import struct
import tempfile
import time

_HEADER = struct.Struct("<qq")      # generation of the current table file, slots in use
_SLOT = struct.Struct("<16si")      # key, owner pid (0: released by a lost worker, free to claim)
_EMPTY = bytes(16)
FIRST_SLOTS = 1 << 14               # 320 KB of table; doubled when half full
_PREFIX = "pdsweep-claims-"
_ORPHAN_NAME = re.compile(re.escape(_PREFIX) + r"(\d+)-\w+")


class ClaimTable:
    """`setdefault(content_hash, pid)` -> the pid that owns it, as dict.setdefault; `release(pid)`.

    Pickled to each worker as its folder only: files and mappings are opened in the process that uses
    them (a flock is shared by processes that share its open file)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.while_waiting = None       # called now and then while another process holds the lock
        self._opened_by: int | None = None
        self._lock_fd = -1
        self._generation = -1
        self._table: mmap.mmap | None = None
        self._slots = 0

    @classmethod
    def create(cls) -> "ClaimTable":
        remove_orphans()
        # 0700, removed by remove(); the creator's pid in the name lets a later scan remove the folder
        # of a scan that was killed before it could (remove_orphans)
        folder = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        with open(os.path.join(folder, "lock"), "wb") as f:
            f.write(_HEADER.pack(0, 0))
        _new_table_file(folder, 0)
        return cls(folder)

    def __getstate__(self) -> dict:
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"])

    def setdefault(self, content_hash: str, pid: int) -> int:
        key = _key(content_hash)
        with self._locked() as used:
            slot, owner = self._find(key)
            if owner:
                return owner
            if owner is None:            # a new key: make room first, then take a free slot
                if 2 * (used + 1) > self._slots:
                    self._grow()
                    slot, _ = self._find(key)
                self._set_used(used + 1)
            _SLOT.pack_into(self._table, slot * _SLOT.size, key, pid)
            return pid

    def release(self, pid: int) -> None:
        """Contents `pid` claimed were never stored (its worker was lost): let the others take them."""
        with self._locked():
            for slot in range(self._slots):
                key, owner = _SLOT.unpack_from(self._table, slot * _SLOT.size)
                if owner == pid:
                    _SLOT.pack_into(self._table, slot * _SLOT.size, key, 0)

    def close(self) -> None:
        if self._table is not None:
            self._table.close()
            self._table = None
        if self._lock_fd >= 0 and self._opened_by == os.getpid():
            os.close(self._lock_fd)
        self._lock_fd, self._opened_by, self._generation = -1, None, -1

    def remove(self) -> None:
        """The parent, once every worker has ended."""
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @contextlib.contextmanager
    def _locked(self):
        """Hold the lock, with the current table mapped; yields the slots in use."""
        if self._opened_by != os.getpid():
            self._lock_fd = os.open(os.path.join(self.folder, "lock"), os.O_RDWR)
            self._opened_by, self._generation, self._table = os.getpid(), -1, None
        self._lock()
        try:
            generation, used = _HEADER.unpack(os.pread(self._lock_fd, _HEADER.size, 0))
            if generation != self._generation:
                self._map(generation)
            yield used
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _lock(self) -> None:
        """Take the lock; while another process holds it, say so (`while_waiting`) every ~0.2 s.

        The lock is held for microseconds, but its holder can be stopped there (a worker stopped or
        starved until the pool kills it as hung): a worker waiting on it must not look hung too, so
        it polls instead of blocking. Two workers seldom claim at the same moment."""
        polls = 0
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                polls += 1
                if polls % 400 == 0 and self.while_waiting is not None:
                    self.while_waiting()
                time.sleep(0.0005)

    def _map(self, generation: int) -> None:
        if self._table is not None:
            self._table.close()
        with open(_table_path(self.folder, generation), "r+b") as f:
            self._table = mmap.mmap(f.fileno(), 0)
        self._slots = len(self._table) // _SLOT.size
        self._generation = generation

    def _find(self, key: bytes) -> tuple[int, int | None]:
        """(slot, owner) of `key`, or (the free slot it would take, None)."""
        mask = self._slots - 1
        slot = int.from_bytes(key[:8], "little") & mask
        while True:
            found, owner = _SLOT.unpack_from(self._table, slot * _SLOT.size)
            if found == key:
                return slot, owner
            if found == _EMPTY:
                return slot, None
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        """Copy every slot into a table twice the size, then make it the current one (a worker killed
        midway leaves the old one current and whole)."""
        old, old_slots, generation = self._table, self._slots, self._generation + 1
        _new_table_file(self.folder, generation, 2 * old_slots)
        self._table = None
        self._map(generation)
        for slot in range(old_slots):
            key, owner = _SLOT.unpack_from(old, slot * _SLOT.size)
            if key != _EMPTY:
                free, _ = self._find(key)
                _SLOT.pack_into(self._table, free * _SLOT.size, key, owner)
        old.close()
        _, used = _HEADER.unpack(os.pread(self._lock_fd, _HEADER.size, 0))
        os.pwrite(self._lock_fd, _HEADER.pack(generation, used), 0)
        os.unlink(_table_path(self.folder, generation - 1))   # other workers still mapping it remap

    def _set_used(self, used: int) -> None:
        os.pwrite(self._lock_fd, _HEADER.pack(self._generation, used), 0)


def remove_orphans(parent: str | None = None) -> list[str]:
    """Remove the claim folders of scans that ended without removing their own (a scan killed with
    SIGKILL, a machine that lost power): this user's folders whose creating process is gone. A folder
    whose pid has been reused is kept until that process ends too: ~320 KB of sparse file, no harm."""
    parent = parent or tempfile.gettempdir()
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        match = _ORPHAN_NAME.fullmatch(entry.name)
        if not match or _alive(int(match.group(1))):
            continue
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.geteuid():
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(entry.path)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:       # another user's process: alive
        return True
    return True


def _key(content_hash: str) -> bytes:
    digest = hashlib.blake2b(content_hash.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return bytes([digest[0] | 1]) + digest[1:]     # never the empty slot's all-zero key


def _table_path(folder: str, generation: int) -> str:
    return os.path.join(folder, f"table-{generation}")


def _new_table_file(folder: str, generation: int, slots: int = FIRST_SLOTS) -> None:
    with open(_table_path(folder, generation), "wb") as f:    # a worker killed while growing left one
        f.truncate(slots * _SLOT.size)                         # sparse: zeros are empty slots
