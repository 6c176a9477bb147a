"""RTF (striprtf). The whole file is converted at once, so it is read up to max_member_bytes."""
from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import call_guarded, capped, corrupt

_BRACE = re.compile(rb"\\[\\{}]|[{}]")
_CONTROL = bytes([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20), 0x7f])
_MAX_CONTROL_SHARE = 0.01   # RTF is 7-bit text; raw control bytes mean damage (or rare \bin data)


def _balanced(data: bytes) -> bool:
    """Groups open and close in pairs: a truncated file leaves some open."""
    depth = 0
    for m in _BRACE.finditer(data):
        token = m.group()
        if token == b"{":
            depth += 1
        elif token == b"}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _garbled(data: bytes) -> bool:
    controls = len(data) - len(data.translate(None, _CONTROL))
    return controls > _MAX_CONTROL_SHARE * len(data)


def extract_rtf(blob: Blob, ctx: ExploreContext) -> Extracted:
    data = blob.read_all(ctx.limits.max_member_bytes)
    if not data.lstrip().startswith(b"{\\rtf") or not _balanced(data) or _garbled(data):
        raise corrupt("rtf", "not a complete rtf document")
    # RTF is 7-bit; \'xx escapes carry the code page, which striprtf decodes as cp1252.
    text = call_guarded("rtf", "parser failed",
                        lambda: rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace"))
    return Extracted(capped([text], ctx))
