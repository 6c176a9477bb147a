"""Call recordings: tags, duration and start time, and speech to text (see extract.py).

Kept light: the decoders, numpy and the speech engines load on first use.
"""
from __future__ import annotations

AUDIO_MIMES = frozenset({
    "audio/x-wav", "audio/wav", "audio/vnd.wave", "audio/wave", "audio/mpeg", "audio/mp3", "audio/ogg",
    "audio/opus", "audio/flac", "audio/x-flac", "audio/x-m4a", "audio/mp4", "audio/aac",
    "audio/x-hx-aac-adts",
    "audio/x-gsm", "audio/basic",
})


def is_audio(mime: str) -> bool:
    return mime in AUDIO_MIMES or mime.startswith("audio/")
