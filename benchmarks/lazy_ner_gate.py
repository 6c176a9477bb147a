#!/usr/bin/env python3
"""Do `find` answers depend on NER? Scans with and without NER, side by side (issue 16, lazy NER gate).

    python benchmarks/lazy_ner_gate.py [--corpora names mail sample presidio] [--workers 1]

Each corpus is scanned twice by the real CLI with the same key: default detection (NER on) and
`--no-ner`. Then, per corpus:
  1. every value key of kind name, email and phone in either inventory, with the set of locations
     `find` returns for it (content or file name, not gone): how many keys give a different set, and
     of those how many are one-word names (the masked preview shows the word count: a one-word key is
     reached only by a one-word `find --name`; a two-word query needs a pair key);
  2. `find` for the planted people (names corpus: `--name`; mail corpus: `--name`, `--email`);
  3. what else differs: PERSON rows, the report's entity counts, the erase plan's actions ("others
     present" reads PERSON rows) for the planted people.
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
from collections import Counter
from contextlib import contextmanager

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
# Where accuracy.py finds it (beside the main checkout), or beside a worktree's parent.
PRESIDIO_SET = os.environ.get("PRESIDIO_RESEARCH_SET") or next(
    (p for p in (os.path.join(up, "shared/benchmarks/presidio-research/synth_dataset_v2.json")
                 for up in (os.path.dirname(ROOT), os.path.dirname(os.path.dirname(ROOT))))
     if os.path.exists(p)), "")


def name_queries(names) -> list:
    """(category, identifiers): each person's full name, first + last, and each word of it alone."""
    from detectors.normalise import name_tokens
    out = []
    for name in (n for n in names if name_tokens(n)):
        words = name.split()
        out.append(("full name", {"name": [name]}))
        if len(words) > 2:
            out.append(("first + last", {"name": [f"{words[0]} {words[-1]}"]}))
        out.extend(("one word", {"name": [w]}) for w in words if name_tokens(w))
    return out


def build_names(root: str) -> list:
    from names_corpus import people, write_corpus
    os.makedirs(root)
    write_corpus(root, 40, 11)
    subjects, decoys, others = people(40, 11)
    everyone = subjects + [d for ds in decoys.values() for d in ds] + others
    return name_queries(sorted({" ".join(w for w in (p.first, p.middle, p.last) if w) for p in everyone}))


def build_mail(root: str) -> list:
    from mail_corpus import build
    stats = build(root, 120, 40)
    return name_queries(p[0] for p in stats["people"]) + [("email", {"email": [p[1]]}) for p in stats["people"]]


def build_sample(root: str) -> list:
    shutil.copytree(os.path.join(ROOT, "sample_data"), root, ignore=shutil.ignore_patterns("generate.py"))
    return []


def build_presidio(root: str) -> list:
    if not os.path.exists(PRESIDIO_SET):
        return []
    os.makedirs(root)
    names = set()
    for i, sample in enumerate(json.load(open(PRESIDIO_SET))):
        with open(os.path.join(root, f"{i:05d}.txt"), "w") as f:
            f.write(sample["full_text"])
        names |= {s["entity_value"].strip() for s in sample["spans"] if s["entity_type"] == "PERSON"}
    return name_queries(sorted(n for n in names if any(c.isalpha() for c in n)))


BUILDERS = {"names": build_names, "mail": build_mail, "sample": build_sample, "presidio": build_presidio}


def scan(corpus: str, inventory: str, key: str, workers: int, ner: bool) -> float:
    args = [sys.executable, "-m", "scanner", "scan", corpus, "-i", inventory, "--key", key, "-w", str(workers),
            "--quiet"] + ([] if ner else ["--no-ner"])
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode not in (0, 1):      # 1: some files had errors (recorded as rows)
        raise SystemExit(f"scan failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - started


def keys_to_locations(inventory: str) -> tuple[dict, dict]:
    """{value_key: frozenset(uri)} for kinds name/email/phone, and {value_key: (kind, preview words, types)}."""
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        rows = reader.query(
            "SELECT f.value_key, l.uri, f.kind, f.entity_type, f.preview FROM findings f JOIN locations l "
            "ON f.content_hash IN (l.content_hash, l.name_key) WHERE l.status <> 'gone' "
            "AND f.kind IN ('name', 'email', 'phone')")
    finally:
        reader.close()
    where: dict = {}
    about: dict = {}
    for key, uri, kind, etype, preview in rows:
        where.setdefault(key, set()).add(uri)
        kind_, words, types = about.get(key, (kind, len((preview or "").split()), set()))
        types.add(etype)
        about[key] = (kind_, words, types)
    return {k: frozenset(v) for k, v in where.items()}, about


def compare_keys(a: str, b: str) -> dict:
    wa, about_a = keys_to_locations(a)
    wb, about_b = keys_to_locations(b)
    about = {**about_b, **about_a}
    differ = [k for k in set(wa) | set(wb) if wa.get(k, frozenset()) != wb.get(k, frozenset())]
    out = Counter()
    for k in differ:
        kind, words, types = about[k]
        one_word = kind == "name" and words == 1
        only = "only-ner" if k not in wb else "only-noner" if k not in wa else "both"
        out[f"{kind}{' (one word)' if one_word else ''}: {only}"] += 1
        out[f"  via types {'+'.join(sorted(about_a.get(k, ('', 0, set()))[2] | about_b.get(k, ('', 0, set()))[2]))}"] += 1
    return dict(keys=len(set(wa) | set(wb)), differ=len(differ), detail=dict(sorted(out.items())))


@contextmanager
def keyed_reader(inventory: str, key: str):
    """(keyer, reader) of an inventory and its key, the reader closed after."""
    from scanner.inventory import open_inventory
    from scanner.keys import Keyer, load_or_create_secret
    reader = open_inventory(inventory)
    try:
        yield Keyer(load_or_create_secret(key, create=False)), reader
    finally:
        reader.close()


def find_answers(inventory: str, key: str, queries: list) -> dict:
    """{(category, query): locations}; full names are asked strict and --loose."""
    from scanner.find import find_locations, query_keys
    out = {}
    with keyed_reader(inventory, key) as (keyer, reader):
        for category, ids in queries:
            for loose in (False, True) if category == "full name" else (False,):
                keys = query_keys(keyer, ids, loose=loose)
                label = category + (" --loose" if loose else "")
                out[(label, json.dumps(ids))] = sorted(r["location"] for r in find_locations(reader, keys))
    return out


def plans(inventory: str, key: str, queries: list) -> dict:
    from scanner.find import query_keys
    from scanner.requests.plan import build_plan
    from scanner.requests.subject import Subject
    out = {}
    with keyed_reader(inventory, key) as (keyer, reader):
        for category, ids in queries:
            if category in ("full name", "email"):
                plan = build_plan(reader, Subject(keyer, query_keys(keyer, ids)), request_id="r")
                out[json.dumps(ids)] = sorted((a["location"], a["action"]) for a in plan["actions"])
    return out


def counts(inventory: str) -> Counter:
    from scanner.inventory import open_inventory
    reader = open_inventory(inventory)
    try:
        return Counter(dict(reader.query("SELECT entity_type, count(*) FROM findings GROUP BY entity_type")))
    finally:
        reader.close()


def report(name: str, corpus: str, work: str, workers: int, queries: list) -> None:
    key = os.path.join(work, "key")
    inv = {ner: os.path.join(work, f"inv-{name}-{'ner' if ner else 'noner'}") for ner in (True, False)}
    secs = {ner: scan(corpus, inv[ner], key, workers, ner) for ner in (True, False)}
    print(f"\n## {name}: scan {secs[True]:.1f} s with NER, {secs[False]:.1f} s without "
          f"({secs[True] / secs[False]:.2f}x)")
    keys = compare_keys(inv[True], inv[False])
    print(f"value keys (name, email, phone): {keys['keys']}; find answers differ for {keys['differ']}")
    for line, n in keys["detail"].items():
        print(f"  {line}: {n}")
    if queries:
        fa, fb = find_answers(inv[True], key, queries), find_answers(inv[False], key, queries)
        for category in sorted({c for c, _ in fa}):
            mine = [q for q in fa if q[0] == category]
            diff = [q for q in mine if fa[q] != fb[q]]
            lost = sum(len(set(fa[q]) - set(fb[q])) for q in mine)
            extra = sum(len(set(fb[q]) - set(fa[q])) for q in mine)
            print(f"find, {category}: {len(mine)} queries, {len(mine) - len(diff)} same, {len(diff)} differ; "
                  f"{sum(len(fa[q]) for q in mine)} locations with NER, {lost} of them not found without, "
                  f"{extra} found only without")
        pa, pb = plans(inv[True], key, queries), plans(inv[False], key, queries)
        pdiff = [q for q in pa if pa[q] != pb[q]]
        actions = sum(len(v) for v in pa.values())
        changed = sum(len(set(pa[q]) ^ set(pb[q])) for q in pdiff) // 2
        print(f"erase plans for {len(pa)} full-name and email queries: {len(pa) - len(pdiff)} same, {len(pdiff)} differ "
              f"(~{changed} of {actions} actions change)")
    ca, cb = counts(inv[True]), counts(inv[False])
    print("findings rows by type (NER / no NER): " + ", ".join(
        f"{t} {ca[t]}/{cb[t]}" for t in sorted(set(ca) | set(cb)) if ca[t] != cb[t]) + " (others equal)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", nargs="+", default=list(BUILDERS), choices=list(BUILDERS))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lazy-ner-gate-")
    try:
        for name in args.corpora:
            corpus = os.path.join(work, name)
            queries = BUILDERS[name](corpus)
            if not os.path.isdir(corpus):
                print(f"\n## {name}: not available here, skipped")
                continue
            report(name, corpus, work, args.workers, queries)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
