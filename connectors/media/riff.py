"""WAV in pure Python: the fmt and data chunks, LIST/INFO tags and the BWF `bext` chunk.

Telephony recorders write 16-bit PCM, G.711 μ-law or A-law, sometimes GSM 6.10.
The first three decode here with numpy lookup tables, so a recording is
transcribed without ffmpeg; anything else (GSM, ADPCM) is left to ffmpeg/sox.
Every length is checked against the file, so a truncated or hostile header
is a CorruptError, never an over-read.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from ..errors import CorruptError

PCM, IEEE_FLOAT, ALAW, MULAW, GSM610, EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0x0031, 0xFFFE
DECODABLE = {PCM, IEEE_FLOAT, ALAW, MULAW}
_MAX_CHUNKS = 4096
_MAX_TAG_BYTES = 64 * 1024

# LIST/INFO ids a recorder fills in, with the label they are reported under.
INFO_LABELS = {
    b"INAM": "Title", b"IART": "Artist", b"ICMT": "Comment", b"ICRD": "Date", b"ISBJ": "Subject",
    b"IKEY": "Keywords", b"ISRC": "Source", b"ITCH": "Technician", b"IENG": "Engineer",
    b"IPRD": "Product", b"ICOP": "Copyright", b"ISFT": "Software", b"IGNR": "Genre",
}


@dataclass
class WavInfo:
    format_tag: int = 0
    channels: int = 0
    rate: int = 0
    bits: int = 0
    data_offset: int = 0
    data_bytes: int = 0
    tags: list[tuple[str, str]] = field(default_factory=list)
    origination: str = ""          # BWF OriginationDate + OriginationTime, "2024-03-11 09:15:00"

    @property
    def duration_s(self) -> float:
        frame = self.channels * max(self.bits // 8, 1)
        if self.format_tag == GSM610:      # 65 bytes hold 320 samples
            return self.data_bytes / 65 * 320 / self.rate if self.rate else 0.0
        return self.data_bytes / frame / self.rate if self.rate and frame else 0.0


def read_wav_info(f: BinaryIO, size: int) -> WavInfo:
    """Walk the RIFF chunks: format, where the samples are, and the tags."""
    riff = f.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
        raise CorruptError("wav: not a RIFF/WAVE file")
    info, at = WavInfo(), 12
    for _ in range(_MAX_CHUNKS):
        header = f.read(8)
        if len(header) < 8:
            break
        cid, length = header[:4], struct.unpack("<I", header[4:])[0]
        body_at = at + 8
        if cid == b"data":
            info.data_offset, info.data_bytes = body_at, min(length, max(size - body_at, 0))
        elif cid in (b"fmt ", b"LIST", b"bext"):
            _read_chunk(info, cid, f.read(min(length, _MAX_TAG_BYTES)))
        at = body_at + length + (length & 1)
        if at >= size:
            break
        f.seek(at)
    if not info.rate or not info.channels:
        raise CorruptError("wav: no fmt chunk")
    if not info.data_offset:
        raise CorruptError("wav: no data chunk")
    return info


def _read_chunk(info: WavInfo, cid: bytes, body: bytes) -> None:
    if cid == b"fmt ":
        if len(body) < 16:
            raise CorruptError("wav: short fmt chunk")
        info.format_tag, info.channels, info.rate, _, _, info.bits = struct.unpack("<HHIIHH", body[:16])
        if info.format_tag == EXTENSIBLE and len(body) >= 26:
            info.format_tag = struct.unpack("<H", body[24:26])[0]    # the sub-format GUID's first two bytes
    elif cid == b"LIST" and body[:4] == b"INFO":
        info.tags.extend(_info_tags(body[4:]))
    elif cid == b"bext":
        info.tags.extend(_bext_tags(body))
        if len(body) >= 338:
            info.origination = (_text(body[320:330]) + " " + _text(body[330:338]).replace("-", ":")).strip()


def _info_tags(body: bytes) -> list[tuple[str, str]]:
    tags, at = [], 0
    while at + 8 <= len(body):
        sub, length = body[at:at + 4], struct.unpack("<I", body[at + 4:at + 8])[0]
        value = _text(body[at + 8:at + 8 + length])
        if value:
            tags.append((INFO_LABELS.get(sub, sub.decode("latin-1")), value))
        at += 8 + length + (length & 1)
    return tags


def _bext_tags(body: bytes) -> list[tuple[str, str]]:
    """BWF: Description (256), Originator (32), OriginatorReference (32)."""
    fields = (("Description", 0, 256), ("Originator", 256, 288), ("OriginatorReference", 288, 320))
    return [(label, _text(body[a:b])) for label, a, b in fields if _text(body[a:b])]


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def decode_blocks(f: BinaryIO, info: WavInfo, max_seconds: float, block_s: float = 30.0):
    """Mono float32 samples in [-1, 1], `block_s` seconds at a time, at most `max_seconds` in all
    (an hour of 48 kHz stereo is never held whole)."""
    if info.format_tag not in DECODABLE:
        raise CorruptError(f"wav: format 0x{info.format_tag:04x} needs ffmpeg")
    width = 1 if info.format_tag in (ALAW, MULAW) else info.bits // 8
    if width not in (1, 2, 3, 4):
        raise CorruptError(f"wav: {info.bits}-bit samples")
    frame = width * info.channels
    left = min(info.data_bytes // frame, int(max_seconds * info.rate))
    step = max(int(block_s * info.rate), 1)
    f.seek(info.data_offset)
    while left > 0:
        raw = f.read(min(step, left) * frame)
        usable = len(raw) // frame * frame
        if not usable:
            return
        left -= usable // frame
        yield _to_float(raw[:usable], info.format_tag, width).reshape(-1, info.channels).mean(axis=1)


def _to_float(raw: bytes, tag: int, width: int) -> np.ndarray:
    if tag == MULAW:
        return _MULAW[np.frombuffer(raw, np.uint8)]
    if tag == ALAW:
        return _ALAW[np.frombuffer(raw, np.uint8)]
    if tag == IEEE_FLOAT:
        return np.frombuffer(raw, "<f4" if width == 4 else "<f8").astype(np.float32)
    if width == 1:
        return (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    if width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        return ((b[:, 0] << 8 | b[:, 1] << 16 | b[:, 2] << 24) >> 8).astype(np.float32) / 8388608
    dtype = "<i2" if width == 2 else "<i4"
    return np.frombuffer(raw, dtype).astype(np.float32) / (32768 if width == 2 else 2147483648)


def _g711_tables() -> tuple[np.ndarray, np.ndarray]:
    """ITU-T G.711 expansion of every byte value, as floats."""
    mu, a = np.zeros(256, np.float32), np.zeros(256, np.float32)
    for byte in range(256):
        u = ~byte & 0xFF
        magnitude = (((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 0x07)
        mu[byte] = (0x84 - magnitude if u & 0x80 else magnitude - 0x84) / 32768
        v = byte ^ 0x55
        seg, mant = (v >> 4) & 0x07, v & 0x0F
        magnitude = (mant << 4) + 8 if seg == 0 else ((mant << 4) + 0x108) << (seg - 1)
        a[byte] = (magnitude if v & 0x80 else -magnitude) / 32768
    return mu, a


_MULAW, _ALAW = _g711_tables()
