"""Create-to-findable latency of the daemon: how long after a file is closed does `find` return it?

Starts `pdsweep watch` on a fresh temporary directory, waits for it to be
ready, then writes N files (default 200), each a short letter to a distinct
synthetic UK person (faker en_GB), at a steady rate. Meanwhile this process
(not the daemon) polls the inventory the way `find` does, and records for
every file the time from its close to its first appearance in `find`.

    python benchmarks/watch_latency.py [--files 200] [--rate 50] [--debounce 1.0] [--no-ner] [--keep]
    python benchmarks/watch_latency.py --smb      # the same, watching the folder through a loopback smbd

With --smb the folder is served by a private smbd on 127.0.0.1 (tests/smb/
samba_server.py) and watched as smb://…: changes arrive as SMB2 change
notifications and are read over SMB. Files are then written in the served
folder itself (Samba notifies changes made on its own disk only there).

Target (issue 6): p95 <= 5 s over 200 files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
sys.path.insert(0, os.path.join(REPO, "tests", "smb"))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from faker import Faker  # noqa: E402

from scanner.daemon.status import status_path  # noqa: E402
from scanner.find import find_locations, query_keys  # noqa: E402
from scanner.inventory import open_inventory  # noqa: E402
from scanner.keys import Keyer, load_or_create_secret  # noqa: E402


def people(n: int, seed: int) -> list[tuple[str, str]]:
    fake = Faker("en_GB")
    Faker.seed(seed)
    out = []
    for i in range(n):
        first, last = fake.first_name(), fake.last_name()
        out.append((f"{first} {last}", f"{first}.{last}.{i}@{fake.free_email_domain()}".lower()))
    return out


def wait_ready(proc, inventory: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"daemon exited with {proc.returncode}")
        try:
            with open(status_path(inventory)) as f:
                status = json.load(f)
            if status.get("pid") == proc.pid and status.get("state") == "watching" and all(
                    r.get("last_crawl") for r in status.get("roots", [])):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    sys.exit("daemon not ready")


def findable(inventory: str, keyer: Keyer, emails: list[str]) -> set[str]:
    """Locations `find --email ...` returns for these addresses (one query for all of them)."""
    reader = open_inventory(inventory)
    try:
        keys = query_keys(keyer, {"email": emails})
        return {row["location"] for row in find_locations(reader, keys)}
    finally:
        reader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0, help="files created per second")
    parser.add_argument("--debounce", type=float, default=1.0)
    parser.add_argument("--no-ner", action="store_true")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the temporary share, inventory and log")
    parser.add_argument("--smb", action="store_true", help="watch the folder as smb:// through a loopback smbd")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="pdsweep-latency-")
    root, inventory = os.path.join(work, "share"), os.path.join(work, "inventory")
    env = dict(os.environ, PYTHONPATH=REPO)
    server = None
    if args.smb:
        from samba_server import SambaServer, samba_missing, served_directory

        if samba_missing():
            sys.exit(samba_missing())
        root = served_directory("pdsweep-latency-share-")
        server = SambaServer(share_path=root).start()
        watched, located = server.uri(), server.uri(user=False)
        env["PDSWEEP_SMB_PASSWORD"] = server.password
    else:
        os.makedirs(root)
        watched, located = root, root
    command = [sys.executable, "-m", "scanner", "watch", watched, "--inventory", inventory,
               "--debounce", str(args.debounce), "--log-format", "json"]
    command += ["--no-ner"] if args.no_ner else []
    log = open(os.path.join(work, "daemon.log"), "wb")
    proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_ready(proc, inventory)
        keyer = Keyer(load_or_create_secret(os.path.join(inventory, "key"), create=False))
        persons = people(args.files, args.seed)
        closed: dict[str, float] = {}
        found_at: dict[str, float] = {}
        by_email: dict[str, str] = {}
        gap = 1.0 / args.rate
        next_write = time.monotonic()
        last_poll = 0.0
        start = time.monotonic()
        while len(found_at) < args.files and time.monotonic() - start < 120:
            now = time.monotonic()
            if len(closed) < args.files and now >= next_write:
                i = len(closed)
                name, email = persons[i]
                rel = f"letter-{i:04d}.txt" if args.smb else os.path.join(f"dept{i % 5}", f"letter-{i:04d}.txt")
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(f"Dear {name},\n\nWe will reply to {email} within five working days.\n")
                os.chmod(path, 0o644)              # readable by the Samba test user
                location = f"{located}/{rel}"
                closed[location] = time.monotonic()
                by_email[email] = location
                next_write += gap
                continue
            if now - last_poll >= 0.1 and by_email:
                pending = [e for e, p in by_email.items() if p not in found_at]
                if pending:
                    hits = findable(inventory, keyer, pending)
                    t = time.monotonic()
                    for location in hits:
                        found_at.setdefault(location, t)
                last_poll = now
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = "killed"
        log.close()
        if server:
            server.close()

    latencies = sorted(found_at[p] - closed[p] for p in closed if p in found_at)
    missing = len(closed) - len(latencies)
    if not latencies:
        sys.exit("no file became findable")
    p50 = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * len(latencies))) - 1)]
    print(f"watched: {'smb:// through a loopback smbd' if args.smb else 'local directory (inotify)'}")
    print(f"files: {len(closed)} created at {args.rate:g}/s, debounce {args.debounce:g} s, "
          f"NER {'off' if args.no_ner else 'on'}; findable: {len(latencies)}, never: {missing}")
    print(f"create-to-findable latency: p50 {p50:.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s "
          f"(target p95 <= 5 s: {'met' if p95 <= 5 and not missing else 'NOT met'})")
    print(f"daemon exit status after SIGTERM: {rc}" + (f"; work dir {work}" if args.keep else ""))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        if args.smb:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
