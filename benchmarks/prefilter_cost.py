#!/usr/bin/env python3
"""The pattern prefilter (detectors/prefilter.py): what it costs and what it saves, in this tree (issue 16).

    python benchmarks/prefilter_cost.py [--rounds 3] [--threads 120] [--documents 40] [--batches-file F]
                                        [--no-window-cache]

1. In a fresh process: CPU seconds to compile the default recognisers' patterns, and the RSS that adds.
2. The pattern stage (`Detector._pattern_findings`) on every text a 1-worker scan of the mail_speed
   corpus hands the detector (captured as in detect_speed.py), with the prefilter and without it
   (the path where hyperscan is absent), in alternating fresh processes, the heap frozen as in a pool
   worker: CPU seconds, best of --rounds, and the time of the compiled scan itself. `--no-window-cache`
   turns off the per-recogniser cache of searched windows in both: text that repeats less than this
   corpus (whose replies quote whole messages) searches more windows. Checks the findings are the same for every text.
3. A pool worker forked from the forkserver (scanner/worker_preload.py) building a detector of other
   settings (no NER): how many recognisers' databases it compiled anew (0: inherited from the server).
"""
from __future__ import annotations

import argparse
import gc
import os
import pickle
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE]
from detect_speed import Field, capture  # noqa: E402,F401  Field: batches pickled by detect_speed load here


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def compile_cost() -> None:
    """Child: compile once, print seconds and RSS added."""
    import time

    from detectors.prefilter import Prefilter
    from detectors.recognizers import build_recognisers
    recognisers = build_recognisers(frozenset(), frozenset())
    before, started = _rss_mb(), time.process_time()
    prefilter = Prefilter(recognisers)
    seconds = time.process_time() - started
    prefilter.scan("warm the scratch space: 07700 900123 jane@example.com")
    print(f"compile: {seconds:.3f} CPU s for {len(prefilter._groups)} databases holding the patterns of "
          f"{sum(1 for db in prefilter._databases if db)} recognisers, RSS +{_rss_mb() - before:.1f} MB")


def stage(batches_path: str, out_path: str, prefilter_on: bool, window_cache: bool) -> None:
    """Child: the pattern stage over every captured text."""
    import time

    import detectors.recognizers.base
    from detectors import DetectorSettings
    from detectors.detector import Detector
    from detectors.valid_text import valid_text
    with open(batches_path, "rb") as f:
        texts = [valid_text(text) for batch in pickle.load(f) for text, _ in batch]
    if not window_cache:
        detectors.recognizers.base.WINDOW_CACHE_CHARS = 0   # emptied before each window is kept
    detector = Detector(DetectorSettings(use_ner=False))
    if not prefilter_on:
        detector.prefilter = None
    gc.collect()
    gc.freeze()   # as a pool worker does after its imports: a full collection landing in one run would weigh more than the stage
    scan_seconds = 0.0
    if detector.prefilter:
        started = time.process_time()
        for text in texts:
            detector.prefilter.scan(text)
        scan_seconds = time.process_time() - started
    started = time.process_time()
    found = [[tuple(f.__dict__.values()) for f in detector._pattern_findings(text)] for text in texts]
    seconds = time.process_time() - started
    with open(out_path, "wb") as f:
        pickle.dump({"seconds": seconds, "scan": scan_seconds, "found": found}, f)


def _in_worker(_):
    from detectors import DetectorSettings
    from detectors.detector import Detector
    from detectors.prefilter import _compile
    before = _compile.cache_info()
    Detector(DetectorSettings(use_ner=False))
    after = _compile.cache_info()
    return after.misses - before.misses, after.hits - before.hits


def forkserver_check() -> None:
    sys.path[:0] = [ROOT]
    from detectors import DetectorSettings
    from scanner.pool_server import context
    ctx = context(DetectorSettings(use_ner=False))   # the server builds this detector as it starts
    with ctx.Pool(1) as pool:
        compiled, inherited = pool.map(_in_worker, [0])[0]
    print(f"forkserver worker, detector without NER: {inherited} recognisers' compiled patterns (or none) "
          f"inherited from the server, {compiled} compiled anew")


def child(*args: str) -> None:
    subprocess.run([sys.executable, os.path.abspath(__file__), "--child", *args], cwd=ROOT, check=True,
                   env=dict(os.environ, PYTHONPATH=ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--batches-file", help="keep the captured batches in this file and reuse them when it exists")
    ap.add_argument("--no-window-cache", action="store_true", help="search every window, even one seen before")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "stage":
            stage(rest[0], rest[1], rest[2] == "on", rest[3] == "cache")
        else:
            {"compile": compile_cost, "forkserver": forkserver_check}[kind]()
        return
    from mail_corpus import build
    child("compile")
    work = tempfile.mkdtemp(prefix="pdsweep-prefilter-")
    try:
        batches_path = args.batches_file or os.path.join(work, "batches.pkl")
        if not os.path.exists(batches_path):
            build(os.path.join(work, "corpus"), args.threads, args.documents)
            with open(batches_path, "wb") as f:
                pickle.dump(capture(os.path.join(work, "corpus"), work), f)
        runs = {"on": [], "off": []}
        for _ in range(args.rounds):
            for mode in runs:
                out = os.path.join(work, f"{mode}.pkl")
                child("stage", batches_path, out, mode, "none" if args.no_window_cache else "cache")
                with open(out, "rb") as f:
                    runs[mode].append(pickle.load(f))
        best = {mode: min(r["seconds"] for r in results) for mode, results in runs.items()}
        same = runs["on"][-1]["found"] == runs["off"][-1]["found"]
        print(f"load average {os.getloadavg()[0]:.1f}; pattern stage"
              + (" without the window cache" if args.no_window_cache else "") + ", CPU s per round: "
              + "; ".join(f"prefilter {m}: " + " ".join(f"{r['seconds']:.3f}" for r in runs[m]) for m in runs))
        print(f"best: without {best['off']:.3f} s, with {best['on']:.3f} s (of which the compiled scan "
              f"{min(r['scan'] for r in runs['on']):.3f} s) -> {best['off'] / best['on']:.2f}x; findings "
              f"{sum(map(len, runs['on'][-1]['found'])):,}, {'IDENTICAL' if same else 'DIFFERENT'}")
        child("forkserver")
        if not same:
            raise SystemExit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
