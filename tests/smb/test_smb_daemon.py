"""smb:// roots in `pdsweep watch` and the daemon config, against a real Samba server.

The daemon runs as a real child process (real model, real inventory); `find`
runs in this process. Changes are made on the server's own disk, in the
watched folder (Samba reports those through CHANGE_NOTIFY) or, for the
polling fallback, below it.
"""
from __future__ import annotations

import os
import shutil
import sys
import time

import pytest
from click.testing import CliRunner

from builders import make_person, person_lines
from samba_server import SambaServer, served_directory
from scanner.cli import cli
from scanner.daemon.config import DEFAULT_SMB_INTERVAL_S, daemon_config_from_dict
from scanner.errors import UsageError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "daemon"))
from daemon_process import DaemonProcess, WatchProcess, find, wait_for  # noqa: E402

FOLLOW_S = 5.0
READY_S = 120.0


def _put(share: str, rel: str, text: str) -> None:
    """Write a file the Samba test user can read (it is not root)."""
    path = os.path.join(share, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for folder in _folders(share, os.path.dirname(path)):
        os.chmod(folder, 0o755)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)


def _folders(top: str, folder: str):
    while folder.startswith(top):
        yield folder
        folder = os.path.dirname(folder)


@pytest.fixture
def live_share(smb_env, request):
    """A server of its own, serving a tree the test changes: one person in sub/old.txt."""
    share = served_directory()
    _put(share, "seed.txt", "Nothing personal here: the quarterly totals are in the ledger.\n")
    _put(share, "sub/old.txt", person_lines(make_person(501)))
    with SambaServer(share_path=share, password=smb_env.password, extra=getattr(request, "param", "")) as server:
        yield server
    shutil.rmtree(share, ignore_errors=True)


def _root_status(daemon: DaemonProcess) -> dict:
    roots = daemon.status().get("roots") or [{}]
    return roots[0]


def _stop(daemon: DaemonProcess, password: str) -> None:
    rc, seconds = daemon.stop()
    log = daemon.log()
    assert rc == 0 and seconds < 10, log
    assert password not in log and "Traceback" not in log


# -- config ------------------------------------------------------------------------------------------

def test_config_accepts_smb_roots():
    config = daemon_config_from_dict({"roots": [
        {"path": "smb://svc-scan@FileServer:1445/Finance/Payroll/", "credentials": "/etc/pdsweep/smb.cred",
         "exclude": ["Old/2019", "smb://fileserver:1445/Finance/Payroll/tmp"]},
        {"path": "smb://fileserver/Backups", "kind": "backup"}]})
    watched, backups = config.roots
    assert watched.path == "smb://fileserver:1445/Finance/Payroll"       # canonical: no user, host lower-case
    assert watched.user == "svc-scan" and watched.source == "smb://svc-scan@fileserver:1445/Finance/Payroll"
    assert watched.credentials == "/etc/pdsweep/smb.cred"
    assert watched.excludes == ("smb://fileserver:1445/Finance/Payroll/Old/2019",
                                "smb://fileserver:1445/Finance/Payroll/tmp")
    assert watched.watch and watched.interval_s == DEFAULT_SMB_INTERVAL_S   # a safety-net re-crawl
    assert not backups.watch and backups.user is None


@pytest.mark.parametrize("root, message", [
    ({"path": "smb://fileserver"}, "needs a share"),
    ({"path": "smb://svc:secret@fileserver/Finance"}, "password"),
    ({"path": "smb://fileserver/Finance", "exclude": ["../elsewhere"]}, "inside the root"),
    ({"path": "/srv/share", "credentials": "/etc/pdsweep/smb.cred"}, "only for smb:// roots"),
    ({"path": "relative/share"}, "must be absolute"),
])
def test_config_rejects_bad_smb_roots(root, message):
    with pytest.raises(UsageError) as caught:
        daemon_config_from_dict({"roots": [root]}, "pdsweep.toml")
    assert message in str(caught.value) and str(caught.value).startswith("pdsweep.toml: roots[0]")
    assert "secret" not in str(caught.value)


def test_check_refuses_a_credentials_file_others_can_read(tmp_path):
    cred = tmp_path / "smb.cred"
    cred.write_text("username=svc\npassword=Pw-not-real\n")
    cred.chmod(0o644)
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{tmp_path / "inv"}"\n[[roots]]\npath = "smb://fileserver/Finance"\n'
                      f'credentials = "{cred}"\n')
    result = CliRunner().invoke(cli, ["daemon", "--config", str(config), "--check"])
    assert result.exit_code == 2 and "chmod 600" in result.output and "Pw-not-real" not in result.output
    cred.chmod(0o600)
    result = CliRunner().invoke(cli, ["daemon", "--config", str(config), "--check"])
    assert result.exit_code == 0, result.output


def test_daemon_without_a_password_stops_at_start_up(tmp_path, monkeypatch):
    """A service has no terminal: a missing password is one line and exit 2, before the model loads."""
    monkeypatch.delenv("PDSWEEP_SMB_PASSWORD", raising=False)
    monkeypatch.delenv("PDSWEEP_SMB_CREDENTIALS", raising=False)
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{tmp_path / "inv"}"\n[[roots]]\npath = "smb://svc@127.0.0.1:1/Finance"\n')
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["daemon", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert "no password for smb://127.0.0.1:1" in result.output and "Traceback" not in result.output
    assert time.monotonic() - started < 10


# -- a real server ------------------------------------------------------------------------------------

@pytest.mark.slow
def test_daemon_follows_a_share_through_change_notifications(live_share, tmp_path, monkeypatch):
    """`pdsweep daemon` with an smb:// root and a credentials file: `find` follows create, rename,
    delete on the share within seconds, with smb:// URIs."""
    server = live_share
    monkeypatch.delenv("PDSWEEP_SMB_PASSWORD")        # from the credentials file only
    cred = tmp_path / "smb.cred"
    cred.write_text(f"username={server.user}\npassword={server.password}\n")
    cred.chmod(0o600)
    inventory = str(tmp_path / "inventory")
    config = tmp_path / "pdsweep.toml"
    config.write_text(f'inventory = "{inventory}"\ndebounce = 0.3\nlog_format = "json"\n'
                      f'[[roots]]\npath = "{server.uri(user=False)}"\ncredentials = "{cred}"\n')
    daemon = DaemonProcess(["daemon", "--config", str(config)], inventory)
    try:
        status = daemon.wait_ready(READY_S)
        root = status["roots"][0]
        assert root["path"] == server.uri(user=False) and root["observer"] == "smb-notify"
        assert root["last_crawl"]["files"] == 2 and root["state"] == "ok"
        old = make_person(501)
        assert find(inventory, email=old.email) == {server.uri("sub/old.txt", user=False)}

        new = make_person(502)
        _put(server.share_path, "new.txt", person_lines(new))
        wait_for(lambda: find(inventory, email=new.email) == {server.uri("new.txt", user=False)}, FOLLOW_S)
        assert find(inventory, name=new.name) == {server.uri("new.txt", user=False)}

        os.rename(os.path.join(server.share_path, "new.txt"), os.path.join(server.share_path, "moved.txt"))
        wait_for(lambda: find(inventory, email=new.email) == {server.uri("moved.txt", user=False)}, FOLLOW_S)

        os.unlink(os.path.join(server.share_path, "moved.txt"))
        wait_for(lambda: find(inventory, email=new.email) == set(), FOLLOW_S)
        assert find(inventory, email=old.email) == {server.uri("sub/old.txt", user=False)}
    finally:
        _stop(daemon, server.password)


@pytest.mark.slow
@pytest.mark.parametrize("live_share", ["    change notify = no"], indirect=True)
def test_watch_polls_a_server_without_change_notifications(live_share, tmp_path):
    server = live_share
    inventory = str(tmp_path / "inventory")
    daemon = WatchProcess([server.uri()], inventory, "--smb-poll-interval", "0.5")
    try:
        daemon.wait_ready(READY_S)
        wait_for(lambda: _root_status(daemon).get("observer") == "smb-poll", FOLLOW_S)
        person = make_person(503)
        _put(server.share_path, "sub/deeper/new.txt", person_lines(person))   # below the root folder
        wait_for(lambda: find(inventory, email=person.email) == {server.uri("sub/deeper/new.txt", user=False)},
                 FOLLOW_S)
    finally:
        _stop(daemon, server.password)


@pytest.mark.slow
def test_watch_survives_the_server_going_away_and_catches_up(live_share, tmp_path):
    """The server stops: the root is reported lost (one line), nothing is marked gone, the daemon keeps
    running; once the server is back the root is crawled again and what changed meanwhile is found."""
    server = live_share
    inventory = str(tmp_path / "inventory")
    old = make_person(501)
    daemon = WatchProcess([server.uri()], inventory)
    try:
        daemon.wait_ready(READY_S)
        server.stop()
        wait_for(lambda: _root_status(daemon).get("state") == "lost", 30)
        root = _root_status(daemon)
        assert "connection refused" in root["last_error"] or "connection" in root["last_error"], root
        assert daemon.proc.poll() is None
        assert find(inventory, email=old.email) == {server.uri("sub/old.txt", user=False)}   # not gone

        person = make_person(504)
        _put(server.share_path, "while-down.txt", person_lines(person))
        server.start()
        wait_for(lambda: find(inventory, email=person.email) == {server.uri("while-down.txt", user=False)}, 60)
        wait_for(lambda: _root_status(daemon).get("observer") == "smb-notify"
                 and _root_status(daemon).get("state") == "ok", 10)

        later = make_person(505)
        _put(server.share_path, "after.txt", person_lines(later))
        wait_for(lambda: find(inventory, email=later.email) == {server.uri("after.txt", user=False)}, FOLLOW_S)
        assert find(inventory, email=old.email) == {server.uri("sub/old.txt", user=False)}
    finally:
        _stop(daemon, server.password)


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="needs a folder the Samba test user may not list (made by root)")
def test_a_new_folder_that_cannot_be_listed_is_recorded_not_a_lost_root(live_share, tmp_path):
    server = live_share
    inventory = str(tmp_path / "inventory")
    daemon = WatchProcess([server.uri()], inventory)
    try:
        daemon.wait_ready(READY_S)
        locked = os.path.join(server.share_path, "locked")
        os.mkdir(locked, 0o700)                     # root's: the Samba test user may not list it
        _put(server.share_path, "locked/inside.txt", person_lines(make_person(506)))
        os.chmod(locked, 0o700)
        person = make_person(507)
        _put(server.share_path, "beside.txt", person_lines(person))
        wait_for(lambda: find(inventory, email=person.email) == {server.uri("beside.txt", user=False)}, FOLLOW_S)
        wait_for(lambda: _recorded(inventory, server.uri("locked", user=False)) is not None, FOLLOW_S)
        assert _recorded(inventory, server.uri("locked", user=False)) == ("error", "access denied")
        root = _root_status(daemon)
        assert root["state"] == "ok" and root["errors"] == 0, root
        assert "root unavailable" not in daemon.log()
        assert find(inventory, email=make_person(501).email) == {server.uri("sub/old.txt", user=False)}
    finally:
        _stop(daemon, server.password)


def _recorded(inventory: str, uri: str):
    from scanner.inventory import open_inventory

    reader = open_inventory(inventory)
    try:
        rows = reader.query(f"SELECT status, reason FROM locations WHERE uri = '{uri}'")
    finally:
        reader.close()
    return tuple(rows[0]) if rows else None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a folder the Samba test user may not list (made by root)")
def test_session_update_records_paths_it_may_not_read(live_share, tmp_path):
    """Changed paths inside a folder the server will not show us: recorded with the reason, the
    update goes on (it does not fail, which would make the daemon give up the whole root)."""
    from connectors.smb import prepare_smb_root
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.daemon import Session

    server = live_share
    _put(server.share_path, "locked/inside.txt", person_lines(make_person(508)))
    os.chmod(os.path.join(server.share_path, "locked"), 0o700)
    prepare_smb_root(server.uri(), prompt=False)
    inventory = str(tmp_path / "inventory")
    session = Session(ScanConfig(inventory=inventory, workers=1, detector=DetectorSettings(use_ner=False)))
    try:
        locked, inside, seed = (server.uri(rel, user=False) for rel in ("locked", "locked/inside.txt", "seed.txt"))
        first = session.update([inside, seed])      # the file itself (it cannot even be stat'ed)
        second = session.update([locked])           # its folder (it cannot be listed)
    finally:
        session.close()
    assert (first.files_read, first.errors, second.files_read, second.errors) == (1, 1, 0, 1)
    assert _recorded(inventory, inside) == ("error", "access denied")
    assert _recorded(inventory, locked) == ("error", "access denied")
    assert _recorded(inventory, seed) == ("ok", "")


@pytest.mark.slow
def test_a_hung_server_does_not_stall_the_local_roots(live_share, tmp_path):
    """The SMB server is replaced by one that accepts TCP and never answers: its checks wait out their
    timeouts in the background, while changes under a local root are still findable within 5 s."""
    import socket

    server = live_share
    local = tmp_path / "local"
    local.mkdir()
    inventory = str(tmp_path / "inventory")
    daemon = WatchProcess([str(local), server.uri()], inventory)
    silent = socket.socket()
    try:
        daemon.wait_ready(READY_S)
        server.stop()
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(("127.0.0.1", server.port))
        silent.listen(16)
        started = time.monotonic()
        for n in range(8):                         # ~20 s: past the 15 s connect timeout of the checks
            person = make_person(600 + n)
            _put(str(local), f"note-{n}.txt", person_lines(person))
            wait_for(lambda: find(inventory, email=person.email) == {str(local / f"note-{n}.txt")}, FOLLOW_S)
            time.sleep(max(0.0, started + 2.5 * (n + 1) - time.monotonic()))
        wait_for(lambda: _smb_root(daemon).get("state") == "lost", 30)
    finally:
        silent.close()
        _stop(daemon, server.password)


def _smb_root(daemon: DaemonProcess) -> dict:
    return next((r for r in daemon.status().get("roots", []) if r["path"].startswith("smb://")), {})
