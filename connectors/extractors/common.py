"""Shared guards for extractors: error translation, text caps, field caps.

Third-party parsers raise anything (and sometimes quote the bytes they choked
on), so every extractor funnels its work through `guarded`, which turns any
foreign exception into a CorruptError with a short reason of our own.
"""
from __future__ import annotations

import itertools
from typing import Callable, Iterable, Iterator, TypeVar

from ..context import ExploreContext
from ..document import Field
from ..errors import ConnectorError, CorruptError
from ..limits import LimitExceeded

T = TypeVar("T")

MAX_FIELDS = 100_000      # structural hints kept per document
_OURS = (ConnectorError, LimitExceeded)


def corrupt(fmt: str, why: str = "not a valid file") -> CorruptError:
    return CorruptError(f"{fmt}: {why}")


def call_guarded(fmt: str, why: str, fn: Callable[[], T]) -> T:
    """Run `fn`, turning a foreign exception into CorruptError(`fmt: why`)."""
    try:
        return fn()
    except _OURS:
        raise
    except MemoryError:
        raise LimitExceeded("max_text_bytes", "parser ran out of memory") from None
    except RecursionError:
        raise corrupt(fmt, "nested too deeply") from None
    except Exception:
        raise corrupt(fmt, why) from None


def guarded(fmt: str, pieces: Iterable[str], why: str = "parser failed") -> Iterator[str]:
    """Iterate `pieces`, turning any foreign exception into CorruptError.

    The text yielded before the failure has already reached the consumer, so
    a damaged file still gives up what could be read.
    """
    it = iter(pieces)
    while True:
        try:
            piece = next(it)
        except StopIteration:
            return
        except _OURS:
            raise
        except MemoryError:
            raise LimitExceeded("max_text_bytes", "parser ran out of memory") from None
        except RecursionError:
            raise corrupt(fmt, "nested too deeply") from None
        except Exception:
            raise corrupt(fmt, why) from None
        yield piece


def capped(pieces: Iterable[str], ctx: ExploreContext) -> Iterator[str]:
    """Yield text until `max_text_bytes` characters, then stop (keeping what was read).

    Used by formats whose parser holds the document in memory; a document
    cut short is counted in `ctx.counters["text_truncated"]`.
    """
    left = ctx.limits.max_text_bytes
    for piece in pieces:
        if len(piece) >= left:
            if left:
                yield piece[:left]
            ctx.counters["text_truncated"] = ctx.counters.get("text_truncated", 0) + 1
            return
        left -= len(piece)
        if piece:
            yield piece


class FieldSink:
    """Collects Field hints up to MAX_FIELDS; counts the ones it drops."""

    def __init__(self, ctx: ExploreContext, limit: int = MAX_FIELDS):
        self.fields: list[Field] = []
        self._ctx = ctx
        self._limit = limit

    def add(self, label: str, value: str, start: int) -> None:
        if not value or not value.strip():
            return
        if len(self.fields) >= self._limit:
            self._ctx.counters["fields_dropped"] = self._ctx.counters.get("fields_dropped", 0) + 1
            return
        self.fields.append(Field(label, value, start))


def prefetch(pieces: Iterable[str], ctx: ExploreContext) -> Iterator[str]:
    """Read the first analysis unit (`chunk_chars`) now, the rest as it is consumed.

    Errors in the first part then surface at the extractor call, and the
    Fields that label that part exist when the extractor returns (later
    Fields are appended as the remaining chunks are read).
    """
    it = iter(pieces)
    head: list[str] = []
    size = 0
    for piece in it:
        head.append(piece)
        size += len(piece)
        if size >= ctx.limits.chunk_chars:
            break
    return itertools.chain(head, it)
