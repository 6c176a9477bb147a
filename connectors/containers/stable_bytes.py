"""A message rendered to bytes the same way every time.

The stdlib generator gives a multipart message that has no boundary (one we build from a PST item,
an attached message whose boundary was lost) a random one, so the same message got a new content
hash on every read: copies of a mailbox never shared their analysis, and every rescan of a changed
PST analysed all its messages again. Here the boundary is drawn from the parts' own text instead,
with the stdlib's check that it does not occur in them.
"""
from __future__ import annotations

import hashlib
import io
import re
from email import policy as policies
from email.generator import BytesGenerator
from email.message import Message


class _StableBoundaries(BytesGenerator):
    @classmethod
    def _make_boundary(cls, text=None):
        raw = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else (text or b"")
        token = int(hashlib.sha256(raw).hexdigest()[:15], 16)
        boundary = "=" * 15 + f"{token:019d}" + "=="      # the stdlib's shape, a digest for its random number
        if text is None:
            return boundary
        chosen, counter = boundary, 0
        while cls._compile_re("^--" + re.escape(chosen) + "(--)?$", re.MULTILINE).search(text):
            chosen = f"{boundary}.{counter}"
            counter += 1
        return chosen


def message_bytes(msg: Message, policy=policies.default) -> bytes:
    """`msg.as_bytes(policy=policy)`, with boundaries that depend only on the message."""
    out = io.BytesIO()
    _StableBoundaries(out, mangle_from_=False, policy=policy).flatten(msg)
    return out.getvalue()
