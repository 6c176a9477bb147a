"""The inventory's own security: modes, a readable key refused, and no plaintext personal data in
any byte the tool writes (inventory, stdout/stderr, report, TMPDIR) from scan/find/report/status."""
from __future__ import annotations

import os
import stat

import pyarrow.parquet as pq
import pytest

from hostile_run import run_cli

PLANTED = {
    "email": "marjorie.quibble@example.org",
    "phone": "07700 900457",
    "nino": "QQ 12 34 56 C",
    "postcode": "SW1A 2AA",
    "name": "Marjorie Quibble",
}
LETTER = (f"Dear {PLANTED['name']},\n\nWe write about your account. Please call us on "
          f"{PLANTED['phone']} or email {PLANTED['email']}. Your National Insurance number "
          f"{PLANTED['nino']} is on file, and your address "
          f"ends {PLANTED['postcode']}.\n\nYours sincerely,\nAccounts\n").encode()


def forms(value: str) -> set[bytes]:
    """The planted value as it could leak: as written, without spaces, lower case, and UTF-16."""
    out = set()
    for v in {value, value.replace(" ", ""), value.lower(), value.upper()}:
        out |= {v.encode(), v.encode("utf-16-le")}
    return out


def watch_outputs(root, inventory: str, work) -> list[tuple[str, bytes]]:
    """Run the watch daemon (debug logs) while a new letter arrives; its logs and status output."""
    import signal
    import subprocess
    import sys
    import time

    from hostile_run import REPO

    work.mkdir()
    env = dict(os.environ, TMPDIR=str(work), HOME=str(work), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="",
               PYTHONPATH=REPO)
    log = work / "watch.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "scanner", "watch", str(root), "-i", inventory,
                                 "--no-ner",
                                 "--log-format", "json", "--log-level", "debug", "--debounce", "0.2"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(work))
        time.sleep(8)
        (root / "arrived.txt").write_bytes(LETTER)
        time.sleep(5)
        status = subprocess.run([sys.executable, "-m", "scanner", "status", "-i", inventory, "-f", "json"],
                                capture_output=True, env=env)
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    assert status.returncode == 0, status.stderr
    assert os.path.getsize(log) > 0
    from hostile_run import statuses
    assert statuses(inventory).get(str(root / "arrived.txt")) == ("ok", ""), "the daemon read the new letter"
    leftovers = [("watch TMPDIR " + n, b"") for n in os.listdir(work) if n != "watch.log"]
    assert not leftovers, leftovers
    return [("watch log", log.read_bytes()), ("status", status.stdout + status.stderr)]


def every_byte_written(paths: list[str]) -> list[tuple[str, bytes]]:
    """(path, content) of every file under the paths; Parquet files also as their decoded values
    (a compressed column would hide plaintext from a byte search)."""
    out = []
    for top in paths:
        for dirpath, _, files in os.walk(top):
            for name in files:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    out.append((path, f.read()))
                if name.endswith(".parquet"):
                    out.append((path + " (decoded)", repr(pq.read_table(path).to_pylist()).encode()))
    return out


@pytest.mark.slow
def test_no_plaintext_in_anything_written(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "letter.txt").write_bytes(LETTER)
    (root / "letter-copy.txt").write_bytes(LETTER.replace(b"Accounts", b"Billing"))
    inv, out_dir = str(tmp_path / "inv"), tmp_path / "out"
    out_dir.mkdir()
    report = str(out_dir / "report.html")
    outputs = []
    commands = [
        ["scan", str(root), "-i", inv, "-w", "1"],                       # real NER: names too
        ["scan", str(root), "-i", inv, "-w", "1", "-f", "json"],
        ["find", "-i", inv, "--email", PLANTED["email"], "--phone", PLANTED["phone"]],
        ["find", "-i", inv, "--name", PLANTED["name"], "-f", "json"],
        ["find", "-i", inv, "--nino", PLANTED["nino"], "-f", "csv"],
        ["report", "-i", inv, "-o", report],
        ["report", "-i", inv, "-f", "json"],
    ]
    for i, args in enumerate(commands):
        work = tmp_path / f"run{i}"
        work.mkdir()
        run = run_cli(args, work, timeout=300)
        assert run.rc == 0, (args, run.stderr[-2000:])
        assert run.tmp_left == [], (args, run.tmp_left)
        outputs.append((f"{args[0]} stdout", run.stdout.encode()))
        outputs.append((f"{args[0]} stderr", run.stderr.encode()))
    outputs += watch_outputs(root, inv, tmp_path / "watch")
    found = [o for o in outputs[4:] if b"letter.txt" in o[1]]
    assert found, "find located the letters (else this test proves nothing)"
    written = every_byte_written([inv, str(out_dir)]) + outputs
    assert len(written) > 10
    for kind, value in PLANTED.items():
        for form in forms(value):
            leaks = [where for where, data in written if form in data]
            assert not leaks, f"plaintext {kind} in {leaks}"


def test_inventory_and_key_modes(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.txt").write_bytes(b"nothing\n")
    inv = str(tmp_path / "inv")
    run = run_cli(["scan", str(root), "-i", inv, "-w", "1", "--no-ner", "-q"], tmp_path)
    assert run.rc == 0, run.stderr
    assert stat.S_IMODE(os.stat(inv).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(inv, "key")).st_mode) == 0o600
    for dirpath, dirs, files in os.walk(inv):
        for name in files:
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, name)).st_mode) & 0o077 == 0, name
        for name in dirs:
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, name)).st_mode) & 0o077 == 0, name


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_readable_key_is_refused_clearly(tmp_path, mode):
    root = tmp_path / "tree"
    root.mkdir()
    (root / "a.txt").write_bytes(b"nothing\n")
    inv = str(tmp_path / "inv")
    assert run_cli(["scan", str(root), "-i", inv, "-w", "1", "--no-ner", "-q"], tmp_path).rc == 0
    key = os.path.join(inv, "key")
    os.chmod(key, mode)
    for args in (["scan", str(root), "-i", inv, "-w", "1", "--no-ner", "-q"],
                 ["find", "-i", inv, "--email", "a@example.org"]):
        run = run_cli(args, tmp_path)
        assert run.rc not in (0, 2), args
        assert "key" in run.stderr and ("0600" in run.stderr or "readable" in run.stderr), run.stderr
        assert "Traceback" not in run.stderr
    assert stat.S_IMODE(os.stat(key).st_mode) == mode, "the key's mode is left for the admin to fix"
