"""The one dispatcher: a blob becomes items, containers recurse through it.

Containers are explored in post-order (members first, then the container's
own item) so the container's status can say whether a limit stopped it,
keeping every member found before the limit.
"""
from __future__ import annotations

from typing import Iterator

from .blob import Blob
from .context import ExploreContext
from .document import Item, Skipped
from .errors import ConnectorError
from .limits import LimitExceeded
from .media import is_audio


def _formats():
    """The format registries import every parser library (openpyxl, extract-msg, libpff...):
    loaded on first use, so a process that only walks and queries starts fast."""
    from . import containers, extractors
    from .sniff import sniff
    return sniff, containers, extractors


def safe_reason(exc: BaseException) -> str:
    """A reason that cannot carry file content: our own messages, or a type name.

    Third-party parsers sometimes quote the bytes they choked on; those bytes
    may be personal data, so only the exception's type is kept.
    """
    if isinstance(exc, (ConnectorError, LimitExceeded)):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or 'I/O error'}"
    if isinstance(exc, MemoryError):
        return "MemoryError"
    return f"parser failed: {type(exc).__name__}"


def status_of(exc: BaseException) -> str:
    if isinstance(exc, LimitExceeded):
        return "skipped"
    return getattr(exc, "status", "error")


def explore(blob: Blob, ctx: ExploreContext, depth: int = 0) -> Iterator[Item]:
    """Yield an item for `blob` and, if it is a container, for everything inside."""
    base = dict(location=blob.location, size=blob.size, mtime=blob.mtime, owner=blob.owner)
    try:
        content_hash = blob.content_hash()
        sniff, containers, _ = _formats()
        mime = sniff(blob, content_hash)
    except Exception as exc:  # unreadable: vanished, permission, I/O error
        yield Item(content_hash="", mime="", status=status_of(exc), reason=safe_reason(exc), **base)
        return

    container = containers.container_for(mime, blob)
    if container is None:
        yield _leaf_item(blob, ctx, content_hash, mime, base)
        return
    if depth >= ctx.limits.max_depth:
        yield Item(content_hash=content_hash, mime=mime, status="skipped",
                   reason="limit: max_depth", container=True, **base)
        return

    status, reason = "ok", ""
    try:
        for member in container.members(blob, ctx):
            if isinstance(member, Skipped):
                yield Item(location=member.location, content_hash="", mime="", size=member.size,
                           mtime=member.mtime, status=member.status, reason=member.reason)
            else:
                yield from explore(member, ctx, depth + 1)
    except Exception as exc:
        status, reason = status_of(exc), safe_reason(exc)
    own_text = getattr(container, "own_text", None)
    yield Item(content_hash=content_hash, mime=mime, status=status, reason=reason, container=True,
               extract=(lambda: own_text(blob, ctx)) if own_text else None, **base)


def _leaf_item(blob: Blob, ctx: ExploreContext, content_hash: str, mime: str, base: dict) -> Item:
    extractor = _formats()[2].extractor_for(mime, blob)
    if extractor is None:
        return Item(content_hash=content_hash, mime=mime, status="skipped",
                    reason=f"no text extracted from {mime}", **base)
    item = Item(content_hash=content_hash, mime=mime, extract=lambda: extractor(blob, ctx), **base)
    if is_audio(mime):
        from .media.probe import probe   # a header read: every copy of a recording gets its length
        item.duration_s, item.started = probe(blob, mime)
    return item
