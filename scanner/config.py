"""One frozen configuration, built at the edge (CLI or config file) and passed down."""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from connectors import Limits
from connectors.source import SourceSettings
from connectors.media.settings import AudioSettings
from detectors import DetectorSettings

from .cluster.settings import ClusterSettings

DEFAULT_INVENTORY = "pdsweep-inventory"
KEY_FILE_NAME = "key"


def default_inventory() -> str:
    """$PDSWEEP_INVENTORY, else ./pdsweep-inventory (documented in the README)."""
    return os.environ.get("PDSWEEP_INVENTORY") or os.path.abspath(DEFAULT_INVENTORY)


def key_path_for(inventory: str, key_path: str | None = None) -> str:
    """The one key resolver: the HMAC secret file given (--key, `key` in the config), else <inventory>/key."""
    return key_path or os.path.join(inventory, KEY_FILE_NAME)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@dataclass(frozen=True)
class ScanConfig:
    inventory: str
    key_path: str | None = None          # default: <inventory>/key
    workers: int = 1
    limits: Limits = field(default_factory=Limits)
    detector: DetectorSettings = field(default_factory=DetectorSettings)
    excludes: tuple[str, ...] = ()
    host: str = field(default_factory=socket.gethostname)
    scan_file_names: bool = True
    audio: AudioSettings = field(default_factory=AudioSettings)   # transcription switch and engine
    isolate_workers: bool = False        # True: even one worker runs in a child process the parent can kill
    worker_grace_s: float = 30.0         # a worker silent for doc_timeout_s + this is killed and replaced
    batch_files: int = 64                # small files handed to a worker at a time
    batch_bytes: int = 8 * 1024 * 1024   # ...or this many bytes, whichever comes first
    flush_rows: int = 50_000             # location rows buffered before a checkpoint is written
    flush_seconds: float = 30.0          # ...or this long since the last checkpoint
    sources: SourceSettings = field(default_factory=SourceSettings)   # credentials file, prompting
    executor: str = "auto"               # scanner/executors: auto | inprocess | pool | dask
    cluster: ClusterSettings | None = None   # the Dask scheduler, for executor "dask"
    tenant: str | None = None            # the MSP client this inventory belongs to (scanner/fleet/tenancy.py)

    @property
    def resolved_key_path(self) -> str:
        return key_path_for(self.inventory, self.key_path)
