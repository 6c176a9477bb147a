"""S3-compatible buckets (s3://bucket/prefix) as a source: listed and read with boto3, never written.

The work is in `connectors.s3` (walk, blobs, ranged reads), `connectors.s3_client`
(credentials, endpoint, errors) and `connectors.s3_uri`; this module is the seam
the scanner sees. Credentials come from the standard AWS chain and the endpoint
from the frozen `SourceSettings` (--s3-endpoint) or AWS_ENDPOINT_URL; both are
resolved once per process and travel to workers with the walked entries.
There is no change feed: a daemon re-crawls s3:// roots on their interval, and
an unchanged object (same size, LastModified and ETag) costs no GET.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from ..blob import Blob
from ..filesystem import FileEntry, WalkProblem
from ..s3 import S3FileEntry, s3_blob, s3_outer_blob, s3_path_kind, walk_s3
from ..s3_client import S3Access, S3CredentialsError, resolve_access
from ..s3_uri import S3UriError, canonical_uri, inside, is_s3_uri
from ..source import Capabilities, Source, register


@register
class S3Source(Source):
    scheme = "s3"
    capabilities = Capabilities(
        editable=False, change_feed=False, local_files=False, backups=True,
        read_only_reason="an object in an S3 bucket, which pdsweep only reads: delete or replace it in the "
                         "bucket (mind versioning and object lock, which keep old versions), then rescan")

    def canonical(self, uri: str) -> str:
        return canonical_uri(uri)

    def inside(self, uri: str, prefix: str) -> bool:
        return inside(uri, prefix)

    def exclude_in(self, root: str, exclude: str) -> str:
        """An s3:// URI, or a key path inside the root ("tmp/scratch")."""
        if is_s3_uri(exclude):
            return self.canonical(exclude)
        names = [n for n in exclude.split("/") if n and n != "."]
        if not names or ".." in names:
            raise S3UriError(f"exclude {exclude!r}: give an s3:// URI or a path inside the root")
        return self.canonical(root).rstrip("/") + "/" + "/".join(names)

    def _access(self) -> S3Access:
        if not hasattr(self, "_resolved"):
            self._resolved = resolve_access(self.settings.s3_endpoint)
        return self._resolved

    def prepare(self, root: str) -> str:
        uri = self.canonical(root)
        self._access()                 # credentials problems now, before any worker starts
        return uri

    def walk(self, roots: list[str], excludes: Iterable[str] = (),
             strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
        access, excludes = self._access(), self.own(excludes)
        for root in roots:
            yield from walk_s3(root, access, excludes, strict)

    def kind(self, uri: str) -> str:
        return s3_path_kind(uri, self._access())

    def identity_now(self, uri: str) -> tuple[int, int, int] | None:
        # Not asked per object (a HEAD each): every GET is pinned to the listed version by If-Match, so
        # an object rewritten while it was read is already an error row, read again on the next crawl.
        return None

    def open_entry(self, entry: FileEntry, tmpdir: str) -> Blob:
        if not isinstance(entry, S3FileEntry) or entry.access is None:
            entry = S3FileEntry(entry.path, entry.size, entry.mtime_ns, entry.inode, 0, None,
                                access=self._access())
        return s3_blob(entry, tmpdir)

    def open_outer(self, uri: str, tmpdir: str) -> Blob | None:
        return s3_outer_blob(uri, self._access(), tmpdir)

    def check_settings(self, roots: list[str]) -> None:
        if self.settings.credentials_file:
            raise S3CredentialsError("s3:// roots take their credentials from the AWS chain (AWS_PROFILE, "
                                     "AWS_ACCESS_KEY_ID, a credentials file), not `credentials`")
