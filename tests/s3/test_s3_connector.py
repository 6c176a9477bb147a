"""The S3 connector against the real SeaweedFS server: listing identity, reads, ranged reads, errors."""
from __future__ import annotations

import io
import os
import uuid
import zipfile

import pytest

from connectors import ExploreContext, Limits, explore
from connectors import fetched_blob
from connectors.filesystem import WalkProblem
from connectors.s3 import S3RangeReader, s3_blob, s3_identity, s3_outer_blob, s3_path_kind, walk_s3
from connectors.s3_client import S3CredentialsError, S3ReadError, S3Unavailable, client_for, resolve_access
from connectors.s3_uri import S3Path, S3UriError, canonical_uri
from seaweed_server import BACKUP_BUCKET


@pytest.fixture
def prefix(seaweed):
    """A fresh prefix of the backup bucket per test, removed after it."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    yield name
    admin = seaweed.client()
    for obj in admin.list_objects_v2(Bucket=BACKUP_BUCKET, Prefix=name + "/").get("Contents", []):
        admin.delete_object(Bucket=BACKUP_BUCKET, Key=obj["Key"])


def _put(seaweed, key: str, body: bytes) -> None:
    seaweed.client().put_object(Bucket=BACKUP_BUCKET, Key=key, Body=body)


@pytest.mark.parametrize("uri, expected", [
    ("s3://backups", "s3://backups"), ("s3://backups/", "s3://backups"),
    ("s3://backups/site-a/", "s3://backups/site-a"), ("S3://backups/a b/c", "s3://backups/a b/c")])
def test_canonical_uri(uri, expected):
    assert canonical_uri(uri) == expected


@pytest.mark.parametrize("uri", ["s3://", "s3://user:pw@bucket/x", "s3://-bad/x", "/srv/x"])
def test_malformed_roots_are_refused(uri):
    with pytest.raises(S3UriError):
        S3Path.parse(uri)


def test_walk_lists_objects_with_their_identity_and_skips_what_is_outside(seaweed, s3_as, prefix):
    _put(seaweed, f"{prefix}/a.txt", b"alpha")
    _put(seaweed, f"{prefix}/sub/b.csv", b"name,email\n")
    _put(seaweed, f"{prefix}/folder-marker/", b"")
    _put(seaweed, f"{prefix}x/not-inside.txt", b"outside the prefix")   # s3://b/t-1x is not below s3://b/t-1
    _put(seaweed, f"{prefix}/excluded/c.txt", b"excluded")
    s3_as("scanner")
    access = resolve_access()
    found = list(walk_s3(f"s3://{BACKUP_BUCKET}/{prefix}/", access,
                         excludes=[f"s3://{BACKUP_BUCKET}/{prefix}/excluded"]))
    assert [f.path for f in found] == [f"s3://{BACKUP_BUCKET}/{prefix}/a.txt",
                                       f"s3://{BACKUP_BUCKET}/{prefix}/sub/b.csv"]
    first = found[0]
    assert first.size == 5 and first.mtime_ns % 1_000_000_000 == 0 and first.etag
    again = next(iter(walk_s3(first.path, access)))        # one object as a root: same identity
    assert (again.size, again.mtime_ns, again.inode) == (first.size, first.mtime_ns, first.inode)
    _put(seaweed, f"{prefix}/a.txt", b"alpha2")             # rewritten: a new ETag, so a new inode
    changed = next(iter(walk_s3(first.path, access)))
    assert changed.inode != first.inode and changed.size == 6
    client_for.cache_clear()


def test_blobs_read_small_objects_whole_and_big_ones_by_ranges(seaweed, s3_as, prefix, tmp_path, monkeypatch):
    payload = os.urandom(3 * 1024 * 1024 + 17)
    _put(seaweed, f"{prefix}/big.bin", payload)
    s3_as("scanner")
    entry = next(iter(walk_s3(f"s3://{BACKUP_BUCKET}/{prefix}/big.bin", resolve_access())))
    whole = s3_blob(entry, str(tmp_path))
    assert whole.open().read() == payload and whole.data is not None
    monkeypatch.setattr(fetched_blob, "FETCH_MEMORY_BYTES", 1024)
    remote = s3_blob(entry)                                   # no tmpdir, over the limit: ranged reads
    with remote.open() as f:
        assert f.read() == payload
    raw = S3RangeReader(entry.access, S3Path.parse(entry.path), entry.size, entry.etag)
    raw.seek(-10, io.SEEK_END)
    assert raw.read(10) == payload[-10:]
    raw.seek(1000)
    assert raw.read(5) == payload[1000:1005]
    raw.seek(1000 + 5 + 4096)                                 # a short hop forward reuses the open range
    assert raw.read(3) == payload[5101:5104] and raw.requests == 2
    raw.close()
    client_for.cache_clear()


def test_a_zip_is_explored_through_ranged_reads_without_fetching_it(seaweed, s3_as, prefix, tmp_path, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("filler.bin", os.urandom(2 * 1024 * 1024))
        zf.writestr("notes/contact.txt", "Call Jane Smith on 07700 900123")
    _put(seaweed, f"{prefix}/site.zip", buf.getvalue())
    s3_as("scanner")
    monkeypatch.setattr(fetched_blob, "FETCH_MEMORY_BYTES", 1024)    # force the remote path
    entry = next(iter(walk_s3(f"s3://{BACKUP_BUCKET}/{prefix}/site.zip", resolve_access())))
    items = list(explore(s3_blob(entry), ExploreContext(Limits(), str(tmp_path))))
    member = next(i for i in items if i.location.uri.endswith("!/notes/contact.txt"))
    assert member.location.uri == f"s3://{BACKUP_BUCKET}/{prefix}/site.zip!/notes/contact.txt"
    assert "07700 900123" in member.extract().text()
    client_for.cache_clear()


def test_an_object_rewritten_after_listing_is_an_error_not_a_mix(seaweed, s3_as, prefix):
    _put(seaweed, f"{prefix}/a.txt", b"first version")
    s3_as("scanner")
    entry = next(iter(walk_s3(f"s3://{BACKUP_BUCKET}/{prefix}/a.txt", resolve_access())))
    _put(seaweed, f"{prefix}/a.txt", b"second version, longer")
    with pytest.raises(S3ReadError, match="changed since it was listed"):
        s3_blob(entry).open()
    client_for.cache_clear()


def test_outer_blob_kind_and_unusable_roots(seaweed, s3_as, prefix):
    _put(seaweed, f"{prefix}/d/a.txt", b"x")
    s3_as("scanner")
    access = resolve_access()
    assert s3_outer_blob(f"s3://{BACKUP_BUCKET}/{prefix}/d/a.txt", access).open().read() == b"x"
    assert s3_outer_blob(f"s3://{BACKUP_BUCKET}/{prefix}/d/gone.txt", access) is None
    assert [s3_path_kind(f"s3://{BACKUP_BUCKET}/{prefix}/{k}", access) for k in ("d/a.txt", "d", "nope")] \
        == ["file", "dir", "missing"]
    with pytest.raises(S3Unavailable, match="access denied"):          # the scanner may not list the fleet
        list(walk_s3("s3://fleet/tenant=acme", access))
    problems = list(walk_s3("s3://fleet/tenant=acme", access, strict=False))
    assert [type(p) for p in problems] == [WalkProblem] and problems[0].reason == "access denied"
    client_for.cache_clear()


def test_credentials_come_from_the_standard_chain_and_an_open_file_is_refused(seaweed, s3_as, tmp_path,
                                                                              monkeypatch):
    s3_as("scanner")
    who = seaweed.ids["scanner"]
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    creds = tmp_path / "no-aws-credentials"
    creds.write_text(f"[backup-reader]\naws_access_key_id = {who.access_key}\n"
                     f"aws_secret_access_key = {who.secret_key}\n")
    creds.chmod(0o644)
    with pytest.raises(S3CredentialsError, match="chmod 600"):
        resolve_access(profile="backup-reader")
    creds.chmod(0o600)
    access = resolve_access(profile="backup-reader")
    assert access.access_key == who.access_key and access.endpoint == seaweed.endpoint
    assert who.secret_key not in repr(access)
    assert s3_path_kind(f"s3://{BACKUP_BUCKET}/nothing-here", access) == "missing"
    client_for.cache_clear()


def test_the_s3_source_on_the_seam(seaweed, s3_as, prefix, tmp_path):
    """Through connectors.source only: what the scanner sees of a bucket."""
    import pickle

    from connectors.source import SourceSettings, source_for

    _put(seaweed, f"{prefix}/a.txt", b"Jane Smith, 07700 900123")
    s3_as("scanner")
    source = source_for(f"s3://{BACKUP_BUCKET}/{prefix}/", SourceSettings(s3_endpoint=seaweed.endpoint))
    assert not source.capabilities.editable and not source.capabilities.change_feed
    assert "only reads" in source.capabilities.read_only_reason
    root = source.prepare(f"s3://{BACKUP_BUCKET}/{prefix}/")
    assert root == f"s3://{BACKUP_BUCKET}/{prefix}"
    entry = next(iter(source.walk([root])))
    entry = pickle.loads(pickle.dumps(entry))            # as it travels to a worker, access and all
    assert source.open_entry(entry, str(tmp_path)).open().read() == b"Jane Smith, 07700 900123"
    assert s3_identity(entry.path, entry.access) == (entry.size, entry.mtime_ns, entry.inode)
    assert source.kind(root) == "dir" and source.inside(entry.path, root)
    assert source.open_outer(entry.path, str(tmp_path)).content_hash() == \
        source.open_entry(entry, str(tmp_path)).content_hash()
    client_for.cache_clear()
