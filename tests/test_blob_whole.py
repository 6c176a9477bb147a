"""A small file's content, read whole while hashing, serves its head and later opens; a large one is read again."""
from __future__ import annotations

import hashlib
import pickle

import connectors.blob as blob_module
from connectors.blob import HEAD_BYTES, Blob
from connectors.location import Location


def _counting_opens(monkeypatch) -> list[str]:
    opened = []
    real = blob_module.open_readonly
    monkeypatch.setattr(blob_module, "open_readonly", lambda path: opened.append(path) or real(path))
    return opened


def test_a_small_file_is_opened_once(tmp_path, monkeypatch):
    content = b"From: Jane Smith <jane@example.com>\nSubject: hi\n\nbody\n" * 50
    path = tmp_path / "small.eml"
    path.write_bytes(content)
    opened = _counting_opens(monkeypatch)
    blob = Blob(Location(str(path)), len(content), path=str(path))
    assert blob.content_hash() == hashlib.sha256(content).hexdigest()
    assert blob.head() == content
    with blob.open() as f:
        assert f.read() == content
    assert blob.read_all(len(content)) == content
    assert opened == [str(path)]
    # Pickled (to a worker), the blob carries no copy of the content and reads the file where it lands.
    landed = pickle.loads(pickle.dumps(blob))
    assert landed._whole is None and landed.content_hash() == blob.content_hash()
    with landed.open() as f:
        assert f.read() == content
    assert len(opened) == 2


def test_a_file_over_the_head_is_read_from_disk_each_time(tmp_path, monkeypatch):
    content = bytes(range(256)) * (HEAD_BYTES // 256 + 1)
    path = tmp_path / "large.bin"
    path.write_bytes(content)
    opened = _counting_opens(monkeypatch)
    blob = Blob(Location(str(path)), len(content), path=str(path))
    assert blob.content_hash() == hashlib.sha256(content).hexdigest()
    assert blob.head() == content[:HEAD_BYTES]
    with blob.open() as f:
        assert f.read() == content
    assert len(opened) == 3


def test_an_empty_file_keeps_nothing(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    blob = Blob(Location(str(path)), 0, path=str(path))
    assert blob.content_hash() == hashlib.sha256(b"").hexdigest()
    assert blob.head() == b""
