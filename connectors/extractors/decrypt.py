"""Office files encrypted with Excel's default password ("VelvetSweatshop"), read without one.

Excel encrypts a workbook that is only write-protected ("read-only recommended",
a protected structure) with the fixed password "VelvetSweatshop", so anyone can
open it. msoffcrypto-tool decrypts it; the decrypted bytes are then read by the
extractor for what they turn out to be. Any other password leaves the file
recorded `encrypted`: pdsweep never guesses passwords.
"""
from __future__ import annotations

import functools
import io
from typing import Callable

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import EncryptedError
from ..limits import LimitExceeded

DEFAULT_PASSWORD = "VelvetSweatshop"


class _CappedWriter(io.RawIOBase):
    """The decrypted bytes, refused past max_member_bytes (an encrypted package cannot amplify
    much, but its header states the size and may lie)."""

    def __init__(self, limit: int):
        self.buf = io.BytesIO()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.buf.tell() + len(data) > self.limit:
            raise LimitExceeded("max_member_bytes", "decrypted package")
        return self.buf.write(data)


def decrypt_default(blob: Blob, ctx: ExploreContext) -> Blob | None:
    """The file decrypted with the default password, or None when it needs another."""
    import msoffcrypto

    with blob.open() as f:
        try:
            office = msoffcrypto.OfficeFile(f)
            if not office.is_encrypted():
                return None
            office.load_key(password=DEFAULT_PASSWORD, **_verify(office))
            out = _CappedWriter(ctx.limits.max_member_bytes)
            office.decrypt(out)
        except LimitExceeded:
            raise
        except Exception:   # wrong password, unsupported cipher, damaged header: still encrypted
            return None
    data = out.buf.getvalue()
    if not data:
        return None
    return Blob(blob.location, len(data), mtime=blob.mtime, owner=blob.owner, data=data)


def _verify(office) -> dict:
    # OOXML decryption checks the password only when asked; the binary formats always do.
    from msoffcrypto.format.ooxml import OOXMLFile

    return {"verify_password": True} if isinstance(office, OOXMLFile) else {}


def extract_encrypted_office(blob: Blob, ctx: ExploreContext) -> Extracted:
    """An encrypted OLE package (encrypted .docx/.xlsx/.pptx): read if the default password opens it."""
    plain = decrypt_default(blob, ctx)
    if plain is None:
        raise EncryptedError("office: password protected")
    from . import extractor_for
    from ..sniff import sniff

    extractor = extractor_for(sniff(plain), plain)
    if extractor is None or extractor is extract_encrypted_office:
        raise EncryptedError("office: password protected")
    return extractor(plain, ctx)


def with_default_password(extractor: Callable[[Blob, ExploreContext], Extracted]):
    """A binary-format extractor (.doc/.xls/.ppt) that retries with the default password."""
    @functools.wraps(extractor)
    def extract(blob: Blob, ctx: ExploreContext) -> Extracted:
        try:
            return extractor(blob, ctx)
        except EncryptedError:
            plain = decrypt_default(blob, ctx)
            if plain is None:
                raise
        return extractor(plain, ctx)

    return extract
