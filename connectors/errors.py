"""Connector errors. Each one becomes a location row with a status and a reason."""


class ConnectorError(Exception):
    """Base: the content could not be read or parsed. Status `error`."""

    status = "error"


class SourceUnavailable(ConnectorError):
    """A source (a server, a share, a bucket) cannot be used at all: the scan of that root stops before
    anything under it is called gone."""


class PathUnreadable(ConnectorError):
    """One path of a source could not even be looked at (refused, an I/O error): its reason is recorded."""


class CorruptError(ConnectorError):
    """Truncated, malformed or refused by its parser."""


class EncryptedError(ConnectorError):
    """Encrypted content: recorded as `encrypted, not scanned`, never guessed at."""

    status = "encrypted"


class UnsupportedError(ConnectorError):
    """A format we do not extract text from (images, executables...)."""

    status = "skipped"
