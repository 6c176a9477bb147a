"""`smb://[user@]host[:port]/share/path` roots and the location URIs of remote files.

The location URI of a remote file is `smb://host/share/path/to/file` (with
`:port` only when it is not 445): never a user name, never a password, so
that the same file has the same URI whoever scanned it. smbprotocol wants a
UNC path (`\\\\host\\share\\path`) plus the port, which `unc` and `port` give.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import ConnectorError

SCHEME = "smb://"
DEFAULT_PORT = 445


class SmbError(ConnectorError):
    """Base of the SMB connector's errors; `exit_code` is what the CLI should exit with."""

    exit_code = 1


class SmbUriError(SmbError):
    """A malformed smb:// root (no share, a password in the URI, a bad port)."""

    exit_code = 2


def is_smb_uri(path: str) -> bool:
    return path[:len(SCHEME)].lower() == SCHEME


@dataclass(frozen=True)
class SmbPath:
    host: str
    port: int
    share: str
    parts: tuple[str, ...] = ()
    user: str | None = None          # from the root only; never part of `uri`

    @classmethod
    def parse(cls, uri: str) -> "SmbPath":
        """Split a root or a location URI. Names are taken as written (no %-decoding),
        so a file's URI parses back to the same file whatever characters its name holds."""
        if not is_smb_uri(uri):
            raise SmbUriError("expected smb://[user@]host[:port]/share[/path]")
        authority, _, path = uri[len(SCHEME):].partition("/")
        userinfo, _, hostport = authority.rpartition("@")
        if ":" in userinfo:
            raise SmbUriError("a password in an smb:// URI would show in process listings; "
                              "use PDSWEEP_SMB_PASSWORD, a credentials file or the prompt")
        host, _, port_text = hostport.partition(":")
        port = _port(port_text)
        names = [p for p in path.split("/") if p and p != "."]
        if not host:
            raise SmbUriError("expected smb://[user@]host[:port]/share[/path]")
        if not names:
            raise SmbUriError("an smb:// root needs a share: smb://host/share[/path]")
        if ".." in names:
            raise SmbUriError("'..' is not allowed in an smb:// path")
        return cls(host.lower(), port, names[0], tuple(names[1:]), userinfo or None)

    @property
    def server(self) -> str:
        """host[:port], the part of the URI that names one SMB server."""
        return self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"

    @property
    def uri(self) -> str:
        return SCHEME + "/".join((self.server, self.share) + self.parts)

    @property
    def unc(self) -> str:
        return "\\\\" + "\\".join((self.host, self.share) + self.parts)

    @property
    def share_uri(self) -> str:
        return f"{SCHEME}{self.server}/{self.share}"

    def child(self, name: str) -> "SmbPath":
        return SmbPath(self.host, self.port, self.share, self.parts + (name,), self.user)

    def without_user(self) -> "SmbPath":
        return SmbPath(self.host, self.port, self.share, self.parts)

    def with_user(self, user: str | None) -> "SmbPath":
        return SmbPath(self.host, self.port, self.share, self.parts, user)

    @property
    def root_uri(self) -> str:
        """The URI with its user (never a password): what a root's credentials are resolved from."""
        user = f"{self.user}@" if self.user else ""
        return SCHEME + user + "/".join((self.server, self.share) + self.parts)

    def below(self, relative: str) -> "SmbPath":
        """A path written relative to this one ("Archive/2019" or "/Archive/2019"), never above it."""
        names = [n for n in relative.replace("\\", "/").split("/") if n and n != "."]
        if not names or ".." in names:
            raise SmbUriError(f"exclude {relative!r}: give an smb:// URI or a path inside the root")
        path = self.without_user()
        for name in names:
            path = path.child(name)
        return path


def canonical_uri(uri: str) -> str:
    """The root as it is recorded: lower-case host, no user, no trailing slash."""
    return SmbPath.parse(uri).uri


def _port(text: str) -> int:
    if not text:
        return DEFAULT_PORT
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise SmbUriError("the port in an smb:// URI must be a number from 1 to 65535")
    return int(text)
