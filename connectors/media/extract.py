"""A call recording's text: its tags, then one line per stretch of speech with its time range.

    Artist: Jane Smith
    [00:03.2-00:09.8] hello this is jane smith calling
    [00:03.2-00:09.8] (spelled) oh one one three two eight five four four one seven
    [00:03.2-00:09.8] (possible) 01138854417

A `(possible)` line is a reading the engine scored nearly as likely as the `(spelled)` one beside it
(connectors/media/number_pass.py): a number that may have been said there, found by `find` and shown
by `sar` as such.

The time range opens each transcript line, so the excerpt `sar` shows for a
finding (its line) carries where in the call it was said. `Extracted.spoken`
tells the scanner to write spoken forms out (detectors.spoken) before the
recognisers read the text.
"""
from __future__ import annotations

import os
from typing import Iterator

from ..blob import Blob
from ..context import ExploreContext
from ..document import Extracted
from ..errors import UnsupportedError
from ..limits import LimitExceeded
from . import AUDIO_MIMES
from .decode import decode_16k
from .speech import BYTES_PER_SECOND, Segment, load_engine, no_progress
from .tags import MediaInfo, media_info


def extract_audio(blob: Blob, ctx: ExploreContext) -> Extracted:
    info = media_info(blob, _mime_of(blob))
    return Extracted(_lines(blob, ctx, info), spoken=True)


def _mime_of(blob: Blob) -> str:
    head = blob.head()
    return "audio/x-wav" if head[:4] == b"RIFF" and head[8:12] == b"WAVE" else "audio/other"


def _lines(blob: Blob, ctx: ExploreContext, info: MediaInfo) -> Iterator[str]:
    if info.tags:
        yield info.text()
    if not ctx.audio.transcribe:
        return
    wanted = ctx.limits.max_audio_minutes * 60
    if info.duration_s is not None:
        wanted = min(wanted, info.duration_s + 1)
    granted = ctx.audio_clock.grant(wanted) if ctx.audio_clock else wanted
    if granted < min(wanted, 1.0):      # less than a second of the scan's audio budget left
        raise LimitExceeded("max_audio_hours")
    yield from _transcript(blob, ctx, info, granted)
    over = info.duration_s is not None and info.duration_s > granted + 0.5
    if over:
        cut_by_scan = ctx.audio_clock is not None and granted < ctx.limits.max_audio_minutes * 60
        raise LimitExceeded("max_audio_hours" if cut_by_scan else "max_audio_minutes",
                            f"{info.duration_s / 60:.1f} min recording")


def _transcript(blob: Blob, ctx: ExploreContext, info: MediaInfo, seconds: float) -> Iterator[str]:
    engine = load_engine(ctx.audio.engine, ctx.audio.model_dir)   # once per worker: not charged to the file
    progress = ctx.progress or no_progress
    progress()        # nor to its time limit: loading Whisper on a loaded machine takes tens of seconds
    started = _cpu_seconds()
    pcm = decode_16k(blob, info, seconds, ctx.tmpdir)
    if not pcm:
        raise UnsupportedError("audio: no samples")
    progress()
    # Each window re-arms the time limit: a long call is many steps, not one (an hour's recording
    # takes ~20 CPU minutes with Whisper, and was cut off whole at doc_timeout_s).
    segments = engine.transcribe(pcm, progress=progress)
    audio_s = len(pcm) / BYTES_PER_SECOND
    cpu_s = _cpu_seconds() - started
    ctx.counters["audio_seconds"] = ctx.counters.get("audio_seconds", 0.0) + audio_s
    ctx.counters["audio_cpu_seconds"] = ctx.counters.get("audio_cpu_seconds", 0.0) + cpu_s
    if ctx.audio_clock is not None:
        ctx.audio_clock.spend(audio_s, cpu_s)
    for segment in segments:
        yield transcript_line(segment)


def _cpu_seconds() -> float:
    """This process's CPU time and its children's (ffmpeg), for the x-real-time figure."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


MARKED_KINDS = ("spelled", "possible")       # the lines not of the free transcript, marked by their kind


def transcript_line(segment: Segment) -> str:
    marker = f"({segment.kind}) " if segment.kind in MARKED_KINDS else ""
    return f"[{clock(segment.start_s)}-{clock(segment.end_s)}] {marker}{segment.text}\n"


def clock(seconds: float) -> str:
    """mm:ss.s, or h:mm:ss.s past an hour."""
    hours, rest = divmod(max(seconds, 0.0), 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{int(hours)}:" if hours else "") + f"{int(minutes):02d}:{secs:04.1f}"


__all__ = ["extract_audio", "AUDIO_MIMES", "transcript_line", "clock"]
