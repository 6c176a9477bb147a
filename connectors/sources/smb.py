"""SMB shares (smb://[user@]host[:port]/share/path) as a source: read over SMB2/3, never mounted.

The work is in `connectors.smb` (walk, blobs), `connectors.smb_watch` (the
change feed) and `connectors.smb_credentials`; this module is the seam the
scanner sees. Credentials come from the frozen `SourceSettings` (a file) or the
environment, are resolved once per process, and travel to workers with the
walked entries.
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator

from ..blob import Blob
from ..filesystem import FileEntry, WalkProblem
from ..smb import prepare_smb_root, smb_blob, smb_outer_blob, smb_path_kind, walk_smb
from ..smb_credentials import read_credentials_file
from ..smb_uri import SmbPath, canonical_uri
from ..source import Capabilities, ChangeCallback, Source, register


@register
class SmbSource(Source):
    scheme = "smb"
    capabilities = Capabilities(
        editable=False, change_feed=True, local_files=False,
        read_only_reason="on an SMB share, which pdsweep only reads: delete or redact it on the server, "
                         "then rescan the share")

    def canonical(self, uri: str) -> str:
        return canonical_uri(uri)

    def user_of(self, root: str) -> str | None:
        return SmbPath.parse(root).user

    def with_user(self, uri: str, user: str | None) -> str:
        return SmbPath.parse(uri).with_user(user).root_uri

    def exclude_in(self, root: str, exclude: str) -> str:
        """An smb:// URI, or a path inside the root ("Archive/2019")."""
        if self.handles(exclude):
            return canonical_uri(exclude)
        return SmbPath.parse(root).below(exclude).uri

    def prepare(self, root: str) -> str:
        return prepare_smb_root(root, self.settings.credentials_file, prompt=self.settings.prompt)

    def walk(self, roots: list[str], excludes: Iterable[str] = (),
             strict: bool = True) -> Iterator[FileEntry | WalkProblem]:
        excludes = self.own(excludes)
        for root in roots:
            yield from walk_smb(root, excludes=excludes, strict=strict,
                                credentials_file=self.settings.credentials_file)

    def kind(self, uri: str) -> str:
        # SmbReadError (a PathUnreadable) for this path; SmbUnavailable when the server has gone
        return smb_path_kind(uri, self.settings.credentials_file)

    def open_entry(self, entry: FileEntry, tmpdir: str) -> Blob:
        return smb_blob(entry, tmpdir)

    def open_outer(self, uri: str, tmpdir: str) -> Blob | None:
        return smb_outer_blob(uri, tmpdir, self.settings.credentials_file)

    def watch(self, root: str, callback: ChangeCallback, stop: threading.Event, *,
              poll_interval: float = 300.0, mode: str = "auto",
              on_mode: Callable[[str], None] | None = None) -> str:
        from ..smb_watch import watch_smb

        return watch_smb(root, callback, stop, poll_interval=poll_interval, mode=mode, on_mode=on_mode,
                         credentials_file=self.settings.credentials_file)

    def check_settings(self, roots: list[str]) -> None:
        if self.settings.credentials_file:
            read_credentials_file(self.settings.credentials_file)
