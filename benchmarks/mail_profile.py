#!/usr/bin/env python3
"""Where the time of a scan goes: cProfile of a 1-worker in-process scan of the mail_speed corpus (issue 16).

    python benchmarks/mail_profile.py [--threads 120] [--documents 40] [--no-ner] [--top 25]
                                      [--tree DIR] [--corpus DIR] [--unicode]

`--unicode`: the corpus as real clients write it (mail_corpus.py), not only ASCII.

Prints a table of stages (cumulative seconds of the functions that own them, made exclusive by
subtraction where one holds another) and the top functions by own time. `--tree DIR` profiles the
code of another tree (e.g. the base of a change) with this script, for a side-by-side table; give
both the same `--corpus`. (cProfile's clock is the wall clock: a CPU clock is a system call per
function call here and swamps what it measures; for CPU seconds per stage see detect_speed.py --stages.)
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The code profiled: this tree's, or --tree's (read before anything imports it).
TREE = sys.argv[sys.argv.index("--tree") + 1] if "--tree" in sys.argv[:-1] else os.path.dirname(HERE)
sys.path[:0] = [HERE, os.path.abspath(TREE)]
from mail_corpus import build  # noqa: E402

# (label, file path ending, function name): cumulative time of that function.
PROBES = {
    "scan": ("scanner/scan.py", "run_scan"),
    "worker": ("scanner/analysis.py", "run"),
    "entry": ("scanner/analysis.py", "_run_entry"),
    "extract": ("scanner/analysis.py", "_extract"),
    "record": ("scanner/analysis.py", "_record"),
    "flush": ("scanner/analysis.py", "flush"),
    "detector_init": ("detectors/detector.py", "__init__"),
    "analyze_many": ("detectors/detector.py", "analyze_many"),
    "ner": ("detectors/ner.py", "entities_many"),
    "patterns": ("detectors/detector.py", "_pattern_findings"),
    "name_index": ("detectors/name_index.py", "name_index"),
    "field_name_index": ("detectors/name_index.py", "field_name_index"),
    "people": ("detectors/names.py", "person_findings"),
    "fields": ("detectors/fields.py", "field_findings"),
    "valid": ("detectors/valid_text.py", "valid_text"),
    "overlaps": ("detectors/detector.py", "resolve_overlaps"),
    "quotes": ("detectors/quoted.py", "split"),
    "quotes_map": ("detectors/detector.py", "_from_segments"),
    "keying": ("scanner/findings.py", "add"),
    "keying_unit": ("scanner/findings.py", "add_unit"),   # a unit's findings in one call (neither calls the other)
    "rows": ("scanner/findings.py", "rows"),
}


def cumulative(stats: pstats.Stats) -> dict[str, float]:
    out = {k: 0.0 for k in PROBES}
    out["flush_in_extract"] = 0.0
    for (path, _, func), (_, _, _, ct, callers) in stats.stats.items():
        for label, (ending, name) in PROBES.items():
            if func == name and path.replace("\\", "/").endswith(ending):
                out[label] += ct
        if func == "flush" and path.endswith("scanner/analysis.py"):
            # flush runs inside _extract (batch.add when full) and once at the end of the task
            out["flush_in_extract"] += sum(c[3] for (p, _, f), c in callers.items()
                                           if f == "add" and p.endswith("scanner/analysis.py"))
    return out


def table(c: dict[str, float]) -> list[tuple[str, float]]:
    detection = c["analyze_many"]
    rows = [
        ("MIME parsing, container walk (explore)", c["entry"] - c["extract"] - c["record"]),
        ("extraction (text out of parts)", c["extract"] - c["flush_in_extract"]),
        ("NER (spaCy, scoped lines, nlp.pipe)", c["ner"]),
        ("pattern recognisers (Presidio classes)", c["patterns"]),
        ("name index (keyed name pairs)", c["name_index"] + c["field_name_index"]),
        ("person findings (NER + candidates)", c["people"]),
        ("quoted mail: segments, findings moved back", c["quotes"] + c["quotes_map"]),
        ("text validation, fields, overlaps, rest of detect", detection - c["ner"] - c["patterns"] - c["name_index"]
         - c["field_name_index"] - c["people"] - c["quotes"] - c["quotes_map"]),
        ("normalising and keying (HMAC)", c["keying"] + c["keying_unit"]),
        ("file names, location rows", c["record"]),
        ("finding rows", c["rows"]),
        ("model load", c["detector_init"]),
        ("walk, writing Parquet, the rest", c["scan"] - c["worker"] - c["detector_init"]),
    ]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--unicode", action="store_true",
                    help="the corpus as real clients write it (mail_corpus.py)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--corpus", help="an existing corpus (mail_speed.py --keep DIR puts it in DIR/corpus)")
    ap.add_argument("--tree", help="profile the code of this tree (default: the one holding this script)")
    args = ap.parse_args()
    from detectors import DetectorSettings
    from scanner.config import ScanConfig
    from scanner.scan import run_scan
    work = tempfile.mkdtemp(prefix="pdsweep-mail-profile-")
    try:
        corpus = args.corpus or os.path.join(work, "corpus")
        if not args.corpus:
            build(corpus, args.threads, args.documents, unicode=args.unicode)
        config = ScanConfig(inventory=os.path.join(work, "inv"), key_path=os.path.join(work, "key"), workers=1,
                            detector=DetectorSettings(use_ner=not args.no_ner))
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        run_scan([corpus], config)
        profile.disable()
        spent = time.perf_counter() - started
        stats = pstats.Stats(profile)
        c = cumulative(stats)
        print(f"profiled scan of {os.path.abspath(TREE)} ({'no NER' if args.no_ner else 'NER on'}, "
              f"{'unicode' if args.unicode else 'ASCII'} corpus): {spent:.1f} s wall under cProfile, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"| stage | s | share |\n|---|---|---|")
        for label, secs in table(c):
            print(f"| {label} | {secs:.2f} | {secs / c['scan']:.0%} |")
        print(f"| total (run_scan) | {c['scan']:.2f} | 100% |")
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
