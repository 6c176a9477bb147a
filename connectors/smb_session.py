"""One SMB session per server and process, and SMB failures as one-line reasons.

smbprotocol's high-level `smbclient` keeps a connection pool per process;
`session_for` registers our credentials with it once. Failures that mean the
server as a whole cannot be used (wrong password, unknown host, refused port,
a dropped connection, a timeout) become `SmbUnavailable`, which stops a scan
before anything is marked gone; failures on one file or folder become a
reason on that location.
"""
from __future__ import annotations

import logging
import socket

from .errors import PathUnreadable, SourceUnavailable
from .smb_credentials import SmbCredentials, registered
from .smb_uri import SmbError, SmbPath

CONNECT_TIMEOUT_S = 15      # TCP connect and each step of the logon
IDLE_TIMEOUT_S = 30         # silent this long: an echo is sent; twice as long: the connection is dropped

# smbprotocol logs a dying connection with a traceback and, at debug level, paths (file names may be
# personal data): keep its records out of our output whatever logging the application sets up.
for _name in ("smbprotocol", "smbclient", "spnego"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


class SmbUnavailable(SmbError, SourceUnavailable):
    """The server, or the share, cannot be used at all: the scan of that root stops."""


class SmbReadError(SmbError, PathUnreadable):
    """One remote file could not be opened: recorded on its location with the reason."""


def session_for(path: SmbPath, creds: SmbCredentials | None = None) -> dict:
    """Make sure this process has an authenticated session to the server of `path`.

    Returns the keyword arguments every smbclient call on that server takes, so
    that a call after a dropped connection logs on again as the same user.
    Cheap when the pooled connection is alive: smbclient looks it up.
    """
    import smbclient
    from smbprotocol.exceptions import LogonFailure, SMBException

    creds = creds or registered(path.server) or SmbCredentials(path.server, None)
    kwargs = dict(port=path.port, username=creds.qualified_user, password=creds.password,
                  connection_timeout=CONNECT_TIMEOUT_S)
    try:
        session = smbclient.register_session(path.host, **kwargs)
    except LogonFailure:
        raise SmbUnavailable(f"smb://{path.server}: logon failed (wrong user name or password)") from None
    except (ValueError, OSError, SMBException) as exc:
        raise SmbUnavailable(f"smb://{path.server}: {connect_reason(exc)}") from None
    # smbprotocol waits 10 minutes for a silent server, then 10 more after its echo: a hung
    # server would stall the scan for 20 minutes. Its receive loop reads this on every message.
    session.connection._receive_timeout = IDLE_TIMEOUT_S
    return kwargs


def reset_sessions() -> None:
    """Drop every pooled connection (tests; a daemon after the credentials change)."""
    import smbclient

    smbclient.reset_connection_cache(fail_on_error=False)


def connect_reason(exc: BaseException) -> str:
    """A short reason without the server's or the library's full message (they may quote paths)."""
    text = str(exc)
    for marker, reason in (("Name or service not known", "unknown host"),
                           ("Temporary failure in name resolution", "unknown host"),
                           ("No address associated", "unknown host"),
                           ("Connection refused", "connection refused (is SMB served on that port?)"),
                           ("timed out", "connection timed out"),
                           ("timeout", "connection timed out"),
                           ("No route to host", "no route to host"),
                           ("Network is unreachable", "network unreachable")):
        if marker in text:
            return reason
    if isinstance(exc, socket.timeout):
        return "connection timed out"
    if type(exc).__name__ == "SMBConnectionClosed":
        return "connection closed by the server"
    if type(exc).__name__ == "SMBAuthenticationError":
        return "authentication failed (no user name given and no Kerberos ticket?)"
    return f"cannot connect ({type(exc).__name__})"


# NTSTATUS values that mean "this folder or file", not "this server".
_STATUS_REASONS = {
    0xC0000022: "access denied",
    0xC0000034: "no longer present",
    0xC000003A: "no longer present",
    0xC0000043: "sharing violation (open elsewhere without read sharing)",
    0xC0000054: "locked by another user",
    0xC000000D: "invalid parameter",
    0xC0000033: "invalid name",
    0xC0000056: "delete pending",
    0xC0000103: "not a directory",
    0xC00000BA: "is a directory",
}
# ...and those that mean the share or the connection has gone.
_FATAL_STATUSES = {
    0xC00000CC: "share not found",            # STATUS_BAD_NETWORK_NAME
    0xC0000225: "share not found",            # STATUS_NOT_FOUND, Samba's answer to an unknown share
    0xC0000203: "session deleted by the server",
    0xC000035C: "session expired",
    0xC00000C9: "network name deleted (the share has gone)",
    0xC000020C: "connection lost",
}


def classify(exc: BaseException, where: SmbPath) -> str:
    """The reason for a failure on one item; raises SmbUnavailable when the server or share is gone."""
    from smbprotocol.exceptions import SMBConnectionClosed, SMBException

    status = getattr(exc, "ntstatus", None) or getattr(exc, "status", None)
    if isinstance(status, int) and status in _FATAL_STATUSES:
        raise SmbUnavailable(f"{where.share_uri}: {_FATAL_STATUSES[status]}") from None
    if isinstance(exc, (SMBConnectionClosed, ConnectionError, TimeoutError, socket.timeout)) or (
            isinstance(exc, ValueError) and "Failed to connect" in str(exc)):
        raise SmbUnavailable(f"smb://{where.server}: {connect_reason(exc)}") from None
    if isinstance(status, int) and status in _STATUS_REASONS:
        return _STATUS_REASONS[status]
    if isinstance(status, int):
        return f"SMB status 0x{status:08X}"
    if isinstance(exc, SMBException):
        return f"SMB error ({type(exc).__name__})"
    return type(exc).__name__
