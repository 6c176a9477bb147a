"""`s3://bucket/prefix` roots and the location URIs of objects.

An object's location URI is `s3://bucket/key`: no endpoint, no credentials, so the
same object has the same URI whoever scanned it and from wherever (as the AWS CLI
writes it). The endpoint (AWS, Wasabi, B2, MinIO, Ceph, SeaweedFS) is a setting:
`AWS_ENDPOINT_URL` or `--s3-endpoint`. Keys are taken as written (no %-decoding).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ConnectorError

SCHEME = "s3://"
# S3's own rule (3-63 characters of lower-case letters, digits, dots and hyphens), relaxed to the
# underscores and capitals that some older S3-compatible stores still accept.
_BUCKET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$")


class S3Error(ConnectorError):
    """Base of the S3 connector's errors; `exit_code` is what the CLI should exit with."""

    exit_code = 1


class S3UriError(S3Error):
    """A malformed s3:// root: no bucket, credentials in the URI."""

    exit_code = 2


def is_s3_uri(path: str) -> bool:
    return path[:len(SCHEME)].lower() == SCHEME


@dataclass(frozen=True)
class S3Path:
    bucket: str
    key: str = ""            # "" for the whole bucket; a prefix ends with "/" only when written so

    @classmethod
    def parse(cls, uri: str) -> "S3Path":
        if not is_s3_uri(uri):
            raise S3UriError("expected s3://bucket[/prefix]")
        bucket, _, key = uri[len(SCHEME):].partition("/")
        if "@" in bucket or ":" in bucket:
            raise S3UriError("credentials or an endpoint in an s3:// URI would show in process listings "
                             "and the inventory; use the AWS variables, a profile, or --s3-endpoint")
        if not _BUCKET.match(bucket):
            raise S3UriError(f"not a bucket name: {bucket!r} (expected s3://bucket[/prefix])")
        return cls(bucket, key)

    @property
    def uri(self) -> str:
        return f"{SCHEME}{self.bucket}/{self.key}" if self.key else f"{SCHEME}{self.bucket}"

    @property
    def list_prefix(self) -> str:
        """The prefix to list: a root names a folder-like prefix or one object; `key/` is listed as is."""
        return self.key

    def child(self, key: str) -> "S3Path":
        return S3Path(self.bucket, key)


def canonical_uri(uri: str) -> str:
    """The root as recorded: no trailing slash (s3://b/backups/ and s3://b/backups are one root)."""
    path = S3Path.parse(uri)
    return S3Path(path.bucket, path.key.rstrip("/")).uri


def inside(uri: str, prefix: str) -> bool:
    """`uri` is `prefix` or an object below it: s3://b/a holds s3://b/a/x, not s3://b/ab."""
    return uri == prefix or uri.startswith(prefix.rstrip("/") + "/")
