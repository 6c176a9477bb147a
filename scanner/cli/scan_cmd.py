"""`pdsweep scan`: build or update the inventory."""
from __future__ import annotations

import atexit
import gc
import json
from typing import TYPE_CHECKING

import click

from connectors import Limits
from connectors.media.settings import ENGINES, AudioSettings
from connectors.source import SourceSettings
from detectors import DetectorSettings

from ..config import ScanConfig, default_workers
from ..pool_server import EarlyServer, kill_server_at_exit
from .options import (cluster_options, handle_errors, inventory_option, key_option, resolve_inventory,
                      s3_endpoint_option, smb_credentials_option, tenant_option)

if TYPE_CHECKING:
    from ..scan import ScanSummary


@click.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@inventory_option
@key_option
@click.option("--workers", "-w", type=click.IntRange(1, 256), default=None,
              help="Worker processes. Default: the number of cores.")
@click.option("--exclude", multiple=True, type=click.Path(), help="Path to leave out (repeatable).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Minimum detector score for every entity type (overrides the per-type defaults).")
@click.option("--no-ner", is_flag=True, help="Cheap recognisers only: no spaCy NER for names.")
@click.option("--ner", "ner_mode", type=click.Choice(["now", "deferred"]), default="now", show_default=True,
              help="deferred: scan without the NER pass (about half the time); find, sar, erase and report "
                   "run it first on the files their answer depends on, so every answer is the same "
                   "(`pdsweep label` runs it on all).")
@click.option("--no-ocr", is_flag=True,
              help="No OCR: scans, photos and image-only PDF pages are recorded without their text.")
@click.option("--model", default=DetectorSettings().model, show_default=True, help="spaCy model package.")
@click.option("--no-audio", is_flag=True,
              help="Do not transcribe recordings (their file names and tags are still read).")
@click.option("--audio-engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="Speech engine. auto: Whisper base where pdsweep[whisper] is installed, else "
                   "pocketsphinx. vosk and whisper-cpp need --audio-model.")
@click.option("--audio-model", type=click.Path(exists=True), default=None,
              help="Model directory (or whisper.cpp model file) for --audio-engine.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Format of the end-of-scan summary.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@smb_credentials_option
@tenant_option
@s3_endpoint_option
@handle_errors
@cluster_options
def scan_command(paths, inventory, key_path, workers, exclude, min_score, no_ner, ner_mode, no_ocr, model, no_audio,
                 audio_engine, audio_model, fmt, quiet, smb_credentials,
                 tenant, s3_endpoint, cluster):
    """Scan files, directories, mailboxes and backups into the inventory.

    Unchanged files (same size, mtime and inode) are skipped without being
    read; deleted files are marked gone. Exit 0 when the scan completed, even
    with skipped or unreadable items (they are in the summary and the
    inventory); 1 when the scan itself failed; 2 for usage errors, among them
    a path that does not exist or cannot be read at all (nothing is written).

    PATHS may be smb://[user@]host[:port]/share[/path] to scan a Windows or
    Samba share without mounting it.

    Example:

        pdsweep scan /srv/share /srv/backups --inventory /var/lib/pdsweep

        pdsweep scan smb://svc-scan@fileserver/Finance --smb-credentials /etc/pdsweep/smb.cred

        pdsweep scan /srv/acme --tenant acme --inventory /var/lib/pdsweep/acme --key /etc/pdsweep/acme.key

        pdsweep scan /srv/share --cluster tls://sched:8786 --tls-ca ca.pem --tls-cert me.pem --tls-key me.key
    """
    config = ScanConfig(
        inventory=resolve_inventory(inventory), key_path=key_path,
        workers=workers or default_workers(), excludes=tuple(exclude), isolate_workers=True, tenant=tenant,
        sources=SourceSettings(credentials_file=smb_credentials, s3_endpoint=s3_endpoint), limits=Limits(ocr=not no_ocr),
        detector=DetectorSettings(model=model, use_ner=not no_ner, min_score=min_score,
                                  ner_deferred=ner_mode == "deferred" and not no_ner),
        audio=AudioSettings(transcribe=not no_audio, engine=audio_engine, model_dir=audio_model),
        cluster=cluster, executor="dask" if cluster else "auto")
    # A first scan's workers' server preloads (~1.2 s) while this process imports the inventory
    # stack and walks: scanner.scan is imported after it has started. A rescan's starts with the
    # first file its walk finds to read, and preloads beside the rest of the walk.
    server = EarlyServer(config)
    kill_server_at_exit()
    # The process ends with the scan: Python's collections while it tears its modules down walked
    # every object the scan left (~0.1 s after the summary was printed); freezing them first skips
    # that. Memory goes back to the system either way.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    summary = None
    try:
        summary = _scan(list(paths), config, quiet, server.start)
    finally:
        server.close(forked=summary is not None and summary.files_read > 0)
    if fmt == "json":
        click.echo(json.dumps(summary_dict(summary), indent=2))
    else:
        print_summary(summary, config.inventory)


def _scan(paths: list[str], config: ScanConfig, quiet: bool, on_first_read) -> ScanSummary:
    # Imported once the workers' server has started (the progress bar's `rich`: ~25 ms sooner).
    from ..scan import check_roots, run_scan
    from .progress import make_progress

    check_roots(paths)
    progress = make_progress(quiet)
    try:
        return run_scan(paths, config, progress=progress.update if progress else None,
                        on_walk_done=progress.walk_done if progress else None, on_first_read=on_first_read)
    finally:
        if progress:
            progress.close()


def summary_dict(s: ScanSummary) -> dict:
    return dict(scan_id=s.scan_id, status=s.status, roots=s.roots, files=s.files, files_read=s.files_read,
                files_unchanged=s.files_unchanged, bytes_total=s.bytes_total, bytes_read=s.bytes_read,
                locations=s.locations, analysed=s.analysed, ocr_pages=s.ocr_pages, findings=s.findings,
                findings_by_type=dict(s.entity_counts.most_common()), skipped=s.skipped, errors=s.errors,
                gone=s.gone, reasons=dict(s.reasons.most_common()), seconds=round(s.seconds, 3),
                audio_hours=round(s.audio_seconds / 3600, 4), audio_x_real_time=round(s.audio_speed, 2),
                suppressed=[dict(location=h["location"], request_id=h["request_id"]) for h in s.suppressed])


def print_summary(s: ScanSummary, inventory: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]Scan {s.scan_id} {s.status}[/] in {s.seconds:.1f} s → {inventory}")
    console.print(f"  files: {s.files} ({s.bytes_total / 1e6:.1f} MB); read {s.files_read} "
                  f"({s.bytes_read / 1e6:.1f} MB), unchanged {s.files_unchanged}, gone {s.gone}")
    console.print(f"  locations written: {s.locations}; unique contents analysed: {s.analysed}; "
                  f"pages OCR'd: {s.ocr_pages}")
    if s.audio_seconds:
        console.print(f"  audio transcribed: {s.audio_seconds / 3600:.2f} h at {s.audio_speed:.1f}x real time per core")
    if s.entity_counts:
        table = Table("entity type", "findings", title="Findings by entity type")
        for etype, n in s.entity_counts.most_common():
            table.add_row(etype, str(n))
        console.print(table)
    if s.suppressed:
        console.print(f"[bold red]  {len(s.suppressed)} location(s) hold data of an erased subject "
                      "(suppression register): see `pdsweep suppressed`[/]")
        for hit in s.suppressed[:10]:
            console.print(f"    {hit['location']}  (request {hit['request_id']})")
    if s.reasons:
        table = Table("status: reason", "count", title=f"Skipped {s.skipped}, errors {s.errors}")
        for reason, n in s.reasons.most_common(20):
            table.add_row(reason, str(n))
        console.print(table)
