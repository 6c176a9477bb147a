#!/usr/bin/env python3
"""What the garbage collector costs a pool worker, at Python's pace and at the analysis pace (issue 16).

    python benchmarks/worker_gc.py [--scale 6] [--no-ner] [--rounds 2] [--corpus DIR]

Builds the mail_speed corpus (benchmarks/mail_corpus.py, `--scale` times 120 threads and 40
documents) or takes `--corpus`, walks it and cuts it into the batches a 2-worker scan hands out
(scanner.engine.batches). This process then does what the pool's forkserver does (imports the
analysis stack, builds the detector, freezes what it made), and for each setting forks a child that
runs one Analyser over every batch, as a single pool worker would: first at Python's default pace
(a young collection every 700 allocations), then at scanner.collector's pace while a task runs
(YOUNG_THRESHOLD), alternately for --rounds rounds. Each child reports its CPU seconds, the seconds and count of collections per generation
(gc.callbacks) and its peak RSS. Collection time is measured inside the process, so it holds under
a shared machine's load better than CPU seconds do. Nothing is written to an inventory.
"""
from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]
from mail_corpus import build  # noqa: E402


def run_child(analyse, young: int) -> dict:
    """Fork; in the child collect the young generation every `young` allocations while a task runs,
    time the collector, run `analyse()`; return its figures."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        spent = {0: [0.0, 0], 1: [0.0, 0], 2: [0.0, 0]}
        started = [0.0]

        def timer(phase, info):
            if phase == "start":
                started[0] = time.process_time()
            else:
                spent[info["generation"]][0] += time.process_time() - started[0]
                spent[info["generation"]][1] += 1

        import scanner.collector
        scanner.collector.YOUNG_THRESHOLD = young   # the pace analysis_pace sets while a task runs
        gc.callbacks.append(timer)
        cpu = time.process_time()
        analyse()
        cpu = time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = " ".join(str(x) for x in [cpu, rss] + [v for g in (0, 1, 2) for v in spent[g]])
        os.write(write_end, line.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as f:
        values = [float(x) for x in f.read().split()]
    os.waitpid(pid, 0)
    return {"cpu": values[0], "rss": values[1], "gens": [(values[2 + 2 * g], int(values[3 + 2 * g])) for g in range(3)]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=6)
    ap.add_argument("--corpus")
    ap.add_argument("--no-ner", action="store_true")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="pdsweep-worker-gc-")
    try:
        corpus = args.corpus or os.path.join(work, "corpus")
        if not args.corpus:
            build(corpus, 120 * args.scale, 40 * args.scale)
        gc.disable()                     # as the forkserver preload does
        import scanner.worker_preload  # noqa: F401
        from connectors.source import source_for
        from detectors import Detector, DetectorSettings
        from scanner.analysis import Analyser
        from scanner.config import ScanConfig
        from scanner.engine import batches
        from scanner.collector import YOUNG_THRESHOLD

        config = ScanConfig(inventory=os.path.join(work, "inventory"), workers=2,
                            detector=DetectorSettings(use_ner=not args.no_ner))
        walked = source_for(corpus).walk([os.path.abspath(corpus)], (), True)
        entries = [e for e in walked if hasattr(e, "size")]
        tasks = batches(entries, config.batch_files, config.batch_bytes, 2)
        detector = Detector(config.detector)
        gc.freeze()
        gc.enable()

        def analyse() -> None:
            analyser = Analyser(config, b"k" * 32, "fingerprint", frozenset(), None, detector=detector)
            for task in tasks:
                analyser.run(task, "scan")

        print(f"{len(entries)} files in {len(tasks)} batches; {'no NER' if args.no_ner else 'NER on'}; "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        settings = {"Python's (700)": gc.get_threshold()[0], f"analysis ({YOUNG_THRESHOLD:,})": YOUNG_THRESHOLD}
        for n in range(args.rounds):
            for label, young in settings.items():
                r = run_child(analyse, young)
                gens = ", ".join(f"gen{g} {s:.2f} s in {c}" for g, (s, c) in enumerate(r["gens"]))
                print(f"round {n + 1}, {label:>22}: CPU {r['cpu']:.2f} s; collections {sum(s for s, _ in r['gens']):.2f} s "
                      f"({gens}); peak RSS {r['rss']:.0f} MB; load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
