"""SMB credentials: where they come from, and how worker processes get them.

Sources, in order: the user name from the URI (`smb://user@host/...`) or the
credentials file; the password from `PDSWEEP_SMB_PASSWORD`, else the
credentials file (`username=`/`password=`/`domain=` lines as mount.cifs
reads them, mode 0600 or refused), else an interactive prompt. A password is
never taken from the command line (it would show in `ps`), never logged,
never written to the inventory, and never in an exception message.

Worker processes are spawned, so they do not share this module's state.
Rather than putting the password in the environment (readable through
`ps e` and /proc/PID/environ) the credentials travel with the file entries
that are pickled to the workers over the pool's private pipe: unpickling an
`SmbCredentials` registers it in that worker's `_REGISTRY`.
"""
from __future__ import annotations

import getpass
import os
import stat
import sys
from dataclasses import dataclass, field

from .smb_uri import SmbError

PASSWORD_ENV = "PDSWEEP_SMB_PASSWORD"
CREDENTIALS_FILE_ENV = "PDSWEEP_SMB_CREDENTIALS"
USER_ENV = "PDSWEEP_SMB_USER"


class SmbCredentialsError(SmbError):
    """No usable credentials: a missing or unsafe credentials file, no password."""

    exit_code = 2


@dataclass(frozen=True)
class SmbCredentials:
    server: str                                   # host[:port] these are for
    username: str | None
    password: str | None = field(default=None, repr=False)
    domain: str | None = None

    @property
    def qualified_user(self) -> str | None:
        if self.username and self.domain:
            return f"{self.domain}\\{self.username}"
        return self.username

    def __reduce__(self):
        # Unpickled in a worker: register there, so SmbBlob.open() finds a session.
        return (_registered, (self.server, self.username, self.password, self.domain))

    def __repr__(self) -> str:
        return f"SmbCredentials(server={self.server!r}, username={self.username!r}, password=***)"


# Credentials resolved in this process (asked for once, or unpickled with an entry in a worker), as
# smbclient keeps one connection per server: a cache, never a setting. The settings (which credentials
# file) come down in the frozen SourceSettings, as the `credentials_file` argument below.
_REGISTRY: dict[str, SmbCredentials] = {}


def _registered(server, username, password, domain) -> SmbCredentials:
    creds = SmbCredentials(server, username, password, domain)
    _REGISTRY.setdefault(server, creds)
    return creds


def remember(creds: SmbCredentials) -> SmbCredentials:
    """Credentials for a server, kept for the life of this process."""
    _REGISTRY[creds.server] = creds
    return creds


def registered(server: str) -> SmbCredentials | None:
    return _REGISTRY.get(server)


def forget_all() -> None:
    _REGISTRY.clear()


def read_credentials_file(path: str) -> dict[str, str]:
    """`username=`, `password=`, `domain=` lines; refuses a file others can read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SmbCredentialsError(f"cannot open the SMB credentials file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as f:
        mode = os.fstat(f.fileno()).st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SmbCredentialsError(
                f"the SMB credentials file {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                f"run: chmod 600 {path}")
        values = {}
        for line in f:
            # mount.cifs keeps a password exactly as written up to the end of the line
            key, sep, value = line.rstrip("\r\n").lstrip().partition("=")
            key = {"user": "username", "pass": "password", "workgroup": "domain"}.get(key.strip().lower(),
                                                                                     key.strip().lower())
            if sep and key in ("username", "password", "domain"):
                values[key] = value if key == "password" else value.strip()
        return values


def resolve_credentials(server: str, uri_user: str | None = None, credentials_file: str | None = None,
                        prompt: bool = True) -> SmbCredentials:
    """Gather the credentials for one server from the URI, environment, file or prompt."""
    known = registered(server)
    if known is not None and known.password is not None and uri_user in (None, known.username):
        return known        # a second root on the same server: do not ask twice
    credentials_file = credentials_file or os.environ.get(CREDENTIALS_FILE_ENV) or None
    from_file = read_credentials_file(credentials_file) if credentials_file else {}
    username = uri_user or from_file.get("username") or os.environ.get(USER_ENV) or None
    domain = from_file.get("domain")
    if username and ";" in username:           # smb://DOMAIN;user@host/ as in the smb URI draft
        domain, username = username.split(";", 1)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = from_file.get("password")
    if password is not None and not username:
        raise SmbCredentialsError(
            f"no user name for smb://{server}: write smb://USER@{server}/..., or give it in the credentials "
            f"file or {USER_ENV}")
    if password is None and username:
        password = _prompt(server, username, prompt)
    # Neither a user nor a password: smbprotocol tries Kerberos with the caller's ticket cache.
    return remember(SmbCredentials(server, username, password, domain))


def _prompt(server: str, username: str, allowed: bool) -> str:
    if not allowed or not sys.stdin or not sys.stdin.isatty():
        raise SmbCredentialsError(
            f"no password for smb://{server}: set {PASSWORD_ENV}, give a credentials file "
            f"(--smb-credentials or {CREDENTIALS_FILE_ENV}), or run in a terminal to be asked")
    return getpass.getpass(f"Password for {username} on smb://{server}: ")
