"""Where a cluster scan runs: a Dask scheduler address and how to reach it safely.

Built once at the edge (the CLI's --cluster options or the daemon's TOML) and
checked there: a plain tcp:// address that is not on this machine is refused
unless the operator says --insecure-cluster, because the key and file
credentials travel to the workers and back.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import UsageError

SCHEMES = ("tcp", "tls")
DEFAULT_PORT = 8786


@dataclass(frozen=True)
class ClusterSettings:
    address: str                      # tcp://host:port or tls://host:port
    tls_ca: str | None = None         # CA that signed the scheduler's and workers' certificates
    tls_cert: str | None = None       # this driver's client certificate...
    tls_key: str | None = None        # ...and its private key
    insecure: bool = False            # allow tcp:// to another machine (plaintext on the wire)
    connect_timeout_s: float = 30.0   # the scheduler must answer within this
    lost_after_s: float = 60.0        # a scheduler silent this long ends the scan (checkpoint kept)

    @property
    def is_tls(self) -> bool:
        return self.address.startswith("tls://")

    def security(self):
        """Dask's Security object: TLS with mutual certificates, or None for tcp://."""
        if not self.is_tls:
            return None
        from distributed.security import Security

        return Security(tls_ca_file=self.tls_ca, tls_client_cert=self.tls_cert,
                        tls_client_key=self.tls_key, require_encryption=True)


def cluster_settings(address: str, tls_ca: str | None = None, tls_cert: str | None = None,
                     tls_key: str | None = None, insecure: bool = False) -> ClusterSettings:
    """Validated settings, or a UsageError that says what to change."""
    parts = urlsplit(address)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise UsageError(f"cluster address {address!r}: expected tcp://HOST:PORT or tls://HOST:PORT")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise UsageError(f"cluster address {address!r}: the port is not a number") from None
    host = parts.hostname
    canonical = f"{parts.scheme}://{_bracketed(host)}:{port}"
    if parts.scheme == "tls":
        missing = [name for name, value in (("--tls-ca", tls_ca), ("--tls-cert", tls_cert),
                                            ("--tls-key", tls_key)) if not value]
        if missing:
            raise UsageError(f"cluster address {canonical}: tls:// needs {', '.join(missing)}")
    elif not insecure and not is_loopback(host):
        raise UsageError(
            f"cluster address {canonical}: tcp:// to another machine would send the HMAC key, SMB "
            "credentials and findings unencrypted; use tls:// (with --tls-ca/--tls-cert/--tls-key), "
            "or --insecure-cluster")
    elif tls_ca or tls_cert or tls_key:
        raise UsageError(f"cluster address {canonical}: TLS files given for a tcp:// address; use tls://")
    return ClusterSettings(canonical, tls_ca, tls_cert, tls_key, insecure)


def is_loopback(host: str) -> bool:
    """True when every address the name resolves to is on this machine's loopback."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
