"""SmbBlob reads the remote bytes exactly, whichever way it fetches them."""
from __future__ import annotations

import hashlib
import os

import pytest

from connectors import smb
from connectors.smb import prepare_smb_root, smb_blob, walk_smb


@pytest.mark.parametrize("memory, disk, where", [
    (1 << 30, 1 << 30, "memory"),     # small file: fetched into memory
    (10, 1 << 30, "disk"),            # larger than the memory cap: fetched into the private temp dir
    (10, 20, "remote"),               # larger than both: every open reads the share
])
def test_blob_bytes_hash_and_local_path(smb_env, tmp_path, monkeypatch, memory, disk, where):
    monkeypatch.setattr(smb, "FETCH_MEMORY_BYTES", memory)
    monkeypatch.setattr(smb, "FETCH_DISK_BYTES", disk)
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
