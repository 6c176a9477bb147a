"""The source seam: where outer files come from (local disk, SMB, later S3, IMAP...).

A source turns a root into outer files, and an outer file into a `Blob`. The
scanner talks to every source through `Source` and never looks at a URI's
scheme: `source_for(uri)` picks the source. Adding a source is one module in
`connectors/sources/` that subclasses `Source` and decorates it with
`@register`; nothing in `scanner/` changes.

    from connectors.source import SourceSettings, source_for

    source = source_for("smb://fileserver/Finance", SourceSettings(credentials_file="/etc/pdsweep/smb.cred"))
    root = source.prepare("smb://svc@fileserver/Finance")      # canonical URI, credentials resolved now
    for found in source.walk([root]):                          # FileEntry | WalkProblem
        blob = source.open_entry(found, tmpdir)                 # the bytes, read-only

The contract every source keeps:

- **Identity for incremental skips.** `walk` yields a `FileEntry` per regular
  file with `path` (its canonical URI: the inventory's `path` column), `size`,
  `mtime_ns` and `inode` (any stable int64 id: an SMB file id, an object's
  version); the scanner skips a file whose four values are unchanged. What
  cannot be read is a `WalkProblem` with a reason, never an exception, except
  when the whole root cannot be used (`strict`): then the source raises a
  `ConnectorError` so that nothing under the root is called gone.
- **Read-only.** Opening never changes the file, its times or its locks.
- **Canonical URIs.** `canonical(uri)` is the form stored in the inventory
  (no user, no password, no trailing slash); `inside(uri, prefix)` is the one
  "at or below" test.
- **Picklable entries.** Entries travel to worker processes (and, later, to
  cluster workers); whatever a worker needs to open one (credentials) travels
  with it, never through a module global or the environment.

Settings reach a source through the frozen `SourceSettings` built at the edge
(the CLI, a config file); a source instance is cheap and holds only them.
"""
from __future__ import annotations

import importlib
import pkgutil
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable, ClassVar, Iterable, Iterator

from .blob import Blob
from .filesystem import FileEntry, WalkProblem

__all__ = ["Capabilities", "Change", "FileEntry", "Source", "SourceSettings", "WalkProblem", "inside",
           "open_outer", "register", "registered_sources", "source_for", "split_by_source"]


@dataclass(frozen=True)
class SourceSettings:
    """What sources need from the edge, frozen and passed down (to workers too: it pickles).

    `credentials_file`: for sources that log on (SMB): a file of username=/password=/domain= lines,
    used when a root names none. `prompt`: may a source ask for a password on the terminal.
    """

    credentials_file: str | None = None
    prompt: bool = True          # only ever on a terminal; a service says False
    s3_endpoint: str | None = None   # s3:// roots: --s3-endpoint; else AWS_ENDPOINT_URL, else AWS itself


@dataclass(frozen=True)
class Capabilities:
    """What a source allows; the scanner asks these, never the scheme."""

    editable: bool = False       # `erase` may edit or delete its files in place (else: "manual", with why)
    change_feed: bool = False    # `watch()` reports changes (else the daemon re-crawls, or observes locally)
    local_files: bool = False    # a location's path is a file on this machine (os.stat and open work)
    read_only_reason: str = ""   # why `erase` leaves its files to a person, when not editable
    backups: bool = False        # not editable, and what it holds are backups: an archive's members are put
                                 # "beyond use" (kept until they expire, the subject suppressed on restore)


@dataclass(frozen=True)
class Change:
    """One change a change feed reports. Actions: added, removed, modified, renamed_from, renamed_to,
    and rescan (the `uri` is the watched root: walk it again, the feed lost track)."""

    action: str
    uri: str


ChangeCallback = Callable[[list[Change]], None]


def inside(uri: str, prefix: str) -> bool:
    """`uri` is `prefix` or below it. The one prefix test: '/srv/a' holds '/srv/a/b', not '/srv/ab'."""
    return uri == prefix or uri.startswith(prefix.rstrip("/") + "/")


class Source(ABC):
    """One kind of place outer files live in. Subclass, set `scheme` and `capabilities`, `@register`."""

    scheme: ClassVar[str] = ""                 # "smb" for smb://...; "" for the local file system
    capabilities: ClassVar[Capabilities] = Capabilities()

    def __init__(self, settings: SourceSettings | None = None):
        self.settings = settings or SourceSettings()

    # -- naming -------------------------------------------------------------
    @classmethod
    def handles(cls, uri: str) -> bool:
        """True when `uri` belongs to this source (by default: it starts with `<scheme>://`)."""
        prefix = cls.scheme + "://"
        return bool(cls.scheme) and uri[:len(prefix)].lower() == prefix

    @abstractmethod
    def canonical(self, uri: str) -> str:
        """The URI as the inventory stores it. Raises ConnectorError (exit_code 2) when malformed."""

    def own(self, uris: Iterable[str]) -> list[str]:
        """Those of `uris` that belong to this source (a scan's excludes may name several sources)."""
        return [u for u in uris if source_class(u) is type(self)]

    def inside(self, uri: str, prefix: str) -> bool:
        """`uri` is at or below `prefix` (both canonical)."""
        return inside(uri, prefix)

    def user_of(self, root: str) -> str | None:
        """The account a root names (smb://user@host/...), which its canonical URI leaves out."""
        return None

    def with_user(self, uri: str, user: str | None) -> str:
        """The canonical `uri` with the account put back: the root credentials are resolved from."""
        return uri

    def exclude_in(self, root: str, exclude: str) -> str:
        """An exclude written for `root`: a URI of this source (made canonical), or, where the source
        allows it, a path inside the root. Raises ConnectorError when it is neither."""
        return self.canonical(exclude)

    def root_problem(self, root: str) -> str | None:
        """Why a root given to `scan` cannot be scanned at all (it does not exist, cannot be read), or
        None. Cheap, reads nothing. A remote source may leave this to `prepare`."""
        return None

    def prepare(self, root: str) -> str:
        """A root given by the user, made ready before any worker starts (credentials resolved, maybe
        asked for): its canonical URI. Raises ConnectorError when the root cannot be used."""
        return self.canonical(root)

    # -- listing ------------------------------------------------------------
    @abstractmethod
    def walk(self, roots: list[str], excludes: Iterable[str] = (),
             strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
        """Every regular file under the (canonical) roots, depth first, with its identity.

        `strict` (a scan's roots): a root that cannot be used raises ConnectorError. Without it (a path
        a change feed reported) a missing root yields nothing and an unreadable one a WalkProblem.
        """

    def may_be_folder(self, uri: str) -> bool:
        """Could the unlistable `uri` (a WalkProblem with status error) hide files below it? Then they
        are unknown, not gone. A source that cannot tell cheaply says True."""
        return True

    @abstractmethod
    def kind(self, uri: str) -> str:
        """What is at `uri` now: "file", "dir", "link" (never followed) or "missing". Raises PathUnreadable
        when this one path cannot even be looked at (the walk records why), SourceUnavailable when the
        whole source is down (connectors/errors.py)."""

    def identity_now(self, uri: str) -> tuple[int, int, int] | None:
        """(size, mtime_ns, inode) of the file now, to notice one rewritten while it was read; None when
        it is gone or the source cannot tell cheaply (its change feed reports rewrites)."""
        return None

    # -- reading ------------------------------------------------------------
    @abstractmethod
    def open_entry(self, entry: FileEntry, tmpdir: str) -> Blob:
        """The blob of a walked file (in a worker). `tmpdir` is the task's private directory, removed
        after the task: a source may fetch remote content into it."""

    @abstractmethod
    def open_outer(self, uri: str, tmpdir: str) -> Blob | None:
        """The outer file at `uri` as it is now (for `detect`, a subject access request, an erasure), or
        None when it is no longer there or no longer a file. Raises ConnectorError when it cannot tell."""

    # -- change feed (optional) --------------------------------------------
    def watch(self, root: str, callback: ChangeCallback, stop: threading.Event, *,
              poll_interval: float = 300.0, mode: str = "auto",
              on_mode: Callable[[str], None] | None = None) -> str:
        """Report changes under `root` to `callback` until `stop` is set; returns the mode used.
        Only where `capabilities.change_feed`. Raises ConnectorError when the feed is lost."""
        raise NotImplementedError(f"{type(self).__name__} has no change feed")

    def check_settings(self, roots: list[str]) -> None:
        """For `daemon --check`: are the settings usable (a credentials file's mode...)? Raises
        ConnectorError with the reason. Changes nothing, asks nothing."""


# -- the registry ----------------------------------------------------------
_SOURCES: dict[str, type[Source]] = {}
_LOADED = threading.Lock()
_DISCOVERED: list[bool] = []


def register(cls: type[Source]) -> type[Source]:
    """Class decorator: make a source known to `source_for`."""
    _SOURCES[cls.scheme] = cls
    return cls


def _discover() -> None:
    """Import every module of `connectors.sources` once: each registers its source."""
    if _DISCOVERED:
        return
    with _LOADED:
        if _DISCOVERED:
            return
        from . import sources

        for module in pkgutil.iter_modules(sources.__path__):
            importlib.import_module(f"{sources.__name__}.{module.name}")
        _DISCOVERED.append(True)


def registered_sources() -> dict[str, type[Source]]:
    """{scheme: source class}; the local file system under ""."""
    _discover()
    return dict(_SOURCES)


def source_class(uri: str) -> type[Source]:
    _discover()
    for scheme, cls in _SOURCES.items():
        if scheme and cls.handles(uri):
            return cls
    return _SOURCES[""]          # anything without a known scheme is a local path


def source_for(uri: str, settings: SourceSettings | None = None) -> Source:
    """The source that `uri` (a path, a root, a location's outer path) belongs to."""
    return source_class(uri)(settings)


def open_outer(uri: str, tmpdir: str, settings: SourceSettings | None = None) -> Blob | None:
    """The one way to open an outer file by its URI (a path, an smb:// URI...) as it is now: a Blob, or
    None when it is no longer there. Raises ConnectorError when its source cannot tell."""
    return source_for(uri, settings).open_outer(uri, tmpdir)


def split_by_source(uris: Iterable[str], settings: SourceSettings | None = None) -> list[tuple[Source, list[str]]]:
    """The URIs grouped by source, in first-seen order of source (the local file system first)."""
    groups: dict[type[Source], list[str]] = {}
    for uri in uris:
        groups.setdefault(source_class(uri), []).append(uri)
    ordered = sorted(groups.items(), key=lambda kv: kv[0].scheme != "")
    return [(cls(settings), members) for cls, members in ordered]
