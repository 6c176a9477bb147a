"""JSON: every key and scalar value as `key: value` lines, with the key as a Field label.

A document up to `max_text_bytes` is parsed whole (JSON Lines too). A larger
one, or one that does not parse (truncated logs, JSON with comments), is read
as a stream of string literals, so its values are still scanned and memory
stays bounded.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import FieldSink, call_guarded, guarded
from .encoding import guess_encoding
from .plain import iter_decoded

_STRING = re.compile(r'"((?:[^"\\\n]|\\.){0,65536})"', re.S)
_TAIL_KEEP = 70_000        # characters carried between pieces: an unfinished string literal
_MAX_NESTING = 500


def _walk(node, key: str, sink: FieldSink, out: list[str], pos: list[int], depth: int = 0) -> None:
    """Flatten into lines (iteratively deep structures are refused by json itself)."""
    if depth > _MAX_NESTING:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, str(k), sink, out, pos, depth + 1)
        return
    if isinstance(node, list):
        for v in node:
            _walk(v, key, sink, out, pos, depth + 1)
        return
    if node is None or isinstance(node, bool):
        return
    value = str(node)
    prefix = f"{key}: " if key else ""
    sink.add(key or "value", value, pos[0] + len(prefix))
    line = f"{prefix}{value}\n"
    out.append(line)
    pos[0] += len(line)


def _parse_whole(text: str):
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        # JSON Lines: one document per non-empty line, all of them valid.
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def _whole(text: str, sink: FieldSink) -> Iterator[str]:
    docs = _parse_whole(text)
    out: list[str] = []
    pos = [0]
    for doc in docs:
        _walk(doc, "", sink, out, pos)
    yield "".join(out)


def _strings(pieces: Iterator[str]) -> Iterator[str]:
    """Every string literal (keys and values), one per line, from decoded pieces."""
    carry = ""
    for piece in pieces:
        buf = carry + piece
        end = 0
        out = []
        for m in _STRING.finditer(buf):
            out.append(_unescape(m.group(1)) + "\n")
            end = m.end()
        carry = buf[end:][-_TAIL_KEEP:]
        if out:
            yield "".join(out)


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    try:
        return json.loads(f'"{s}"')
    except ValueError:
        return s


def extract_json(blob: Blob, ctx: ExploreContext) -> Extracted:
    sink = FieldSink(ctx)
    encoding = guess_encoding(blob.head())
    if blob.size <= ctx.limits.max_text_bytes:
        text = call_guarded("json", "unreadable", lambda: blob.read_all(ctx.limits.max_text_bytes)
                            .decode(encoding, errors="replace"))
        try:
            chunks = list(_whole(text, sink))
            return Extracted(chunks, sink.fields)
        except (ValueError, RecursionError):
            sink.fields.clear()
            return Extracted(guarded("json", _strings(iter([text]))))
    return Extracted(guarded("json", _strings(iter_decoded(blob, encoding))))
