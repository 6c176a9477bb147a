"""Scanner errors: one base class; the CLI turns them into one-line messages."""


class PdsweepError(Exception):
    """An error the user can act on. `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(PdsweepError):
    exit_code = 2


class InventoryError(PdsweepError):
    """The inventory is missing, unreadable, locked or unsafe."""


class InventoryLocked(InventoryError):
    """Another pdsweep process (a scan, the daemon) is writing the inventory."""


class ExecutionLost(PdsweepError):
    """Where the analysis ran went away mid-scan (a cluster's scheduler): the scan stops, checkpointed."""


class KeyFileError(PdsweepError):
    """The HMAC secret is missing, malformed or readable by others."""


def connector_error(exc: Exception, context: str = "") -> PdsweepError:
    """A connector's error that stops a command (a server down, missing credentials) as the CLI's:
    exit 2 when it says the input was wrong (`exit_code` 2), else 1."""
    message = f"{context}: {exc}" if context else str(exc)
    return (UsageError if getattr(exc, "exit_code", 1) == 2 else PdsweepError)(message)
