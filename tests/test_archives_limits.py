"""Limits: zip bombs, nested bombs, lying headers, member counts, depth, tar/7z/gz bombs."""
from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile

import pytest

from builders import explore_path, make_7z, make_eml, make_mbox, make_person, make_zip, person_lines, zip_bytes
from connectors import ExploreContext, Limits, Location
from connectors.containers.budget import ContainerBudget, MemberLimit

MB = 1024 * 1024
ZEROS = bytes(MB)


def make_zero_zip(path, megabytes: int, members: int = 1) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(members):
            with z.open(f"zeros-{i}.bin", "w", force_zip64=True) as f:
                for _ in range(megabytes):
                    f.write(ZEROS)


SCAN_IN_CHILD = textwrap.dedent("""
    import json, os, resource, sys, tempfile
    sys.path.insert(0, sys.argv[2])
    from builders import explore_path
    seen = explore_path(sys.argv[1], tempfile.mkdtemp())
    # VmHWM is this process image's own peak; ru_maxrss would keep the forking parent's.
    with open("/proc/self/status") as f:
        hwm = [line.split()[1] for line in f if line.startswith("VmHWM:")]
    rss_mb = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss_mb": rss_mb, "items": {u: [s.status, s.reason] for u, s in seen.items()}}))
""")


def scan_in_child(path) -> dict:
    """Explore in a fresh process so its peak RSS is the scan's alone."""
    tests_dir = os.path.dirname(__file__)
    out = subprocess.run([sys.executable, "-c", SCAN_IN_CHILD, str(path), tests_dir], capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_one_gigabyte_zip_bomb_is_skipped_with_limit_named_and_memory_bounded(tmp_path):
    path = tmp_path / "bomb.zip"
    make_zero_zip(path, 1024)
    assert path.stat().st_size < 2 * MB                 # ~1 MB on disk, 1 GB declared
    result = scan_in_child(path)
    assert result["items"][f"{path}!/zeros-0.bin"] == ["skipped", "limit: max_ratio (declared 1073741824 bytes "
                                                       f"from {zipfile.ZipFile(path).infolist()[0].compress_size})"]
    status, reason = result["items"][str(path)]
    assert status == "skipped" and reason.startswith("limit: max_ratio")
    assert result["rss_mb"] < 400, result["rss_mb"]


@pytest.mark.slow
def test_nested_zip_bomb_is_stopped_with_limit_named_and_memory_bounded(tmp_path):
    leaf = tmp_path / "leaf.zip"
    make_zero_zip(leaf, 256)
    leaf_bytes = leaf.read_bytes()
    middle = zip_bytes({f"leaf-{i}.zip": leaf_bytes for i in range(16)})
    path = tmp_path / "nested.zip"
    make_zip(path, {f"middle-{i}.zip": middle for i in range(16)})   # 64 GB of zeros declared at the bottom
    result = scan_in_child(path)
    limited = [(uri, reason) for uri, (status, reason) in result["items"].items()
               if status == "skipped" and reason.startswith("limit: ")]
    assert limited, result["items"]
    assert all("max_ratio" in reason or "max_" in reason for _, reason in limited)
    assert not any(status == "ok" and uri.endswith(".bin") for uri, (status, _) in result["items"].items())
    assert result["rss_mb"] < 400, result["rss_mb"]


def test_declared_ratio_skips_member_and_flags_container(tmp_path):
    path = tmp_path / "mixed.zip"
    person = make_person(3)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", person_lines(person))
        z.writestr("zeros.bin", bytes(8 * MB))
        z.writestr("z.txt", person_lines(person))
    seen = explore_path(path, tmp_path / "tmp", Limits(max_ratio=50))
    assert seen[f"{path}!/zeros.bin"].status == "skipped"
    assert seen[f"{path}!/zeros.bin"].reason.startswith("limit: max_ratio")
    assert person.email in seen[f"{path}!/a.txt"].text and person.email in seen[f"{path}!/z.txt"].text
    assert seen[str(path)].status == "skipped" and "max_ratio" in seen[str(path)].reason


def test_lying_central_directory_reads_no_more_than_declared(tmp_path):
    real = zip_bytes({"zeros.bin": bytes(20 * MB)})
    info = zipfile.ZipFile(io.BytesIO(real)).infolist()[0]
    lie = (1000).to_bytes(4, "little")
    data = bytearray(real)
    data[22:26] = lie                                           # local header: uncompressed size
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = lie                                 # central directory: uncompressed size
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1000 != info.file_size
    seen = explore_path(path, tmp_path / "tmp")
    member = seen[f"{path}!/zeros.bin"]
    assert member.status in ("error", "skipped") and member.reason


def test_actual_bytes_are_counted_whatever_the_header_says(tmp_path):
    ctx = ExploreContext(Limits(max_ratio=10), str(tmp_path))
    budget = ContainerBudget(ctx)
    endless = io.BytesIO(bytes(3 * MB))
    with pytest.raises(MemberLimit, match="max_ratio"):
        budget.read(Location("x.zip").child("m"), endless, compressed=1000)   # says 1000 bytes compressed
    assert budget.bytes <= 2 * MB and os.listdir(tmp_path) == []
    small = ExploreContext(Limits(max_member_bytes=MB), str(tmp_path))
    with pytest.raises(MemberLimit, match="max_member_bytes"):
        ContainerBudget(small).read(Location("x.tar").child("m"), io.BytesIO(bytes(2 * MB)), compressed=None)


def test_max_members_keeps_what_was_found(tmp_path):
    path = tmp_path / "many.zip"
    make_zip(path, {f"f{i:02}.txt": b"x" for i in range(20)})
    seen = explore_path(path, tmp_path / "tmp", Limits(max_members=5))
    assert seen[str(path)].status == "skipped" and seen[str(path)].reason.startswith("limit: max_members")
    assert sum(1 for uri in seen if uri.startswith(f"{path}!/")) == 5


def test_max_depth_stops_deep_nesting(tmp_path):
    person = make_person(8)
    data = person_lines(person).encode()
    inner = zip_bytes({"deep.txt": data})
    for level in range(6):
        inner = zip_bytes({f"level{level}.zip": inner})
    path = tmp_path / "deep.zip"
    path.write_bytes(inner)
    seen = explore_path(path, tmp_path / "tmp", Limits(max_depth=3))
    stopped = [s for s in seen.values() if s.reason == "limit: max_depth"]
    assert len(stopped) == 1 and stopped[0].uri.count("!/") == 3


def test_max_total_bytes_across_nested_containers(tmp_path):
    path = tmp_path / "total.zip"
    make_zip(path, {f"part{i}.zip": zip_bytes({"data.txt": os.urandom(200_000)}) for i in range(10)})
    seen = explore_path(path, tmp_path / "tmp", Limits(max_total_bytes=1_000_000))
    assert any("max_total_bytes" in s.reason for s in seen.values())


def test_tar_gz_member_over_the_cap_stops_the_stream(tmp_path):
    path = tmp_path / "big.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as t:
        small = tarfile.TarInfo("first.txt")
        small.size = 5
        t.addfile(small, io.BytesIO(b"hello"))
        big = tarfile.TarInfo("zeros.bin")
        big.size = 20 * MB
        t.addfile(big, io.BytesIO(bytes(20 * MB)))
    seen = explore_path(path, tmp_path / "tmp", Limits(max_member_bytes=5 * MB))
    assert seen[f"{path}!/first.txt"].text == "hello"
    assert seen[str(path)].status == "skipped" and "max_member_bytes" in seen[str(path)].reason


def test_tar_gz_of_many_small_zero_files_trips_the_stream_ratio(tmp_path):
    path = tmp_path / "flat.tar.gz"
    with tarfile.open(path, "w:gz") as t:
        for i in range(40):
            info = tarfile.TarInfo(f"z{i}.bin")
            info.size = MB
            t.addfile(info, io.BytesIO(ZEROS))
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].status == "skipped" and seen[str(path)].reason.startswith("limit: max_ratio")
    assert 0 < sum(1 for uri in seen if "!/" in uri) < 40


def test_7z_bomb_refused_on_declared_sizes(tmp_path):
    path = tmp_path / "bomb.7z"
    make_7z(path, {"zeros.bin": bytes(32 * MB), "note.txt": b"hi"})
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].status == "skipped" and seen[str(path)].reason.startswith("limit: max_ratio")


def test_single_gz_bomb_member_skipped(tmp_path):
    path = tmp_path / "zeros.bin.gz"
    path.write_bytes(gzip.compress(bytes(64 * MB), compresslevel=1))
    work = tmp_path / "tmp"
    seen = explore_path(path, work)
    assert seen[f"{path}!/zeros.bin"].status == "skipped"
    assert seen[f"{path}!/zeros.bin"].reason.startswith("limit: max_ratio")
    assert os.listdir(work) == []     # the part-read spool file is gone


def test_mbox_message_over_the_cap_is_skipped_and_the_next_is_read(tmp_path):
    person = make_person(6)
    path = tmp_path / "big.mbox"
    huge = make_eml(person, {"big.bin": os.urandom(3 * MB)}, message_id="<big@x.co.uk>")
    make_mbox(path, [huge, make_eml(person, message_id="<small@x.co.uk>")])
    seen = explore_path(path, tmp_path / "tmp", Limits(max_member_bytes=2 * MB))
    assert seen[f"{path}!/message-1"].status == "skipped"
    assert "max_member_bytes" in seen[f"{path}!/message-1"].reason
    assert person.email in seen[f"{path}!/<small@x.co.uk>"].text


@pytest.mark.slow
def test_large_mbox_is_streamed_with_bounded_memory(tmp_path):
    person = make_person(7)
    path = tmp_path / "large.mbox"
    one = make_eml(person, {"scan.bin": os.urandom(2 * MB)}, message_id="<same@x.co.uk>")
    with open(path, "wb") as f:                 # ~200 MB: 70 copies of a message with a 2 MB attachment
        for _ in range(70):
            f.write(b"From MAILER-DAEMON Wed May  1 09:30:00 2024\n" + one.replace(b"\r\n", b"\n") + b"\n")
    assert path.stat().st_size > 180 * MB
    result = scan_in_child(path)
    assert result["items"][str(path)] == ["ok", ""]
    assert f"{path}!/<same@x.co.uk> (70)" in result["items"]
    assert result["rss_mb"] < 160, result["rss_mb"]     # the whole mailbox would be > 180 MB


def test_zip_of_many_small_zero_members_trips_the_overall_ratio(tmp_path):
    path = tmp_path / "flat.zip"
    make_zip(path, {f"z{i}.bin": ZEROS for i in range(60)})       # each member under the 1 MB floor
    seen = explore_path(path, tmp_path / "tmp")
    assert seen[str(path)].status == "skipped" and "max_ratio" in seen[str(path)].reason
    assert 0 < sum(1 for uri in seen if "!/" in uri) < 60
