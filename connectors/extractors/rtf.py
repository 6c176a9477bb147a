"""RTF (striprtf). The whole file is converted at once, so it is read up to max_member_bytes."""
from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import call_guarded, capped, corrupt

_BRACE = re.compile(rb"\\[\\{}]|[{}]")


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


def extract_rtf(blob: Blob, ctx: ExploreContext) -> Extracted:
    data = blob.read_all(ctx.limits.max_member_bytes)
    if not data.lstrip().startswith(b"{\\rtf") or not _balanced(data):
        raise corrupt("rtf", "not a complete rtf document")
    # RTF is 7-bit; \'xx escapes carry the code page, which striprtf decodes as cp1252.
    text = call_guarded("rtf", "parser failed",
                        lambda: rtf_to_text(data.decode("latin-1"), encoding="cp1252", errors="replace"))
    return Extracted(capped([text], ctx))
