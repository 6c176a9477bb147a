#!/usr/bin/env python3
"""NER now vs NER deferred, side by side in one run: what each command costs, and that no answer changes.

    python benchmarks/lazy_ner.py [--threads 120] [--documents 40] [--people 8] [--repeat 2] [--keep DIR]

Builds the generated mail corpus (benchmarks/mail_corpus.py), then through the real CLI:
  1. `scan --workers 1` with NER now, with `--ner deferred` and with `--no-ner` (same key), --repeat times in turn, the fastest of each kept;
  2. for the first --people planted people, `find`, `sar` and `erase` (the plan) by name and email,
     on the full-NER inventory and on a fresh copy of the deferred one per command (so each command's
     first-request cost is seen; later requests reuse labels the earlier ones made);
  3. `report --format json` on each (its labelling takes a worker per core), and `pdsweep label -w 1`
     (all pending files, one worker like the scans) on a fresh deferred copy;
and prints the seconds per command on each side, the files labelled, and whether the JSON output
is identical (minus what differs by design: the generated time, the request id, the inventory path).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from mail_corpus import build  # noqa: E402

VARYING = {"generated", "created", "request_id", "as_of", "inventory", "out"}   # differ between any two runs


def cli(*args: str) -> tuple[float, str, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scanner", *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"pdsweep {' '.join(args[:3])} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - started, proc.stdout, proc.stderr


def labelled(stderr: str) -> int:
    """Files a request read again with NER first (its note on stderr)."""
    for line in stderr.splitlines():
        if "read again with NER first" in line:
            return int(line.split("pdsweep: ")[1].split()[0])
    return 0


def stable(value):
    """JSON without the fields that differ between any two runs of a command."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VARYING}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def request(command: str, inventory: str, key: str, person: tuple[str, str], out: str) -> tuple[float, int, object]:
    ids = ["--name", person[0], "--email", person[1], "-i", inventory, "--key", key, "-f", "json"]
    if command == "sar":
        shutil.rmtree(out, ignore_errors=True)
        secs, _, err = cli("sar", *ids, "--out", out, "--received", "2025-01-31", "--request-id", "r")
        with open(os.path.join(out, "index.json")) as f:
            return secs, labelled(err), stable(json.load(f))
    secs, stdout, err = cli(command, *ids)
    return secs, labelled(err), stable(json.loads(stdout))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--people", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=2, help="scans per mode, taken in turn (the fastest counts)")
    ap.add_argument("--keep", help="build the corpus and inventories here and keep them")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="pdsweep-lazy-ner-")
    corpus, key = os.path.join(work, "corpus"), os.path.join(work, "key")
    try:
        if not os.path.isdir(corpus):
            stats = build(corpus, args.threads, args.documents)
            with open(os.path.join(work, "people.json"), "w") as f:
                json.dump(stats, f)
        with open(os.path.join(work, "people.json")) as f:
            people = [tuple(p) for p in json.load(f)["people"]][:args.people]
        full, deferred = os.path.join(work, "inv-now"), os.path.join(work, "inv-deferred")
        no_ner = os.path.join(work, "inv-no-ner")
        scans = {}
        for _ in range(args.repeat):     # in turn, the fastest of each kept: the machine is shared
            for inv, extra in ((full, []), (deferred, ["--ner", "deferred"]), (no_ner, ["--no-ner"])):
                shutil.rmtree(inv, ignore_errors=True)
                secs, _, _ = cli("scan", corpus, "-i", inv, "--key", key, "-w", "1", "-q", *extra)
                scans[inv] = min(secs, scans.get(inv, secs))
        print(f"corpus: {args.threads} threads, {args.documents} documents; {os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}")
        print(f"scan, 1 worker: NER now {scans[full]:.1f} s, NER deferred {scans[deferred]:.1f} s "
              f"({scans[full] / scans[deferred]:.2f}x faster); --no-ner {scans[no_ner]:.1f} s (what keying the "
              f"texts' words costs a deferred scan: {scans[deferred] / scans[no_ner]:.2f}x)")
        print(f"\n{'command':18}{'NER now: s':>12}{'deferred: s':>13}{'files labelled':>16}{'answer identical':>18}")
        for command in ("find", "sar", "erase"):
            copy = deferred + "-" + command
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(deferred, copy)
            for i, person in enumerate(people):
                a_s, _, a = request(command, full, key, person, os.path.join(work, "pack-now"))
                b_s, n, b = request(command, copy, key, person, os.path.join(work, "pack-deferred"))
                print(f"{command + ' #' + str(i + 1):18}{a_s:12.1f}{b_s:13.1f}{n:16}{str(a == b):>18}")
        copy = deferred + "-report"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(deferred, copy)
        a_s, a_out, _ = cli("report", "-i", full, "--key", key, "-f", "json")
        b_s, b_out, err = cli("report", "-i", copy, "--key", key, "-f", "json")
        same = stable(json.loads(a_out)) == stable(json.loads(b_out))
        print(f"{'report':18}{a_s:12.1f}{b_s:13.1f}{labelled(err):16}{str(same):>18}")
        copy = deferred + "-label"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(deferred, copy)
        b_s, out, _ = cli("label", "-i", copy, "--key", key, "-w", "1")
        print(f"{'label (all, -w 1)':18}{'':12}{b_s:13.1f}{out.split()[0]:>16}")
        print(f"\nscan deferred + label all: {scans[deferred] + b_s:.1f} s vs scan with NER now {scans[full]:.1f} s")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
