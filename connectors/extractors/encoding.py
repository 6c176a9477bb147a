"""Text encoding from a file's first bytes: BOMs, UTF-16 without BOM, UTF-8, cp1252.

cp1252 is the fallback because it is what Windows file shares hold; it is a
superset of Latin-1's printable range, so Latin-1 files decode the same.
charset-normalizer is asked only to spot a non-Latin legacy encoding
(Cyrillic cp1251, Shift-JIS...): on short Western text it guesses among the
Latin code pages almost at random, and cp1252 reads all of them well enough.
"""
from __future__ import annotations

import codecs
import encodings

from charset_normalizer import from_bytes

_PRINTABLE_SHARE = 0.9    # of decoded characters, for a BOM-less UTF-16 guess
_ZERO_SHARE = 0.3         # of bytes at even (BE) or odd (LE) positions
_DETECT_BYTES = 16 * 1024
_LATIN = ("cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859", "mac_", "cp437", "cp850", "ascii")


def guess_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = utf16_without_bom(head)
    if utf16:
        return utf16
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the head
            return "utf-8"
    return legacy_encoding(head)


def legacy_encoding(head: bytes) -> str:
    """cp1252, unless the bytes are clearly in a non-Latin legacy encoding."""
    try:
        best = from_bytes(head[:_DETECT_BYTES]).best()
    except Exception:  # the detector is a heuristic; never let it fail a file
        return "cp1252"
    if best is None:
        return "cp1252"
    name = encodings.normalize_encoding(best.encoding).lower()
    return "cp1252" if name.startswith(_LATIN) else best.encoding


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the head reads as BOM-less UTF-16 text.

    Mostly-Latin UTF-16 has a zero byte in every other position; we also ask
    that the decoded head is printable, so binary data is not taken for text.
    """
    sample = head[: 8192 - 8192 % 2] if len(head) >= 2 else b""
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    zero_even = sample[0::2].count(0) / half
    zero_odd = sample[1::2].count(0) / half
    if zero_odd >= _ZERO_SHARE and zero_even < 0.05:
        candidate = "utf-16-le"
    elif zero_even >= _ZERO_SHARE and zero_odd < 0.05:
        candidate = "utf-16-be"
    else:
        return None
    text = sample.decode(candidate, errors="replace")
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    return candidate if printable / max(len(text), 1) >= _PRINTABLE_SHARE else None


def decode_head(head: bytes) -> str:
    """The head as text, for sniffing (a character cut at the end is dropped)."""
    return head.decode(guess_encoding(head), errors="ignore")
