#!/usr/bin/env python3
"""Speed on realistic mail and office documents, side by side with the naive Presidio script (issue 16).

    python benchmarks/mail_speed.py [--threads 120] [--documents 40] [--scale N] [--naive-seconds 30]
                                    [--base /tmp/speed-base [--base-python PY]] [--workers 1 2] [--keep DIR]
                                    [--unicode]

Builds the corpus (benchmarks/mail_corpus.py: threads with quoting, signatures, forwarded header
blocks, HTML parts and attachments, plus DOCX/XLSX documents), then in one run:
  1. the naive script (AnalyzerEngine.analyze per .eml file, same spaCy model) for a time budget;
  2. `python -m scanner scan` (the real CLI) with each worker count, with NER (default) and with
     --no-ner: MB/s of extracted text in every location, end to end and in steady state (the time of
     an empty scan, measured just before, taken off: start-up is paid once per scan, not per byte, so
     the steady figure is the per-byte cost a large estate sees), peak RSS of the biggest process;
  3. with --base (a code tree before the change, e.g. `git worktree add /tmp/speed-base <commit>`):
     the same 1-worker scans through that tree, and a check that both trees key the same set of
     (location, entity type, kind, value key) and that `find --name --email` of every planted
     person returns the same locations. `--base-python` runs the base tree under another interpreter,
     e.g. a virtual environment holding other releases of the libraries (python -m venv
     --system-site-packages DIR; DIR/bin/pip install spacy==3.8.18): code and libraries before, side
     by side with code and libraries now.
`--unicode` writes the corpus as real clients do (mail_corpus.py: typographic punctuation, no-break
spaces, currency, accented and non-Latin names, quoted-printable and base64 in utf-8 and windows-1252,
HTML-only messages); without it the corpus is all ASCII, as before.
`--scale N` multiplies the corpus (N times the threads and documents) so that the time of a scan
outweighs its start-up (N worker processes each load the model): compare 2 workers with 1 there.
The load average is printed beside the figures: on a shared machine the ratios are what count.
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


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from mail_corpus import build  # noqa: E402
from naive_presidio import run_naive  # noqa: E402
from measure import run_sampled  # noqa: E402


def scan(tree: str, corpus: str, inventory: str, key: str, workers: int, ner: bool,
         python: str = sys.executable) -> tuple[float, int]:
    """The real CLI from one code tree: wall seconds, peak RSS of its biggest process."""
    args = [python, "-m", "scanner", "scan", corpus, "-i", inventory, "--key", key, "-w", str(workers),
            "--quiet", "--format", "json"] + ([] if ner else ["--no-ner"])
    seconds, peak, done = run_sampled(args, whole_tree=False, cwd=tree, env=dict(os.environ, PYTHONPATH=tree))
    if done.returncode != 0:
        raise SystemExit(f"scan failed in {tree}: {done.stderr[-2000:]}")
    return seconds, peak


def text_chars(inventory: str) -> int:
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        return reader.query("SELECT coalesce(sum(c.chars), 0) FROM locations l JOIN "
                            "(SELECT DISTINCT content_hash, chars FROM contents) c USING (content_hash) "
                            "WHERE l.status <> 'gone' AND content_hash NOT LIKE 'name-%'")[0][0]
    finally:
        reader.close()


def keyed(inventory: str) -> set:
    """(location, entity type, kind, value key) for every finding: what `find` can answer from."""
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        rows = reader.query("SELECT l.uri, f.entity_type, f.kind, f.value_key FROM locations l "
                            "JOIN findings f USING (content_hash) WHERE l.status <> 'gone'")
    finally:
        reader.close()
    return {tuple(r) for r in rows}


def find_people(inventory: str, people, key: str) -> dict:
    from scanner.find import find_locations, query_keys
    from scanner.inventory import open_inventory
    from scanner.keys import Keyer, load_or_create_secret
    keyer = Keyer(load_or_create_secret(key, create=False))
    reader = open_inventory(inventory)
    try:
        return {p: sorted(r["location"] for r in find_locations(
            reader, query_keys(keyer, {"name": [p[0]], "email": [p[1]]}))) for p in people}
    finally:
        reader.close()


def same_answers(this_inv: str, base_inv: str, people, key: str) -> dict:
    """What two trees' inventories of one corpus answer, side by side: keyed findings only on either
    side, and `find --name --email` for each planted person (the check every speed figure needs)."""
    ka, kb = keyed(this_inv), keyed(base_inv)
    fa, fb = find_people(this_inv, people, key), find_people(base_inv, people, key)
    return {"this": len(ka), "base": len(kb), "only_this": len(ka - kb), "only_base": len(kb - ka),
            "people": len(people), "differ": sum(fa[p] != fb[p] for p in people),
            "locations": sum(len(v) for v in fa.values()), "nowhere": sum(not v for v in fa.values())}


def load() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--scale", type=int, default=1, help="N times the threads and documents (more text per start-up)")
    ap.add_argument("--naive-seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--base", help="code tree before the change, scanned and compared side by side")
    ap.add_argument("--base-python", default=sys.executable,
                    help="the interpreter the base tree runs under (default: this one)")
    ap.add_argument("--keep", help="build the corpus and inventories here and keep them")
    ap.add_argument("--unicode", action="store_true",
                    help="the corpus as real clients write it (not only ASCII)")
    args = ap.parse_args()
    threads, documents = args.threads * args.scale, args.documents * args.scale
    work = args.keep or tempfile.mkdtemp(prefix="pdsweep-mail-speed-")
    corpus, key = os.path.join(work, "corpus"), os.path.join(work, "key")
    try:
        if not os.path.isdir(corpus):
            stats = build(corpus, threads, documents, unicode=args.unicode)
            with open(os.path.join(work, "people.json"), "w") as f:
                json.dump(stats, f)
        with open(os.path.join(work, "people.json")) as f:
            stats = json.load(f)
        people = [tuple(p) for p in stats["people"]]
        disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
        print(f"corpus ({'unicode' if args.unicode else 'ASCII'}): {stats['messages']} messages, "
              f"{documents} documents, {disk / 1e6:.1f} MB on disk; "
              f"{os.cpu_count()} cores, {load()}")

        emls = sorted(glob.glob(os.path.join(corpus, "mail", "*.eml")))
        random.Random(1).shuffle(emls)
        n, nbytes, secs = run_naive(emls, args.naive_seconds)
        naive = nbytes / secs / 1e6
        print(f"naive Presidio script: {n} messages, {nbytes / 1e6:.2f} MB in {secs:.1f} s = {naive:.4f} MB/s")

        # Start-up: a scan of an empty tree (interpreter, imports, inventory; workers spawned but no model
        # loaded, since nothing is analysed), printed beside each scan: on a small corpus it is not noise.
        empty = os.path.join(work, "empty")
        os.makedirs(empty, exist_ok=True)
        trees = [("this", ROOT)] + ([("base", os.path.abspath(args.base))] if args.base else [])
        rates, steady = {}, {}
        pythons = {"this": sys.executable, "base": args.base_python}
        for label, tree in trees:
            for ner in (True, False):
                for w in (args.workers if label == "this" else [1]):
                    inv = os.path.join(work, f"inv-{label}-w{w}-{'ner' if ner else 'noner'}")
                    shutil.rmtree(inv, ignore_errors=True)
                    shutil.rmtree(inv + "-empty", ignore_errors=True)
                    startup, _ = scan(tree, empty, inv + "-empty", key, w, ner, pythons[label])
                    secs_w, rss = scan(tree, corpus, inv, key, w, ner, pythons[label])
                    chars = text_chars(inv)
                    rate = chars / secs_w / 1e6
                    rates[(label, w, ner)] = rate
                    steady[(label, w, ner)] = chars / max(secs_w - startup, 0.1) / 1e6
                    print(f"{label:4} tree, {w} worker(s), {'NER on ' if ner else 'no NER'}: {chars / 1e6:.2f} M chars "
                          f"of text in {secs_w:.1f} s = {rate:.3f} MB/s end to end ({rate / naive:.1f}x naive); "
                          f"an empty scan {startup:.1f} s, so steady state {steady[(label, w, ner)]:.3f} MB/s; "
                          f"peak RSS of the biggest process {rss / 1e6:.0f} MB; {load()}")
        for ner in (True, False):
            mode = "NER on" if ner else "no NER"
            if ("this", 1, ner) in rates and ("this", 2, ner) in rates:
                print(f"2 workers / 1 worker, {mode}: {rates[('this', 2, ner)] / rates[('this', 1, ner)]:.2f}x end to end, "
                      f"{steady[('this', 2, ner)] / steady[('this', 1, ner)]:.2f}x steady state "
                      f"(target >= 1.8x on a quiet machine)")
            if ("base", 1, ner) in rates:
                print(f"this / base, 1 worker, {mode}: {rates[('this', 1, ner)] / rates[('base', 1, ner)]:.2f}x end to end, "
                      f"{steady[('this', 1, ner)] / steady[('base', 1, ner)]:.2f}x steady state")
        if args.base:
            for ner in ("ner", "noner"):
                a, b = (os.path.join(work, f"inv-{t}-w1-{ner}") for t in ("this", "base"))
                same = same_answers(a, b, people, key)
                print(f"keyed findings ({ner}): this {same['this']}, base {same['base']}, "
                      f"only in this {same['only_this']}, only in base {same['only_base']}")
                print(f"find --name --email for {same['people']} planted people ({ner}): "
                      f"{same['people'] - same['differ']} same, {same['differ']} differ; "
                      f"{same['locations']} locations in all")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
