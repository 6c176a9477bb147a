"""Issue 2: incremental scans, de-duplication, the safe walk, the key and the CLI's exit codes."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from detectors import DetectorSettings
from scanner.cli import cli
from scanner.config import ScanConfig
from scanner.inventory import open_inventory
from scanner.scan import run_scan

pytestmark = pytest.mark.slow
NO_NER = DetectorSettings(use_ner=False)

LETTER = ("Dear Olivia Hartley,\nPlease call 0113 496 0555 or write to olivia.hartley@example.org.\n"
          "Your postcode is LS1 4AP.\n")


def scan(root, inventory, **kw):
    return run_scan([str(root)], ScanConfig(inventory=str(inventory), workers=1, **kw))


def find_email(inventory, email):
    import json
    result = CliRunner().invoke(cli, ["find", "--email", email, "-i", str(inventory), "-f", "json"])
    assert result.exit_code == 0, result.output
    return sorted(r["location"] for r in json.loads(result.stdout))


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "share"
    (root / "a").mkdir(parents=True)
    (root / "a" / "letter.txt").write_text(LETTER)
    (root / "a" / "copy.txt").write_text(LETTER)
    (root / "plain.txt").write_text("Release notes for version 4.2.\n")
    return root


def test_rescan_skips_unchanged_rereads_changed_and_marks_deleted_gone(tree, tmp_path):
    inv = tmp_path / "inv"
    first = scan(tree, inv)
    assert (first.files, first.files_read, first.analysed) == (3, 3, 2)   # two copies, one analysis
    second = scan(tree, inv)
    assert (second.files_read, second.files_unchanged, second.analysed) == (0, 3, 0)
    assert find_email(inv, "Olivia.Hartley@example.org") == [str(tree / "a" / "copy.txt"),
                                                            str(tree / "a" / "letter.txt")]
    (tree / "a" / "copy.txt").write_text("nothing personal now\n")
    (tree / "a" / "letter.txt").unlink()
    third = scan(tree, inv)
    assert third.files_read == 1 and third.gone == 1
    assert find_email(inv, "olivia.hartley@example.org") == []
    reader = open_inventory(str(inv))
    statuses = dict(reader.query("SELECT uri, status FROM locations"))
    reader.close()
    assert statuses[str(tree / "a" / "letter.txt")] == "gone"


@pytest.mark.parametrize("name", ["DETECTOR_VERSION", "READING_VERSION"])
def test_a_new_detection_or_reading_version_reads_every_file_again(tree, tmp_path, monkeypatch, name):
    """pdsweep's own version stays the same between releases: a change of what detection or reading
    finds must still re-read what an older build stored, or its findings would stand for ever."""
    from scanner import fingerprint
    inv = tmp_path / "inv"
    assert scan(tree, inv, detector=NO_NER).files_read == 3
    assert scan(tree, inv, detector=NO_NER).files_read == 0
    monkeypatch.setattr(fingerprint, name, "test-next")
    again = scan(tree, inv, detector=NO_NER)
    assert (again.files_read, again.analysed) == (3, 2)
    assert scan(tree, inv, detector=NO_NER).files_read == 0


def test_identical_content_in_many_places_is_analysed_once_and_all_found(tree, tmp_path):
    for i in range(5):
        (tree / f"dup-{i}.txt").write_text(LETTER)
    summary = scan(tree, tmp_path / "inv")
    assert summary.analysed == 2          # the letter once, the release notes once
    assert len(find_email(tmp_path / "inv", "olivia.hartley@example.org")) == 7


def test_scan_never_modifies_what_it_reads(tree, tmp_path):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tree.rglob("*") if p.is_file()}
    scan(tree, tmp_path / "inv")
    assert before == {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tree.rglob("*") if p.is_file()}


def test_symlinks_fifos_and_sockets_are_recorded_not_followed_or_opened(tree, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(LETTER)
    os.symlink(outside, tree / "link-out")
    os.symlink(tree / "a", tree / "a" / "loop")
    os.mkfifo(tree / "pipe")
    import socket
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tree / "sock"))
    try:
        summary = scan(tree, tmp_path / "inv")   # would hang on the FIFO if it were opened
    finally:
        sock.close()
    reader = open_inventory(str(tmp_path / "inv"))
    rows = dict(reader.query("SELECT uri, reason FROM locations WHERE status = 'skipped'"))
    reader.close()
    assert "not followed" in rows[str(tree / "link-out")]
    assert "FIFO" in rows[str(tree / "pipe")] and "socket" in rows[str(tree / "sock")]
    assert str(tree / "a" / "loop") in rows
    assert not any("secret.txt" in uri for uri in find_email(tmp_path / "inv", "olivia.hartley@example.org"))
    assert summary.status == "completed"


def test_unreadable_file_is_recorded_with_its_reason(tree, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything; covered by the non-root hostile tests")
    locked = tree / "locked.txt"
    locked.write_text(LETTER)
    locked.chmod(0)
    scan(tree, tmp_path / "inv")
    reader = open_inventory(str(tmp_path / "inv"))
    status, reason = reader.query("SELECT status, reason FROM locations WHERE uri = ?", [str(locked)])[0]
    reader.close()
    assert status == "error" and "Permission" in reason


def test_a_corrupt_file_is_not_read_again_but_a_failed_read_is(tree, tmp_path, monkeypatch):
    """A parser's verdict on unchanged bytes stands; a failure before the bytes were read is retried."""
    (tree / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)   # a JPEG in name only
    (tree / "fails.txt").write_text("FAULT-MARKER " + LETTER)
    monkeypatch.setenv("PDSWEEP_TEST_WORKER_FAULT", "FAULT-MARKER")   # its analysis raises, every time
    first = scan(tree, tmp_path / "inv")
    reader = open_inventory(str(tmp_path / "inv"))
    rows = dict(reader.query("SELECT path, status FROM locations WHERE len(members) = 0"))
    reader.close()
    assert rows[str(tree / "photo.jpg")] == "error" and rows[str(tree / "fails.txt")] == "error"
    second = scan(tree, tmp_path / "inv")
    assert (first.files_read, second.files_read, second.files_unchanged) == (first.files, 1, first.files - 1)


def test_inventory_and_key_are_private_and_a_shared_key_is_refused(tree, tmp_path):
    inv = tmp_path / "inv"
    scan(tree, inv)
    assert stat.S_IMODE(os.stat(inv).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(inv / "key").st_mode) == 0o600
    os.chmod(inv / "key", 0o644)
    result = CliRunner().invoke(cli, ["find", "--email", "x@example.org", "-i", str(inv)])
    assert result.exit_code == 1 and "readable by others" in result.output


def test_second_writer_is_refused_with_a_clear_message(tree, tmp_path):
    from scanner.errors import InventoryError
    from scanner.inventory import InventoryWriter
    inv = tmp_path / "inv"
    with InventoryWriter(str(inv)):
        with pytest.raises(InventoryError, match="being written by another pdsweep process"):
            scan(tree, inv)


@pytest.mark.parametrize("args, code, message", [
    (["find", "--email", "a@b.co"], 1, "no inventory"),
    (["find"], 2, "at least one identifier"),
    (["find", "--phone", "not a phone"], 2, "--phone"),
    (["scan"], 2, "Missing argument"),
    (["detect", "/no/such/file"], 2, "no such file"),
])
def test_bad_arguments_give_one_line_and_an_exit_code(tmp_path, tree, args, code, message):
    inv = tmp_path / "inv"
    if args[0] == "find" and message != "no inventory":
        scan(tree, inv)
    if args[0] == "find":
        args = args + ["-i", str(inv)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_every_command_is_documented_with_an_example():
    names = cli.list_commands(None)
    assert {"scan", "find", "detect", "report", "sar", "erase", "suppressed", "watch", "daemon",
            "status"} <= set(names)
    for name in names:
        result = CliRunner().invoke(cli, [name, "-h"])
        assert result.exit_code == 0
        assert "Example" in result.output, f"`pdsweep {name} -h` has no example"


def test_detect_json_offsets_point_into_the_extracted_text(tmp_path):
    import json
    f = tmp_path / "letter.txt"
    f.write_text(LETTER)
    result = CliRunner().invoke(cli, ["detect", str(f), "--format", "json"])
    rows = json.loads(result.stdout)
    by_type = {r["entity_type"]: r for r in rows}
    for etype in ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "UK_POSTCODE"):
        r = by_type[etype]
        assert LETTER[r["start"]:r["end"]] == r["text"]
        assert set(r) == {"file", "entity_type", "start", "end", "text", "score"}


def test_scan_output_and_logs_hold_no_plaintext(tree, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tree), "-i", str(tmp_path / "inv"),
                           "-w", "1"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    for value in ("Olivia", "Hartley", "0113 496 0555", "olivia.hartley", "LS1 4AP"):
        assert value not in out


def test_two_workers_give_the_same_findings_as_one(tree, tmp_path):
    for i in range(20):
        (tree / f"n-{i}.txt").write_text(LETTER.replace("0555", f"0{i:03d}"))
    run_scan([str(tree)], ScanConfig(inventory=str(tmp_path / "one"), workers=1))
    run_scan([str(tree)], ScanConfig(inventory=str(tmp_path / "two"), workers=2,
                                     key_path=str(tmp_path / "one" / "key")))
    def keys(inv):
        r = open_inventory(str(inv))
        out = set(r.query("SELECT content_hash, entity_type, value_key, count FROM findings"))
        r.close()
        return out
    assert keys(tmp_path / "one") == keys(tmp_path / "two")


def test_name_column_hints_reach_every_unit_of_a_large_csv(tmp_path):
    """A name only a CSV header identifies, far past the first analysis unit, is still keyed."""
    from dataclasses import replace as dc_replace

    from connectors import Limits
    root = tmp_path / "share"
    root.mkdir()
    rows = ["Customer Name,Order"] + [f"zzfiller {i},{i}" for i in range(20000)] + ["Quentin Blakeworth,1"]
    (root / "big.csv").write_text("\n".join(rows) + "\n")
    limits = dc_replace(Limits(), chunk_chars=20_000)
    run_scan([str(root)], ScanConfig(inventory=str(tmp_path / "inv"), workers=1, limits=limits))
    import json
    result = CliRunner().invoke(cli, ["find", "--name", "BLAKEWORTH, Quentin", "-i", str(tmp_path / "inv"),
                                      "-f", "json"])
    assert [r["location"] for r in json.loads(result.stdout)] == [str(root / "big.csv")]


def test_files_below_a_directory_that_cannot_be_listed_are_not_marked_gone(tree, tmp_path):
    """The end-of-scan compaction, given a walk that could not list `a/`: unknown is not gone."""
    from scanner.finalise import compact_locations
    from scanner.inventory import InventoryWriter
    inv = tmp_path / "inv"
    scan(tree, inv)
    seen = [str(tree / "plain.txt"), str(tree / "a")]
    with InventoryWriter(str(inv)) as writer:
        assert compact_locations(writer, [str(tree)], seen, unlistable=[str(tree / "a")]) == 0
    assert len(find_email(inv, "olivia.hartley@example.org")) == 2
    with InventoryWriter(str(inv)) as writer:   # the same walk without the listing error: both gone
        assert compact_locations(writer, [str(tree)], seen) == 2
    assert find_email(inv, "olivia.hartley@example.org") == []


@pytest.mark.parametrize("head, mime", [
    (b"From Rosalind Ebbsworth <r@example.org>\nThank you for your letter.\n", "text/plain"),
    (b"From jane@example.org Wed May  1 09:30:00 2024\nFrom: jane@example.org\n\nHi\n", "application/mbox"),
    (b"From - Mon Jan  8 12:08:34 2011\nSubject: x\n\nbody\n", "application/mbox"),
    (b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nX-Test: y\n\nbody\n", "application/mbox"),
])
def test_only_a_real_from_line_makes_a_mailbox(head, mime):
    from connectors import Blob, Location
    from connectors.sniff import sniff
    assert sniff(Blob(Location("/x"), len(head), data=head)) == mime
