"""Who we are on an S3-compatible store, and the boto3 client that goes with it.

Why boto3 (and not pyarrow's or fsspec's S3 file systems): it is the reference
implementation of the standard AWS credential chain (environment, profile,
shared credentials and config files, SSO, instance roles) and of
`AWS_ENDPOINT_URL`, so a user's existing set-up works as it does for the AWS
CLI; it gives the listing's ETag, size and LastModified as they are (our
identity for incremental skips); it does ranged GETs and nothing else (no
write path is ever opened: this connector calls list, head and get only); and
it is a pure-Python wheel with no event loop (s3fs would bring aiobotocore,
which pins botocore, in every worker).

Credentials are resolved once, in the process that starts the scan, and then
travel frozen with the walked entries to the worker processes (over the pool's
private pipe), as SMB credentials do: never through a module global, never put
in a worker's environment, never in a repr, a log line or the inventory.
"""
from __future__ import annotations

import functools
import logging
import os
import stat
from dataclasses import dataclass, field

from .s3_uri import S3Error

ENDPOINT_ENV = "AWS_ENDPOINT_URL"
CONNECT_TIMEOUT_S = 15
READ_TIMEOUT_S = 60
_DEFAULT_REGION = "us-east-1"      # S3-compatible stores ignore it; AWS redirects
# botocore logs "Found credentials in environment variables" at INFO each time: a daemon re-crawling a
# bucket every few minutes would fill its log with it.
logging.getLogger("botocore.credentials").setLevel(logging.WARNING)


class S3Unavailable(S3Error):
    """The store, the bucket or the credentials cannot be used at all: stop before anything is called gone."""


class S3CredentialsError(S3Error):
    """No credentials, or a credentials file others can read."""

    exit_code = 2


class S3ReadError(S3Error):
    """One object could not be read (its reason goes on its location row)."""


@dataclass(frozen=True)
class S3Access:
    """An endpoint and frozen credentials: everything a worker needs to read an object."""

    endpoint: str | None
    region: str
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"S3Access(endpoint={self.endpoint!r}, region={self.region!r}, access_key={self.access_key!r})"


def resolve_access(endpoint: str | None = None, profile: str | None = None) -> S3Access:
    """The standard AWS chain, checked: `endpoint` (--s3-endpoint) else AWS_ENDPOINT_URL; a shared
    credentials file readable by group or others is refused, as an SSH key would be."""
    import boto3
    import botocore.exceptions

    try:
        session = boto3.Session(profile_name=profile or None)
    except botocore.exceptions.ProfileNotFound as exc:
        raise S3CredentialsError(f"S3: {exc}") from None
    credentials = session.get_credentials()
    if credentials is None:
        raise S3CredentialsError("S3: no credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                                 "AWS_PROFILE, or a credentials file)")
    if getattr(credentials, "method", "") == "shared-credentials-file":
        _check_private(os.path.expanduser(session._session.get_config_variable("credentials_file")))
    frozen = credentials.get_frozen_credentials()
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or session._session.get_config_variable("endpoint_url")
    return S3Access(endpoint or None, session.region_name or _DEFAULT_REGION, frozen.access_key,
                    frozen.secret_key, frozen.token)


def _check_private(path: str) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    if mode & 0o077:
        raise S3CredentialsError(f"S3 credentials file {path} is readable by others (mode {mode:o}); "
                                 f"run: chmod 600 {path}")


@functools.lru_cache(maxsize=16)
def client_for(access: S3Access):
    """One client per process and identity (boto3 clients are thread-safe and pool connections)."""
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                    retries={"max_attempts": 3, "mode": "standard"},
                    # Path-style: MinIO, Ceph and SeaweedFS need it; AWS accepts it.
                    s3={"addressing_style": "path" if access.endpoint else "auto"})
    return boto3.client("s3", endpoint_url=access.endpoint, region_name=access.region,
                        aws_access_key_id=access.access_key, aws_secret_access_key=access.secret_key,
                        aws_session_token=access.token, config=config)


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def classify(exc: BaseException) -> str:
    """A short reason that never quotes content: the S3 error code, or the failure's kind."""
    import botocore.exceptions as bx

    code = error_code(exc)
    if code in ("NoSuchKey", "404", "NotFound"):
        return "no longer present"
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        return "access denied"
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"):
        return f"credentials refused ({code})"
    if code == "NoSuchBucket":
        return "no such bucket"
    if code:
        return f"S3 error {code}"
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError)):
        return "cannot connect to the S3 endpoint"
    if isinstance(exc, bx.ReadTimeoutError):
        return "the S3 endpoint stopped answering"
    if isinstance(exc, bx.NoCredentialsError):
        return "no credentials"
    return type(exc).__name__


def failures() -> tuple[type[BaseException], ...]:
    import botocore.exceptions as bx

    return (bx.BotoCoreError, bx.ClientError, OSError)
