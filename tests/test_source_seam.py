"""The source seam: a new source is one class behind `connectors.source.Source`, and the scanner's
crawl, incremental skip, read, record and gone work for it without a change to scanner/."""
from __future__ import annotations

import pytest

from connectors import Blob, Location
from connectors.filesystem import FileEntry, WalkProblem
from connectors.source import (Capabilities, Source, SourceSettings, inside, registered_sources, source_for,
                               split_by_source)
from connectors.source import _SOURCES as REGISTRY

FILES: dict[str, bytes] = {}       # the "remote" store: canonical URI -> content


class MemorySource(Source):
    """Files held in FILES under mem://box/...; the identity is (size, version), as an object store's."""

    scheme = "mem"
    capabilities = Capabilities(editable=False, read_only_reason="in memory")

    def canonical(self, uri: str) -> str:
        return uri.rstrip("/")

    def walk(self, roots, excludes=(), strict=True):
        for root in roots:
            for uri in sorted(FILES):
                if inside(uri, root):
                    if uri.endswith(".locked"):
                        yield WalkProblem(uri, "error", "access denied")
                        continue
                    data = FILES[uri]
                    yield FileEntry(uri, len(data), hash(data) & 0xFFFF, hash(data) & 0xFFFFFF, 0, "owner")

    def kind(self, uri):
        return "file" if uri in FILES else "missing"

    def open_entry(self, entry, tmpdir):
        return Blob(Location(entry.path), entry.size, mtime=entry.mtime_ns / 1e9, owner=entry.owner,
                    data=FILES[entry.path])

    def open_outer(self, uri, tmpdir):
        return Blob(Location(uri), len(FILES[uri]), data=FILES[uri]) if uri in FILES else None


@pytest.fixture
def memory_source():
    registered_sources()                 # the built-in ones first
    REGISTRY["mem"] = MemorySource
    FILES.clear()
    yield FILES
    del REGISTRY["mem"]
    FILES.clear()


def test_registry_routes_each_uri_to_its_source():
    sources = registered_sources()
    assert {"", "smb"} <= set(sources)
    assert type(source_for("smb://Host/share/a")).__name__ == "SmbSource"
    assert type(source_for("relative/path")).__name__ == "LocalSource"
    assert source_for("/srv/x").capabilities.editable and not source_for("smb://h/s").capabilities.editable
    groups = split_by_source(["smb://h/s", "/a", "b", "smb://h/t"], SourceSettings(credentials_file="/c"))
    assert [(type(s).__name__, uris) for s, uris in groups] == [("LocalSource", ["/a", "b"]),
                                                               ("SmbSource", ["smb://h/s", "smb://h/t"])]
    assert groups[1][0].settings.credentials_file == "/c"
    assert inside("/srv/a/b", "/srv/a/") and not inside("/srv/ab", "/srv/a")


def test_a_new_source_is_scanned_found_skipped_and_gone_without_a_scanner_change(memory_source, tmp_path):
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    memory_source["mem://box/a.txt"] = b"Contact jane.smith@example.co.uk about the invoice.\n"
    memory_source["mem://box/b.txt"] = b"Nothing personal in here.\n"
    memory_source["mem://box/c.locked"] = b""
    config = ScanConfig(inventory=str(tmp_path / "inv"), workers=1, detector=DetectorSettings(use_ner=False))
    first = run_scan(["mem://box/"], config)
    assert (first.files, first.files_read, first.errors) == (2, 2, 1)
    assert _found(config, "email:jane.smith@example.co.uk") == ["mem://box/a.txt"]

    again = run_scan(["mem://box"], config)
    assert (again.files_unchanged, again.files_read) == (2, 0)          # identity unchanged: not read

    del memory_source["mem://box/a.txt"]
    third = run_scan(["mem://box"], config)
    assert third.gone == 1
    assert _statuses(config) == {"mem://box/a.txt": "gone", "mem://box/b.txt": "ok", "mem://box/c.locked": "error"}


def _found(config, form: str) -> list[str]:
    from scanner.find import find_locations
    from scanner.inventory import open_inventory
    from scanner.keys import Keyer, load_or_create_secret

    keyer = Keyer(load_or_create_secret(config.resolved_key_path, create=False))
    reader = open_inventory(config.inventory)
    try:
        return [r["location"] for r in find_locations(reader, {keyer.key(form): "email"})]
    finally:
        reader.close()


def _statuses(config) -> dict[str, str]:
    from scanner.inventory import open_inventory

    reader = open_inventory(config.inventory)
    try:
        return dict(reader.query("SELECT uri, status FROM locations"))
    finally:
        reader.close()
