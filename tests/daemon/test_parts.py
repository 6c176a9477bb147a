"""The daemon's pieces without a watcher: debouncing, network file systems, the session, part merging."""
from __future__ import annotations

import os

import pytest

from detectors import DetectorSettings
from scanner.config import ScanConfig
from scanner.daemon.config import RootConfig
from scanner.daemon.events import Debouncer
from scanner.daemon.roots import RootState, root_problem
from scanner.daemon.session import Session, covering
from scanner.daemon.tidy import Tidier
from scanner.daemon.watching import fs_type, needs_polling
from scanner.inventory import open_inventory

from .conftest import find, write


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_debouncer_waits_for_quiet_and_caps_the_wait():
    clock = Clock()
    d = Debouncer(quiet_s=1.0, max_delay_s=5.0, clock=clock)
    d.touch("/a")
    clock.now += 0.6
    d.touch("/b")
    assert d.ready() == [] and len(d) == 2
    clock.now += 0.5                      # /a quiet for 1.1 s, /b for 0.5 s
    assert d.ready() == ["/a"] and len(d) == 1
    assert d.next_due_in() == pytest.approx(0.5)
    for _ in range(8):                    # /b is written to continuously...
        clock.now += 0.7
        d.touch("/b")
        if d.ready():
            break
    assert clock.now - 100.6 >= 5.0       # ...and taken once it has waited max_delay_s
    assert len(d) == 0 and d.next_due_in() is None


def test_covering_drops_paths_inside_others():
    assert covering(["/r/a/x", "/r/a", "/r/ab", "/r/b/", "/r/a/y/z"]) == ["/r/a", "/r/ab", "/r/b"]


MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/nfs nfs4 rw 0 0
//fs/share /mnt/smb\\040share cifs rw 0 0
user@host:/ /mnt/ssh fuse.sshfs rw 0 0
tmpfs /mnt/nfs/local tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, kind, polls", [
    ("/srv/share", "ext4", False), ("/mnt/nfs/dept", "nfs4", True), ("/mnt/smb share/x", "cifs", True),
    ("/mnt/ssh", "fuse.sshfs", True), ("/mnt/nfs/local/x", "tmpfs", False), ("/mnt/nfsx", "ext4", False),
])
def test_network_file_systems_are_polled(tmp_path, path, kind, polls):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    assert fs_type(path, str(mounts)) == kind
    assert needs_polling(path, str(mounts)) is polls


def test_an_emptied_mount_point_on_another_device_is_not_crawled(tmp_path):
    root = RootState(RootConfig(str(tmp_path)))
    assert root_problem(root) is None
    device = root.identity[0]
    root.identity = (device + 1, root.identity[1])          # as if the share had been mounted there
    assert "unmounted" in root_problem(root)
    (tmp_path / "f").write_text("x")                         # not empty: a real directory, crawl it
    assert root_problem(root) is None and root.identity[0] == device
    assert "FileNotFoundError" in root_problem(RootState(RootConfig(str(tmp_path / "missing"))))


@pytest.fixture
def session(tmp_path):
    config = ScanConfig(inventory=str(tmp_path / "inventory"), detector=DetectorSettings(use_ner=False))
    s = Session(config)
    s.tidier = Tidier(s.writer, max_parts=4, grace_s=0)
    yield s
    s.close()


def test_session_update_tombstones_and_merges_parts(session, tmp_path, people):
    root = str(tmp_path / "share")
    inventory = session.config.inventory
    persons = people(12)
    paths = {}
    for i, (_, email) in enumerate(persons):
        paths[email] = os.path.join(root, f"d{i % 3}", f"{i}.txt")
        write(paths[email], f"reply to {email}\n")
        session.update([paths[email]])                       # one checkpoint each: parts pile up
    for email, path in paths.items():
        assert find(inventory, email=email) == {path}
    manifest = session.writer.manifest
    assert all(len(manifest.parts(t)) <= 5 for t in ("locations", "findings", "contents"))
    live = {p for p in os.listdir(os.path.join(inventory, "locations"))}
    assert live == {os.path.basename(p) for p in manifest.locations}   # merged-away parts unlinked

    os.rename(os.path.join(root, "d1"), str(tmp_path / "elsewhere"))
    summary = session.update([os.path.join(root, "d1")])
    assert summary.gone == 4
    for email, path in paths.items():
        assert find(inventory, email=email) == (set() if "/d1/" in path else {path})

    session.tidier.merge("locations", include_base=True)     # fold: one part, same answers
    assert len(session.writer.manifest.locations) == 1
    for email, path in paths.items():
        assert find(inventory, email=email) == (set() if "/d1/" in path else {path})
    reader = open_inventory(inventory)
    try:
        counts = dict(reader.query("SELECT status, count(*) FROM locations GROUP BY status"))
    finally:
        reader.close()
    assert counts == {"ok": 8, "gone": 4}


def test_session_skips_unchanged_files_and_rereads_changed_ones(session, tmp_path, people):
    root = str(tmp_path / "share")
    (_, e1), (_, e2) = people(2)
    path = os.path.join(root, "a.txt")
    write(path, f"{e1}\n")
    assert session.crawl(root).files_read == 1
    again = session.crawl(root)
    assert (again.files_read, again.files_unchanged, again.gone) == (0, 1, 0)
    write(path, f"{e2}\n")
    assert session.update([path]).files_read == 1
    assert find(session.config.inventory, email=e1) == set()
    assert find(session.config.inventory, email=e2) == {path}


def test_an_inotify_overflow_logged_by_watchdog_raises_the_rescan_flag():
    import logging
    from scanner.daemon.events import OverflowSignal
    signal_ = OverflowSignal().install()
    try:
        watchdog_log = logging.getLogger("watchdog.observers.inotify_c")
        watchdog_log.warning("Inotify queue overflowed; events were lost")
        assert signal_.flag.is_set()
        signal_.flag.clear()
        watchdog_log.warning("something else")
        assert not signal_.flag.is_set()
    finally:
        signal_.uninstall()


def test_a_file_rewritten_while_it_is_read_is_queued_again(session, tmp_path, people):
    (_, e1), (_, e2) = people(2)
    path = os.path.join(str(tmp_path / "share"), "busy.txt")
    write(path, f"{e1}\n")
    real_run = session.analyser.run

    def run_while_someone_writes(entries, scan_id):
        result = real_run(entries, scan_id)
        write(path, f"{e1}\n{e2} and more text\n")     # the writer was not finished
        return result
    session.analyser.run = run_while_someone_writes
    session.update([path])
    assert session.unsettled == {path}
    session.analyser.run = real_run
    session.unsettled.clear()
    session.update([path])                             # what the daemon does once it is quiet again
    assert session.unsettled == set()
    assert find(session.config.inventory, email=e2) == {path}



def test_the_session_counts_erased_subjects_that_are_back(session, tmp_path, people):
    from scanner.find import query_keys
    from scanner.keys import Keyer
    from scanner.requests.suppression import add_entry
    (_, email), = people(1)
    path = os.path.join(str(tmp_path / "share"), "restored.txt")
    write(path, f"{email}\n")
    session.update([path])
    assert session.suppressed() == 0
    keys = query_keys(Keyer(session.secret), {"email": [email]})
    add_entry(session.config.inventory, "req-1", keys, beyond_use=[])
    assert session.suppressed() == 1


def test_a_skipped_path_is_tombstoned_too_and_unknown_paths_cost_nothing(session, tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    fifo = str(root / "pipe")
    os.mkfifo(fifo)
    session.update([fifo])

    def status():
        reader = open_inventory(session.config.inventory)
        try:
            return reader.query("SELECT status FROM locations WHERE uri = ?", [fifo])[0][0]
        finally:
            reader.close()
    assert status() == "skipped"
    os.unlink(fifo)
    assert session.update([fifo]).gone == 1 and status() == "gone"
    parts = list(session.writer.manifest.locations)
    assert session.update([str(root / ".swp-never-seen")]).gone == 0
    assert session.writer.manifest.locations == parts        # nothing written for a path never recorded


def test_excluded_paths_are_not_read_on_events(tmp_path, people):
    root = tmp_path / "share"
    config = ScanConfig(inventory=str(tmp_path / "inventory"), detector=DetectorSettings(use_ner=False),
                        excludes=(str(root / "tmp"),))
    session = Session(config)
    try:
        (_, e1), (_, e2) = people(2)
        write(str(root / "tmp" / "scratch.txt"), f"{e1}\n")
        write(str(root / "scratch" / "x.txt"), f"{e2}\n")
        summary = session.update([str(root / "tmp" / "scratch.txt"), str(root / "scratch" / "x.txt")],
                                 excludes=(str(root / "scratch"),))
        assert summary.files_read == 0
        assert session.update([str(root)]).files_read == 1     # the root's own excludes are not given here
        assert find(config.inventory, email=e1) == set()
    finally:
        session.close()


def test_a_directory_that_cannot_be_listed_does_not_make_its_files_gone(session, tmp_path, people,
                                                                       monkeypatch):
    import connectors.filesystem as fs
    root = tmp_path / "share"
    (_, email), = people(1)
    locked = str(root / "locked")
    write(os.path.join(locked, "a.txt"), f"{email}\n")
    session.crawl(str(root))
    real_scandir = os.scandir

    def scandir(path="."):        # as for a directory this user may not list (tests run as root)
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(fs.os, "scandir", scandir)
    assert session.crawl(str(root)).gone == 0
    assert session.crawl(str(root)).gone == 0       # again, now that the directory's error row is known
    assert find(session.config.inventory, email=email) == {os.path.join(locked, "a.txt")}
    monkeypatch.setattr(fs.os, "scandir", real_scandir)
    os.unlink(os.path.join(locked, "a.txt"))
    assert session.crawl(str(root)).gone == 2       # readable again: the file really is gone, and so is
    assert find(session.config.inventory, email=email) == set()   # the directory's error row


def test_the_status_file_follows_a_state_change_within_its_throttle(tmp_path):
    """A crawl of a small root ends within a second of starting: the status must then say idle, not
    stay `crawling` until the next write a second later (with a 1 s interval, never)."""
    from scanner.daemon.status import StatusWriter, read_status
    writer = StatusWriter(str(tmp_path), min_interval_s=60.0)
    writer.write(dict(state="crawling", roots=[dict(state="crawling")]), force=True)
    writer.write(dict(state="idle", roots=[dict(state="ok")]))
    assert read_status(str(tmp_path))["state"] == "idle"
    writer.write(dict(state="idle", roots=[dict(state="ok")], queue=5))     # same states: throttled
    assert "queue" not in read_status(str(tmp_path))
