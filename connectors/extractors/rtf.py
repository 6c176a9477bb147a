"""RTF, read by our own reader (rtf_parse). The whole file is read at once, up to max_member_bytes."""
from __future__ import annotations

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from .common import call_guarded, capped, corrupt
from .rtf_parse import RtfError, rtf_text

_MAX_CONTROL_SHARE = 0.01   # RTF is 7-bit text; raw control bytes in its text mean damage


def _read(data: bytes) -> str:
    try:
        text, controls = rtf_text(data.decode("latin-1"))   # 1 byte = 1 char: \bin lengths stay true
    except RtfError:
        raise corrupt("rtf", "not a complete rtf document") from None
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise corrupt("rtf", "not a complete rtf document")
    return text


def extract_rtf(blob: Blob, ctx: ExploreContext) -> Extracted:
    data = blob.read_all(ctx.limits.max_member_bytes)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise corrupt("rtf", "not a complete rtf document")
    text = call_guarded("rtf", "parser failed", lambda: _read(data))
    return Extracted(capped([text], ctx))
