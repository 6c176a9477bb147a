"""Tags and duration of a recording: WAV through riff.py, everything else through mutagen.

MP3 ID3 frames, Vorbis comments (OGG Vorbis, Opus, FLAC) and M4A atoms are
turned into `Label: value` lines. Recorders put the caller's number, the
extension and the agent's name in these, so they are read even when
transcription is off.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..blob import Blob
from .riff import WavInfo, read_wav_info

_MAX_VALUE_CHARS = 1000
_SKIP_FRAMES = ("APIC", "covr", "METADATA_BLOCK_PICTURE", "PRIV", "GEOB", "MCDI")   # pictures and binary data
# M4A atom names, as mutagen reports them (© written \xa9), to readable labels.
_M4A_LABELS = {"\xa9nam": "Title", "\xa9ART": "Artist", "\xa9cmt": "Comment", "\xa9day": "Date",
               "\xa9alb": "Album", "aART": "Album artist", "desc": "Description", "\xa9wrt": "Composer"}
# The date tags that say when a call started, in the order they are trusted.
_DATE_LABELS = ("Origination", "TDRC", "Date", "DATE", "creation_time", "ICRD", "TDAT")


@dataclass
class MediaInfo:
    duration_s: float | None = None
    started: str = ""                               # as the file says it: "2024-03-11 09:15:00"
    tags: list[tuple[str, str]] = field(default_factory=list)
    wav: WavInfo | None = None
    rate: int | None = None                         # samples per second, where the header says

    def text(self) -> str:
        return "".join(f"{label}: {value}\n" for label, value in self.tags)


def media_info(blob: Blob, mime: str) -> MediaInfo:
    """Tags and duration; a file mutagen cannot parse still gives an empty MediaInfo."""
    if "wav" in mime:
        with blob.open() as f:
            wav = read_wav_info(f, blob.size)
        info = MediaInfo(wav.duration_s, wav.origination, list(wav.tags), wav, wav.rate or None)
        info.started = wav.origination or _first_date(info.tags)
        return info
    return _mutagen_info(blob)


def _mutagen_info(blob: Blob) -> MediaInfo:
    import mutagen   # only where a non-WAV recording is met

    try:
        with blob.open() as f:
            parsed = mutagen.File(f)     # seeks to the tags: the audio itself is not read
    except Exception:   # mutagen raises its own family and more on odd files: the tags are a bonus
        return MediaInfo()
    if parsed is None:
        return MediaInfo()
    duration = getattr(getattr(parsed, "info", None), "length", None)
    rate = getattr(getattr(parsed, "info", None), "sample_rate", None) or _opus_input_rate(blob.head())
    tags = _tag_pairs(parsed.tags) if parsed.tags is not None else []
    return MediaInfo(float(duration) if duration else None, _first_date(tags), tags,
                     rate=int(rate) if isinstance(rate, (int, float)) and rate > 0 else None)


def _opus_input_rate(head: bytes) -> int | None:
    """The rate an Opus stream was made from (OpusHead), which mutagen does not give: Opus always
    decodes at 48 kHz, but a call coded from 8 kHz holds nothing above 4 kHz."""
    at = head.find(b"OpusHead")
    if at < 0 or len(head) < at + 16:
        return None
    return struct.unpack_from("<I", head, at + 12)[0] or None


def _tag_pairs(tags) -> list[tuple[str, str]]:
    pairs = []
    for key, value in (tags.items() if hasattr(tags, "items") else tags):
        label = str(key).split(":", 1)[0]
        if label in _SKIP_FRAMES:
            continue
        for text in _values(value):
            if text.strip():
                pairs.append((_M4A_LABELS.get(label, label), text.strip()[:_MAX_VALUE_CHARS]))
    return pairs


def _values(value) -> list[str]:
    if hasattr(value, "text"):           # an ID3 frame
        return [str(v) for v in value.text]
    if isinstance(value, (list, tuple)):
        return [v for v in (str(x) for x in value if not isinstance(x, (bytes, bytearray)))]
    if isinstance(value, (bytes, bytearray)):
        return []
    return [str(value)]


def _first_date(tags: list[tuple[str, str]]) -> str:
    found = dict(reversed(tags))
    return next((found[label] for label in _DATE_LABELS if found.get(label)), "")
