"""Hostile archives, end to end through `pdsweep scan`: each is recorded with a status and a
reason, the scan exits 0, memory stays bounded and nothing is extracted anywhere."""
from __future__ import annotations

import os

import pytest

from hostile_run import checked_scan
from hostile_inputs import build_archives

GB = 1024 ** 3
PEAK_LIMIT = 1 * GB   # the process tree (CLI, manager, worker); the bombs expand to 4-32 GB


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    root = tmp_path_factory.mktemp("archives") / "tree"
    build_archives(str(root))
    run = checked_scan(root, tmp_path_factory.mktemp("archives-work"))
    return str(root), run


def status(run, root, uri_tail):
    return run.statuses[os.path.join(root, uri_tail)]


def test_scan_of_all_archives_is_bounded(archives):
    root, run = archives
    assert run.peak_rss < PEAK_LIMIT, f"peak RSS {run.peak_rss / 1e6:.0f} MB"
    assert run.wall_s < 120
    outer = {uri for uri in run.statuses if "!/" not in uri}
    assert outer == {os.path.join(root, n) for n in os.listdir(root)}, "every input has its own row"


@pytest.mark.parametrize("name, members", [("bomb-flat.zip", 64), ("bomb-overlap.zip", 200)])
def test_flat_zip_bombs_are_skipped_by_ratio(archives, name, members):
    root, run = archives
    assert status(run, root, name)[0] == "skipped"
    assert status(run, root, name)[1].startswith("limit: max_ratio")
    inner = [v for uri, v in run.statuses.items() if uri.startswith(os.path.join(root, name) + "!/")]
    assert len(inner) == members
    assert all(s == "skipped" and r.startswith("limit: max_ratio") for s, r in inner)


def test_nested_zip_bomb_stops_at_each_inner_zip(archives):
    root, run = archives
    bombs = [(uri, v) for uri, v in run.statuses.items() if uri.endswith("zeros.bin")]
    assert len(bombs) == 8 ** 3, "every innermost member is listed, none expanded"
    assert all(v == ("skipped", "limit: max_ratio (declared 67108864 bytes from 65232)") for _, v in bombs)


def test_high_ratio_gzip_is_cut_off_while_streaming(archives):
    root, run = archives
    assert status(run, root, "bomb.gz")[0] == "skipped"
    assert status(run, root, "bomb.gz!/bomb")[1].startswith("limit: max_ratio (more than")


def test_tar_traversal_names_are_locations_only(archives):
    root, run = archives
    assert status(run, root, "traversal.tar!/../../../../tmp/pdsweep-escaped.txt") == ("ok", "")
    assert status(run, root, "traversal.tar!/etc/pdsweep-absolute.txt") == ("ok", ""), "leading / dropped"
    assert not os.path.exists("/tmp/pdsweep-escaped.txt")
    assert not os.path.exists("/etc/pdsweep-absolute.txt")


@pytest.mark.parametrize("uri, reason", [
    ("links.tar!/sym-passwd", "tar symlink member, not followed"),
    ("links.tar!/hard-shadow", "tar hardlink member, not followed"),
    ("links.tar!/hard-notes", "tar hardlink member, not followed"),
    ("symlink.zip!/passwd-link", "zip symlink member, not followed"),
])
def test_link_members_are_not_followed(archives, uri, reason):
    root, run = archives
    assert status(run, root, uri) == ("skipped", reason)
    assert status(run, root, uri.split("!/")[0])[0] == "ok", "the rest of the archive is read"


def test_duplicate_member_names_get_distinct_locations(archives):
    root, run = archives
    assert status(run, root, "duplicates.zip!/same.txt") == ("ok", "")
    assert status(run, root, "duplicates.zip!/same.txt (2)") == ("ok", "")


@pytest.mark.parametrize("uri, reason", [
    ("encrypted.zip!/secret.txt", "encrypted, not scanned"),
    ("encrypted.7z", "7z: encrypted headers, not scanned"),
    ("encrypted.pdf", "pdf: password protected"),
])
def test_encrypted_inputs(archives, uri, reason):
    root, run = archives
    assert status(run, root, uri) == ("encrypted", reason)


@pytest.mark.parametrize("uri, expected", [
    # 64 MB where the directory declares 100 bytes
    ("lying-size.zip!/small.txt", ("error", "zip: member corrupt (BadZipFile)")),
    ("lying-offset.zip!/a.txt", ("error", "zip: member corrupt (BadZipFile)")),
    ("lying-count.zip!/a.txt", ("ok", "")),   # zipfile trusts the directory it finds, not the count
])
def test_lying_central_directory(archives, uri, expected):
    root, run = archives
    assert status(run, root, uri) == expected
