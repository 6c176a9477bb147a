"""Removing the subject's values from an email (.eml), whatever the transfer encoding.

Values written plainly (7bit/8bit bodies, plain headers) are replaced byte for
byte, as in any text file, so the rest of the message stays exactly as it was.
What raw bytes hide is then decoded and redacted: quoted-printable and base64
text parts (re-encoded the same way, in their own charset where it can hold the
result) and RFC 2047 encoded words in headers (each chunk re-encoded in its own
charset, so an address header keeps its structure). Attachments that are not
text are left to their own plan actions.
"""
from __future__ import annotations

import base64
import email
import quopri
from email.header import Header, decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import formataddr, getaddresses

from .redact_text import redact_text, replace_values

_ENCODED = ("base64", "quoted-printable")
_ADDRESS_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
                    "resent-sender", "disposition-notification-to", "return-receipt-to"}


def redact_message(raw: bytes, values: set[str]) -> bytes:
    raw = redact_text(raw, values)
    # compat32 keeps every header it is not told to change exactly as it was read.
    message = email.message_from_bytes(raw, policy=compat32)
    changed = False
    for part in message.walk():
        changed |= _redact_encoded_headers(part, values)
        if not part.is_multipart() and part.get_content_maintype() == "text":
            changed |= _redact_encoded_body(part, values)
    if not changed:
        return raw
    linesep = "\r\n" if b"\r\n" in raw[:raw.find(b"\n\n") if b"\n\n" in raw else 8192] else "\n"
    return message.as_bytes(policy=compat32.clone(linesep=linesep))


def _redact_encoded_body(part: Message, values: set[str]) -> bool:
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if cte not in _ENCODED:
        return False
    charset = part.get_content_charset() or "us-ascii"
    try:
        text = part.get_payload(decode=True).decode(charset)
    except (LookupError, UnicodeDecodeError):
        return False           # an unreadable part: the rescan's verification will say if values remain
    new = replace_values(text, values)
    if new == text:
        return False
    try:
        data = new.encode(charset)
    except (LookupError, UnicodeEncodeError):
        data = new.encode("utf-8")
        part.set_param("charset", "utf-8")
    encoded = base64.encodebytes(data) if cte == "base64" else quopri.encodestring(data)
    part.set_payload(encoded.decode("ascii"))
    return True


def _redact_encoded_headers(part: Message, values: set[str]) -> bool:
    changed = False
    for name, value in list(part.items()):
        if not isinstance(value, str) or "=?" not in value:
            continue
        try:
            decoded = str(make_header(decode_header(value)))
        except Exception:          # a malformed encoded word: left as it is (the rescan will tell)
            continue
        if replace_values(decoded, values) == decoded:
            continue
        if name.lower() in _ADDRESS_HEADERS:
            # Each display name and address on its own, re-encoded as RFC 2047 wants: the header
            # stays a list of addresses.
            new = ", ".join(formataddr((replace_values(n, values), replace_values(a, values)), charset="utf-8")
                            for n, a in getaddresses([decoded]))
        else:
            text = replace_values(decoded, values)
            new = Header(text, "us-ascii" if text.isascii() else "utf-8").encode()
        part.replace_header(name, new)
        changed = True
    return changed
