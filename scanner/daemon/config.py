"""The daemon's configuration: roots to watch or re-crawl, built once from TOML or the CLI.

Every mistake in the file becomes one line naming the file and the key, and exit 2.
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass

from connectors import Limits
from connectors.errors import ConnectorError
from connectors.media.settings import ENGINES
from connectors.media.settings import AudioSettings
from connectors.ocr.engines import ENGINES as OCR_ENGINES
from connectors.source import Source, SourceSettings, inside, source_for
from detectors import DetectorSettings

from ..cluster.settings import cluster_settings
from ..config import ScanConfig, default_inventory, default_workers
from ..errors import UsageError

ROOT_KINDS = ("share", "mail", "backup")
DEFAULT_INTERVAL_S = 6 * 3600.0      # unwatched roots: re-crawl every 6 h unless told otherwise
# A watched smb:// root is re-crawled too: Samba reports changes made on its own disk (not through SMB)
# only in the root folder itself, and a notification lost with a connection is not re-sent.
DEFAULT_SMB_INTERVAL_S = 24 * 3600.0
DEFAULT_SMB_POLL_S = 300.0           # an SMB server without change notifications: walk the tree this often
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True)
class RootConfig:
    path: str                            # absolute local path, or a canonical URI (smb://host[:port]/share/path)
    kind: str = "share"
    watch: bool = True
    interval_s: float | None = None      # None: crawled at start-up (and on overflow) only
    excludes: tuple[str, ...] = ()
    user: str | None = None              # remote roots: the user named in the root's URI
    credentials: str | None = None       # remote roots: a credentials file (username=/password=/domain=)

    @property
    def reader(self) -> Source:
        """The root's source (connectors/source.py), with this root's credentials file."""
        return source_for(self.path, SourceSettings(credentials_file=self.credentials, prompt=False))

    @property
    def is_remote(self) -> bool:
        """Not on this machine's file system: checked off the main loop, watched by its source's feed."""
        return not self.reader.capabilities.local_files

    @property
    def source(self) -> str:
        """The root as written, with its user: what its credentials are resolved from."""
        return self.reader.with_user(self.path, self.user)


@dataclass(frozen=True)
class DaemonConfig:
    roots: tuple[RootConfig, ...]
    scan: ScanConfig
    debounce_s: float = 1.0              # act on a path once it has been quiet this long
    max_delay_s: float = 60.0            # ...or once it has been pending this long (a file written forever)
    polling: bool | None = None          # True: poll every root; None: poll network file systems only
    poll_interval_s: float = 5.0
    smb_poll_interval_s: float = DEFAULT_SMB_POLL_S   # smb:// roots that are polled: a whole walk each time
    log_format: str = "text"

    def root_scan_config(self, root: RootConfig) -> ScanConfig:
        return dataclasses.replace(self.scan, excludes=tuple(self.scan.excludes) + root.excludes)


def parse_interval(value, where: str) -> float:
    """'6h', '30m', '1d', '90s' or a number of seconds."""
    if isinstance(value, bool):
        raise UsageError(f"{where}: expected a duration such as \"6h\" or seconds, got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (m := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    else:
        raise UsageError(f"{where}: expected a duration such as \"6h\", \"30m\" or seconds, got {value!r}")
    if seconds <= 0:
        raise UsageError(f"{where}: must be more than zero")
    return seconds


def load_daemon_config(path: str) -> DaemonConfig:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise UsageError(f"cannot read config {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    return daemon_config_from_dict(data, path)


_TOP_KEYS = {"roots", "inventory", "key", "workers", "limits", "detector", "audio", "exclude", "debounce",
             "max_delay", "polling", "poll_interval", "smb_poll_interval", "log_format", "host",
             "tenant", "cluster", "cluster_tls_ca", "cluster_tls_cert", "cluster_tls_key", "insecure_cluster"}
_ROOT_KEYS = {"path", "kind", "watch", "interval", "exclude", "credentials"}
_DETECTOR_KEYS = {"model", "use_ner", "min_score"}
_AUDIO_KEYS = {"transcribe", "engine", "model_dir"}


def daemon_config_from_dict(data: dict, source: str = "config") -> DaemonConfig:
    _no_unknown(data, _TOP_KEYS, source)
    raw_roots = data.get("roots")
    if not isinstance(raw_roots, list) or not raw_roots:
        raise UsageError(f"{source}: roots: give at least one [[roots]] table with a path")
    roots = tuple(_root(r, f"{source}: roots[{i}]") for i, r in enumerate(raw_roots))
    paths = [r.path for r in roots]
    if len(set(paths)) != len(paths):
        raise UsageError(f"{source}: roots: the same path is listed twice")
    inventory = os.path.abspath(_typed(data, "inventory", str, source, default_inventory()))
    if any(inside(inventory, r.path) for r in roots if not r.is_remote):
        raise UsageError(f"{source}: inventory: must not be inside a root (it would watch itself)")
    cluster = _cluster(data, source)
    scan = ScanConfig(
        inventory=inventory,
        key_path=_typed(data, "key", str, source, None),
        workers=_positive_int(data, "workers", source, default_workers()),
        limits=_limits(data.get("limits", {}), f"{source}: limits"),
        detector=_detector(data.get("detector", {}), f"{source}: detector"),
        audio=_audio(data.get("audio", {}), f"{source}: audio"),
        excludes=_str_list(data.get("exclude", []), f"{source}: exclude"),
        tenant=_tenant(data, source),
        cluster=cluster, executor="dask" if cluster else "auto",
        **({"host": _typed(data, "host", str, source, "")} if "host" in data else {}))  # default: hostname
    log_format = _typed(data, "log_format", str, source, "text")
    if log_format not in ("text", "json"):
        raise UsageError(f"{source}: log_format: expected \"text\" or \"json\", got {log_format!r}")
    return DaemonConfig(
        roots=roots, scan=scan,
        debounce_s=parse_interval(data.get("debounce", 1.0), f"{source}: debounce"),
        max_delay_s=parse_interval(data.get("max_delay", 60.0), f"{source}: max_delay"),
        polling=_typed(data, "polling", bool, source, None),
        poll_interval_s=parse_interval(data.get("poll_interval", 5.0), f"{source}: poll_interval"),
        smb_poll_interval_s=parse_interval(data.get("smb_poll_interval", DEFAULT_SMB_POLL_S),
                                           f"{source}: smb_poll_interval"),
        log_format=log_format)


def _cluster(data: dict, source: str):
    """cluster = "tls://host:8786" (with cluster_tls_ca/_cert/_key): crawls are analysed on Dask."""
    address = _typed(data, "cluster", str, source, None)
    if address is None:
        return None
    try:
        return cluster_settings(address, _typed(data, "cluster_tls_ca", str, source, None),
                                _typed(data, "cluster_tls_cert", str, source, None),
                                _typed(data, "cluster_tls_key", str, source, None),
                                _typed(data, "insecure_cluster", bool, source, False))
    except UsageError as exc:
        raise UsageError(f"{source}: cluster: {exc}") from None


def _root(raw, where: str) -> RootConfig:
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a table with path, kind, watch, interval, exclude")
    _no_unknown(raw, _ROOT_KEYS, where)
    path = _typed(raw, "path", str, where, None)
    if not path:
        raise UsageError(f"{where}: path is required")
    credentials = _typed(raw, "credentials", str, where, None)
    kind = _typed(raw, "kind", str, where, "share")
    if kind not in ROOT_KINDS:
        raise UsageError(f"{where}: kind: expected one of {', '.join(ROOT_KINDS)}, got {kind!r}")
    watch = _typed(raw, "watch", bool, where, kind == "share")
    capabilities = source_for(path).capabilities
    smb = not capabilities.local_files      # a remote root (the config's keys say smb)
    if smb and not capabilities.change_feed:                 # s3://: nothing to watch, re-crawled instead
        if raw.get("watch") is True:
            raise UsageError(f"{where}: watch: this source has no change feed; set watch = false "
                             "(it is re-crawled every interval)")
        watch = False
    if "interval" in raw:
        interval = parse_interval(raw["interval"], f"{where}: interval")
    elif not watch:
        interval = DEFAULT_INTERVAL_S
    else:
        interval = DEFAULT_SMB_INTERVAL_S if smb else None
    excludes = _str_list(raw.get("exclude", []), f"{where}: exclude")
    if smb:
        return remote_root_config(path, where, kind=kind, watch=watch, interval_s=interval, excludes=excludes,
                                  credentials=credentials)
    if credentials is not None:
        raise UsageError(f"{where}: credentials: only for smb:// roots")
    if not os.path.isabs(path):
        raise UsageError(f"{where}: path must be absolute (or smb://[user@]host[:port]/share[/path])")
    return RootConfig(os.path.normpath(path), kind, watch, interval, tuple(os.path.abspath(e) for e in excludes))


def remote_root_config(uri: str, where: str, excludes: tuple[str, ...] = (), **settings) -> RootConfig:
    """A remote root (smb://...): canonical URI (the user kept apart), excludes as URIs or paths inside
    the root, as its source reads them."""
    source = source_for(uri)
    try:
        resolved = tuple(source.exclude_in(uri, e) for e in excludes)
        return RootConfig(source.canonical(uri), excludes=resolved, user=source.user_of(uri), **settings)
    except ConnectorError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _limits(raw, where: str) -> Limits:
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a table")
    fields = {f.name: f for f in dataclasses.fields(Limits)}
    _no_unknown(raw, set(fields), where)
    values = {}
    for name, value in raw.items():
        default = getattr(Limits(), name)
        if isinstance(default, (bool, str)):          # ocr = false, ocr_engine = "rapidocr"
            values[name] = _typed(raw, name, type(default), where, default)
            if name == "ocr_engine" and value not in ("auto", *OCR_ENGINES):
                raise UsageError(f"{where}: ocr_engine: expected auto, {', '.join(OCR_ENGINES)}, got {value!r}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise UsageError(f"{where}: {name}: expected a positive number, got {value!r}")
        values[name] = type(default)(value)
    return Limits(**values)


def _detector(raw, where: str) -> DetectorSettings:
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a table")
    _no_unknown(raw, _DETECTOR_KEYS, where)
    min_score = raw.get("min_score")
    if min_score is not None and (isinstance(min_score, bool) or not isinstance(min_score, (int, float))
                                  or not 0 <= min_score <= 1):
        raise UsageError(f"{where}: min_score: expected a number from 0 to 1, got {min_score!r}")
    return DetectorSettings(model=_typed(raw, "model", str, where, DetectorSettings().model),
                            use_ner=_typed(raw, "use_ner", bool, where, True),
                            min_score=float(min_score) if min_score is not None else None)


def _tenant(data: dict, where: str) -> str | None:
    from ..fleet.tenancy import check_tenant_name

    tenant = _typed(data, "tenant", str, where, None)
    try:
        return None if tenant is None else check_tenant_name(tenant)
    except UsageError as exc:
        raise UsageError(f"{where}: tenant: {str(exc).split(': ', 1)[-1]}") from None


def _audio(raw, where: str) -> AudioSettings:
    """`[audio]`: `transcribe = false` is the daemon's --no-audio; `engine`/`model_dir` pick a stronger engine."""
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a table")
    _no_unknown(raw, _AUDIO_KEYS, where)
    engine = _typed(raw, "engine", str, where, AudioSettings().engine)
    if engine not in ENGINES:
        raise UsageError(f"{where}: engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    return AudioSettings(transcribe=_typed(raw, "transcribe", bool, where, True), engine=engine,
                         model_dir=_typed(raw, "model_dir", str, where, None))


def _no_unknown(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(allowed))})")


def _typed(table: dict, key: str, kind: type, where: str, default):
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise UsageError(f"{where}: {key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _positive_int(table: dict, key: str, where: str, default: int) -> int:
    value = _typed(table, key, int, where, default)
    if value < 1:
        raise UsageError(f"{where}: {key}: must be at least 1")
    return value


def _str_list(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: expected a list of strings")
    return tuple(value)


__all__ = ["DaemonConfig", "RootConfig", "load_daemon_config", "daemon_config_from_dict", "parse_interval"]
