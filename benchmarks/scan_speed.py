#!/usr/bin/env python3
"""Scan speed, side by side with the naive Presidio script (issue 5).

    python benchmarks/scan_speed.py [--files 20000] [--naive-seconds 120] [--skip-full-ner]

Builds the mixed corpus (benchmarks/corpus.py), then in one run:
  1. the naive script (Presidio AnalyzerEngine.analyze per file, same spaCy model) on a random
     sample of the share's plain-text files, for a time budget: its MB/s of text;
  2. `pdsweep scan` of the same plain-text files only (apples to apples), 1 worker;
  3. `pdsweep scan` of the whole corpus with 1 and with 2 workers (MB/s of text in every location,
     duplicates in backups included, since the naive script would have to read those too);
  4. a rescan of the unchanged corpus;
  5. peak RSS of the whole process tree of each scan (sampled every 0.1 s);
  6. `find` for 400 people written into the corpus (name + email), against a run with NER on all text.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import shutil
import sys
import tempfile
import time


from measure import run_sampled

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
from corpus import build_corpus  # noqa: E402
from naive_presidio import run_naive  # noqa: E402


def pdsweep(args: list[str]) -> tuple[float, int, dict]:
    """Run the real CLI; wall seconds, peak RSS of its process tree, JSON summary."""
    seconds, peak, done = run_sampled([sys.executable, "-m", "scanner", *args, "--quiet", "--format", "json"],
                                      whole_tree=True)
    if done.returncode != 0:
        raise SystemExit(f"pdsweep {' '.join(args)} failed: {done.stderr[-2000:]}")
    return seconds, peak, json.loads(done.stdout)


def text_bytes(inventory: str) -> tuple[int, int]:
    """Characters of extracted text: over every location (copies included), and unique contents."""
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        every = reader.query("SELECT coalesce(sum(c.chars), 0) FROM locations l JOIN "
                             "(SELECT DISTINCT content_hash, chars FROM contents) c USING (content_hash) "
                             "WHERE l.status <> 'gone'")[0][0]
        unique = reader.query("SELECT coalesce(sum(chars), 0) FROM (SELECT DISTINCT content_hash, chars "
                              "FROM contents WHERE content_hash NOT LIKE 'name-%')")[0][0]
    finally:
        reader.close()
    return every, unique


def find_all(inventory: str, people, key: str) -> dict:
    from scanner.find import find_locations, query_keys
    from scanner.inventory import open_inventory
    from scanner.keys import Keyer, load_or_create_secret
    keyer = Keyer(load_or_create_secret(key, create=False))
    reader = open_inventory(inventory)
    try:
        return {(name, email): sorted(r["location"] for r in find_locations(
            reader, query_keys(keyer, {"name": [name], "email": [email]}))) for name, email in people}
    finally:
        reader.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--naive-seconds", type=float, default=120.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--skip-full-ner", action="store_true")
    ap.add_argument("--keep", help="build the corpus here and keep it")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="pdsweep-speed-")
    corpus = os.path.join(work, "corpus")
    try:
        t = time.perf_counter()
        stats = build_corpus(corpus, args.files)
        disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
        print(f"corpus: {stats['files']} files, {disk / 1e6:.0f} MB on disk, built in {time.perf_counter() - t:.0f} s")
        key = os.path.join(work, "key")

        # 1 + 2: the naive script and pdsweep on the same plain-text files.
        texts = sorted(glob.glob(os.path.join(corpus, "share", "**", "*.txt"), recursive=True))
        random.Random(1).shuffle(texts)
        n, nbytes, secs = run_naive(texts, args.naive_seconds)
        naive = nbytes / secs / 1e6
        print(f"naive Presidio script: {n} text files, {nbytes / 1e6:.2f} MB in {secs:.1f} s = {naive:.4f} MB/s")
        same = os.path.join(work, "same-files")
        os.makedirs(same)
        for i, path in enumerate(texts[:max(n, 1) * 20]):
            os.link(path, os.path.join(same, f"{i}.txt"))
        secs1, rss1, s = pdsweep(["scan", same, "-i", os.path.join(work, "inv-same"), "--key", key, "-w", "1"])
        every, _ = text_bytes(os.path.join(work, "inv-same"))
        same_rate = every / secs1 / 1e6
        print(f"pdsweep, same kind of files ({s['files']} plain-text files), 1 worker: {every / 1e6:.2f} MB in "
              f"{secs1:.1f} s = {same_rate:.4f} MB/s  -> {same_rate / naive:.1f}x the naive script (target >= 10x)")

        # 3 + 4 + 5: the whole corpus.
        rates = {}
        for w in args.workers:
            inv = os.path.join(work, f"inv-w{w}")
            secs_w, rss_w, s = pdsweep(["scan", corpus, "-i", inv, "--key", key, "-w", str(w)])
            every, unique = text_bytes(inv)
            rates[w] = every / secs_w / 1e6
            print(f"pdsweep, whole corpus, {w} worker(s): {secs_w:.1f} s, {every / 1e6:.1f} MB of text in "
                  f"{s['locations']} locations ({unique / 1e6:.1f} MB unique) = {rates[w]:.3f} MB/s "
                  f"({rates[w] / naive:.1f}x naive); peak RSS of the process tree {rss_w / 1e6:.0f} MB")
        if 1 in rates and 2 in rates:
            print(f"2 workers / 1 worker = {rates[2] / rates[1]:.2f}x (target >= 1.7x)")
        w = max(args.workers)
        inv = os.path.join(work, f"inv-w{w}")
        secs_r, rss_r, s = pdsweep(["scan", corpus, "-i", inv, "--key", key, "-w", str(w)])
        print(f"rescan of the unchanged corpus: {secs_r:.2f} s ({s['files_unchanged']} unchanged) = 1/"
              f"{secs_w / secs_r:.0f} of the full scan (target <= 1/50); peak RSS {rss_r / 1e6:.0f} MB")

        # 6: find results against NER on all text.
        if not args.skip_full_ner:
            from detectors import DetectorSettings
            from scanner.config import ScanConfig
            from scanner.scan import run_scan
            full_inv = os.path.join(work, "inv-full-ner")
            t = time.perf_counter()
            run_scan([corpus], ScanConfig(inventory=full_inv, key_path=key, workers=w,
                                          detector=DetectorSettings(ner_scope="all")))
            print(f"full-NER scan (NER on all text, for the check): {time.perf_counter() - t:.0f} s")
            people = random.Random(3).sample(stats["people"], min(400, len(stats["people"])))
            ours, theirs = find_all(inv, people, key), find_all(full_inv, people, key)
            differ = [p for p in people if ours[p] != theirs[p]]
            print(f"find for {len(people)} people (name + email): {len(people) - len(differ)} equal to the "
                  f"full-NER run, {len(differ)} differ")
            for p in differ[:5]:
                print(f"  differs: {len(ours[p])} vs {len(theirs[p])} locations")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
