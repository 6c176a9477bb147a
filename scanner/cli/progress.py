"""Scan progress: a rich bar on a terminal, a plain log line every few seconds otherwise.

Only counts and sizes are shown, never file content.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click
from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn, TransferSpeedColumn)

if TYPE_CHECKING:   # annotations only: the scan command imports this before scanner.scan (pool_server.py)
    from ..scan import ScanSummary


class PlainProgress:
    def __init__(self, every_s: float = 10.0):
        self.every_s = every_s
        self.last = 0.0
        self.started = time.monotonic()

    def walk_done(self, s: ScanSummary) -> None:
        click.echo(f"pdsweep: {s.files} files ({_mb(s.bytes_total)}), "
                   f"{s.files - s.files_unchanged} new or changed", err=True)

    def update(self, s: ScanSummary) -> None:
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            rate = s.bytes_read / max(now - self.started, 1e-6)
            click.echo(f"pdsweep: read {s.files_read} files, {_mb(s.bytes_read)} "
                       f"({_mb(rate)}/s), {s.ocr_pages} pages OCR'd, {_audio(s)}{s.findings} findings, "
                       f"{s.errors} errors{workers_text(s, now - self.started)}", err=True)

    def close(self) -> None:
        pass


class RichProgress:
    def __init__(self):
        self.progress = Progress(
            TextColumn("[bold]scan"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
            TextColumn("{task.fields[files]} files, {task.fields[pages]} pages OCR'd, "
                       "{task.fields[audio]}{task.fields[findings]} findings{task.fields[workers]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=None)
        self.task = None
        self.progress.start()

    def walk_done(self, s: ScanSummary) -> None:
        # Unchanged files are skipped without reading: the bar counts the bytes to read.
        self.task = self.progress.add_task("scan", total=max(s.bytes_to_read, 1),
                                           files=f"0/{s.files - s.files_unchanged}", findings=0, pages=0,
                                           audio="", workers="")
        self.started = time.monotonic()

    def update(self, s: ScanSummary) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=s.bytes_read, findings=s.findings, pages=s.ocr_pages,
                                 audio=_audio(s), workers=workers_text(s, time.monotonic() - self.started),
                                 files=f"{s.files_read}/{s.files - s.files_unchanged}")

    def close(self) -> None:
        self.progress.stop()


def workers_text(s: ScanSummary, elapsed: float, most: int = 4) -> str:
    """On a cluster: how many workers have returned work, and each one's read rate."""
    if not s.worker_bytes:
        return ""
    rates = sorted(((n / max(elapsed, 1e-6), w) for w, n in s.worker_bytes.items()), reverse=True)
    shown = ", ".join(f"{_short(w)} {_mb(r)}/s" for r, w in rates[:most])
    more = f", +{len(rates) - most} more" if len(rates) > most else ""
    return f"; {len(rates)} workers: {shown}{more}"


def _short(worker: str) -> str:
    return worker.split("://", 1)[-1]


def make_progress(quiet: bool):
    if quiet:
        return None
    return RichProgress() if sys.stderr.isatty() else PlainProgress()


def _audio(s: ScanSummary) -> str:
    """Minutes of recordings transcribed so far, once there are any."""
    return f"{s.audio_seconds / 60:.1f} audio min, " if s.audio_seconds else ""


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"
