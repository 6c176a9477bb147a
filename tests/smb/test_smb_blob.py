"""SmbBlob reads the remote bytes exactly, whichever way it fetches them."""
from __future__ import annotations

import dataclasses
import hashlib
import os

import pytest

from connectors import fetched_blob, smb
from connectors.smb import prepare_smb_root, smb_blob, walk_smb


@pytest.mark.parametrize("compound, memory, disk, where", [
    (1 << 20, 1 << 30, 1 << 30, "memory"),    # small file: open+read+close in one compound request
    (0, 1 << 30, 1 << 30, "memory"),          # streamed into memory
    (0, 10, 1 << 30, "disk"),                 # larger than the memory cap: into the private temp dir
    (0, 10, 20, "remote"),                    # larger than both: every open reads the share
])
def test_blob_bytes_hash_and_local_path(smb_env, tmp_path, monkeypatch, compound, memory, disk, where):
    monkeypatch.setattr(smb, "COMPOUND_READ_BYTES", compound)
    monkeypatch.setattr(fetched_blob, "FETCH_MEMORY_BYTES", memory)
    monkeypatch.setattr(fetched_blob, "FETCH_DISK_BYTES", disk)
    root = prepare_smb_root(smb_env.uri("archive"))
    [entry] = list(walk_smb(root))
    with open(os.path.join(smb_env.share_path, "archive", "2024.zip"), "rb") as f:
        expected = f.read()
    blob = smb_blob(entry, str(tmp_path))
    assert blob.head() == expected[:len(blob.head())]
    assert blob.content_hash() == hashlib.sha256(expected).hexdigest()
    with blob.open() as f:
        f.seek(len(expected) - 7)
        assert f.read() == expected[-7:]                      # random access, as zipfile needs
    assert (blob.data is not None, blob.path is not None) == {"memory": (True, False), "disk": (False, True),
                                                              "remote": (False, False)}[where]
    local = blob.local_path(str(tmp_path))
    assert os.path.dirname(local) == str(tmp_path) and open(local, "rb").read() == expected
    # The owner, with the compound read or in a round trip of its own: Samba's SID for a Unix owner.
    uid = os.stat(os.path.join(smb_env.share_path, "archive", "2024.zip")).st_uid
    assert blob.owner == f"S-1-22-1-{uid}"


def test_a_file_that_grew_since_the_walk_is_read_whole(smb_env, tmp_path, monkeypatch):
    root = prepare_smb_root(smb_env.uri("hr/staff.csv"))
    [entry] = list(walk_smb(root))
    entry = dataclasses.replace(entry, size=10)              # as the walk saw it, before it grew
    monkeypatch.setattr(smb, "COMPOUND_READ_BYTES", 16)      # the one-round-trip read comes back full
    with open(os.path.join(smb_env.share_path, "hr", "staff.csv"), "rb") as f:
        expected = f.read()
    assert smb_blob(entry, str(tmp_path)).content_hash() == hashlib.sha256(expected).hexdigest()
