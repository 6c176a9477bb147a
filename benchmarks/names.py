#!/usr/bin/env python3
"""Name-only `find`: location recall, precision and decoy hits, side by side with the code before (issue 14).

    python benchmarks/names.py [--subjects 40] [--base /tmp/names-base] [--workers 2]

Generates (benchmarks/names_corpus.py) one file per subject per carrier (txt, admin form, CSV,
HTML body and meta, XML elements, DOCX body/author/tracked change, XLSX cell/creator, ODT
body/creator, PDF text/author, mail From/Cc/X-From/forwarded block/HTML-in-plain, mbox member),
the name written in turn in every form (order, case, commas, initials, middle names, titles,
accents dropped, line breaks, markup), and decoy files holding a person who shares only the
given name or only the surname. Each code tree scans the same corpus (`python -m scanner scan`,
NER on) and answers `find --name "<First> <Last>"` for every subject through its own code.

Figures per tree: recall (subject files found / subject files), precision (subject files among
those returned), decoy hits (decoy files returned), scan seconds, inventory bytes, keyed name
rows (NAME_INDEX) per MB of text and the share of them that key no real person's name.
Make the base tree with: git worktree add /tmp/names-base 35cfef3
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
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from names_corpus import write_corpus, people  # noqa: E402
from detectors.normalise import name_tokens  # noqa: E402


def true_forms(persons) -> list[str]:
    """Every keyed form a real person's name may take (pairs, the full name, an initial and surname)."""
    forms = set()
    for p in persons:
        first, last = name_tokens(p.first), name_tokens(p.last)
        middle = name_tokens(p.middle)
        words = first + middle + last
        for a in words:
            for b in words:
                if a < b:
                    forms.add(f"name:{a} {b}")
        forms |= {"name:" + " ".join(sorted(words)), "name:" + " ".join(sorted(first + last))}
        forms |= {f"initial:{w[0]} {last[-1]}" for w in first + middle if last}
        forms |= {f"name:{w}" for w in words}
    return sorted(forms)


def run_tree(label: str, root: str, corpus: str, work: str, spec: str, workers: int) -> dict:
    inventory = os.path.join(work, f"inventory-{label}")
    env = dict(os.environ, PYTHONPATH=root)
    start = time.perf_counter()
    scan = subprocess.run([sys.executable, "-m", "scanner", "scan", corpus, "-i", inventory, "--quiet",
                           "--workers", str(workers)], cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if scan.returncode != 0:
        raise SystemExit(f"{label}: scan failed: {scan.stderr[-2000:]}")
    query = subprocess.run([sys.executable, os.path.join(HERE, "names_query.py"), "--root", root,
                            "--inventory", inventory, "--queries", spec], cwd=root, env=env,
                           capture_output=True, text=True)
    if query.returncode != 0:
        raise SystemExit(f"{label}: query failed: {query.stderr[-2000:]}")
    out = json.loads(query.stdout)
    out["scan_s"] = seconds
    out["inventory_bytes"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(inventory)
                                 for f in fs if f != "key")
    return out


def score(planted, hits: list[list[str]]) -> dict:
    by_path = {p.path: p for p in planted}
    found = set()
    returned = subject_returned = decoy_hits = 0
    for owner, paths in enumerate(hits):
        for path in paths:
            p = by_path.get(path)
            returned += 1
            if p is not None and p.owner == owner and not p.is_decoy:
                subject_returned += 1
                found.add(path)
            elif p is not None and p.owner == owner and p.is_decoy:
                decoy_hits += 1
    subjects = [p for p in planted if not p.is_decoy]
    by = {"carrier": defaultdict(lambda: [0, 0]), "form": defaultdict(lambda: [0, 0])}
    for p in subjects:
        for dim in ("carrier", "form"):
            cell = by[dim][getattr(p, dim)]
            cell[0] += p.path in found
            cell[1] += 1
    return dict(recall=len(found) / len(subjects), precision=subject_returned / returned if returned else 1.0,
                decoy_hits=decoy_hits, decoy_files=sum(p.is_decoy for p in planted), subject_files=len(subjects),
                by=by)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--base", help="code tree before the change (e.g. a git worktree at 35cfef3)")
    ap.add_argument("--after", default=ROOT, help="code tree with the change (default: this one)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="names-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        subjects, planted = write_corpus(corpus, args.subjects, args.seed)
        subjects_, decoys, others = people(args.subjects, args.seed)
        everyone = subjects_ + [d for ds in decoys.values() for d in ds] + others
        spec = os.path.join(work, "queries.json")
        with open(spec, "w") as f:
            json.dump(dict(names=[s.full for s in subjects], true_forms=true_forms(everyone)), f)
        trees = ([("before", os.path.abspath(args.base))] if args.base else []) + [("after", os.path.abspath(args.after))]
        results = {label: run_tree(label, root, corpus, work, spec, args.workers) for label, root in trees}
        report(args, planted, results)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(args, planted, results: dict) -> None:
    scores = {label: score(planted, r["hits"]) for label, r in results.items()}
    labels = list(results)
    s0 = scores[labels[-1]]
    print(f"## names: {args.subjects} subjects, {s0['subject_files']} subject files, {s0['decoy_files']} decoy "
          f"files (seed {args.seed}), {len(planted)} files")
    print(f"{'':34}" + "".join(f"{label:>12}" for label in labels))
    rows = [("location recall", lambda s, r: f"{s['recall']:.3f}"),
            ("precision", lambda s, r: f"{s['precision']:.3f}"),
            ("decoy hits", lambda s, r: str(s["decoy_hits"])),
            ("scan seconds", lambda s, r: f"{r['scan_s']:.1f}"),
            ("inventory bytes", lambda s, r: str(r["inventory_bytes"])),
            ("findings rows", lambda s, r: str(r["findings_rows"])),
            ("keyed name rows (NAME_INDEX)", lambda s, r: str(r["index_rows"])),
            ("  per MB of text", lambda s, r: f"{r['index_rows'] / max(r['chars'], 1) * 1e6:.0f}"),
            ("  keying no real name (false)", lambda s, r: _share(r["index_rows"] - r["index_true_rows"],
                                                                  r["index_rows"])),
            ("PERSON rows", lambda s, r: str(r["person_rows"])),
            ("  keying no real name (false)", lambda s, r: _share(r["person_rows"] - r["person_true_rows"],
                                                                  r["person_rows"]))]
    for name, fn in rows:
        print(f"{name:34}" + "".join(f"{fn(scores[label], results[label]):>12}" for label in labels))
    for dim in ("carrier", "form"):
        print(f"\nrecall by {dim}")
        for key in sorted(s0["by"][dim]):
            cells = [scores[label]["by"][dim][key] for label in labels]
            print(f"  {key:32}" + "".join(f"{c[0]:>6}/{c[1]:<5}" for c in cells))


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


if __name__ == "__main__":
    main()
