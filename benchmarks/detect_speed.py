#!/usr/bin/env python3
"""The detectors' own cost on the mail_speed corpus, side by side with a code tree before a change (issue 16).

    python benchmarks/detect_speed.py --base /tmp/base16 [--rounds 3] [--threads 120] [--documents 40]
                                      [--ner] [--profile] [--corpus DIR] [--batches-file FILE]

1. Builds the mail_speed corpus and scans it once (1 worker, no NER) to capture every (text, fields)
   batch the scanner hands to `Detector.analyze_many`.
2. In fresh processes, alternating trees for `--rounds` rounds, runs `Detector(use_ner=False)` of this
   tree and of the `--base` tree over those batches in scan order (the per-process caches start cold,
   as in a scan) and takes the CPU time of the detection alone: no MIME parsing, extraction, keying or writing.
3. Checks that both trees return the very same findings for every text: type, span, text, score and
   recogniser (stricter than mail_speed's keyed sets). `--ner` also compares the findings with NER on
   (one more process per tree, not timed), since the person rules see the pattern findings.
   `--labelled` compares them (NER off and on, not timed) on the accuracy benchmark's texts as well:
   the presidio-research set and the generated UK set, with many more forms of names and numbers.
   `--long-list N` times (best of --rounds) and compares one text listing N generated people, a
   name-dense document such as a staff list or an export.
Prints CPU seconds per round, best and median, and the ratio base / this. `--stages` adds a table of
CPU seconds per detector stage for each tree (`--rounds` more processes each, the stage functions
wrapped with a timer, each stage's least over the rounds; NER on with `--ner`, which adds an NER row;
and a last row, the scanner's keying of those findings, timed after detection);
`--profile` prints this tree's top functions by own time. Each child freezes what is loaded before
the first text out of the collector's reach, as a scan's worker does.
`--unicode` builds the corpus as real clients write it (mail_corpus.py); `--ascii-folded` then hands
the detectors the same texts with every non-ASCII character replaced by an ASCII look-alike, offsets
kept: run both to see what the characters alone cost, apart from what the corpus says.
"""
from __future__ import annotations

import argparse
import gc
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import namedtuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Fields as plain tuples, so the batches load in a tree whose field class differs (the detector duck-types).
Field = namedtuple("Field", "label value start")


def capture(corpus: str, work: str) -> list:
    """The batches a 1-worker scan without NER passes to analyze_many, in order."""
    sys.path[:0] = [ROOT]
    from detectors import DetectorSettings
    from detectors.detector import Detector
    from scanner.config import ScanConfig
    from scanner.scan import run_scan
    batches = []
    original = Detector.analyze_many

    def recording(self, items):
        items = list(items)
        batches.append([(text, [Field(f.label, f.value, f.start) for f in fields]) for text, fields in items])
        return original(self, items)

    Detector.analyze_many = recording
    try:
        config = ScanConfig(inventory=os.path.join(work, "inv"), key_path=os.path.join(work, "key"), workers=1,
                            detector=DetectorSettings(use_ner=False))
        run_scan([corpus], config)
    finally:
        Detector.analyze_many = original
    return batches


# (label, module, attribute): the functions _one calls for each stage, the same in both trees.
STAGES = [
    ("NER (entities_many, with --ner)", "detectors.detector", "entities_many"),
    ("pattern recognisers", "detectors.detector", "Detector._pattern_findings"),
    ("overlaps between patterns", "detectors.detector", "resolve_overlaps"),
    ("name index", "detectors.detector", "name_index"),
    ("person findings", "detectors.detector", "person_findings"),
    ("  of which name candidates", "detectors.names", "candidate_names"),
    ("structured fields", "detectors.detector", "field_findings"),
    ("quoted mail: cutting into segments", "detectors.detector", "split"),
    ("quoted mail: findings moved back", "detectors.detector", "_from_segments"),
]


KEYING = "keying the findings, after detection (scanner/findings.py)"


def keying_seconds(results: list) -> float:
    """CPU seconds of the scanner's keying of every text's findings, as _Batch.flush does: normalised
    forms, HMAC keys, masked previews and counts per content (the tree's own scanner/findings.py)."""
    from scanner.findings import ContentFindings
    from scanner.keys import Keyer
    keyer = Keyer(bytes(32))
    started = time.process_time()
    for batch in results:
        for found in batch:
            content = ContentFindings()
            if hasattr(content, "add_unit"):   # a tree whose _Batch.flush hands over a unit's findings at once
                content.add_unit(keyer, found, 0)
            else:
                for f in found:
                    content.add(keyer, f.entity_type, f.text, f.score, f.start)
    return time.process_time() - started


def timed_stages() -> dict:
    """Wrap each stage function with a CPU timer; the dict fills in as the detector runs."""
    import importlib
    spent = {label: 0.0 for label, _, _ in STAGES}
    for label, module, attribute in STAGES:
        owner = importlib.import_module(module)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        spent_on = _timer(getattr(owner, name), label, spent)
        setattr(owner, name, spent_on)
    return spent


def _timer(function, label: str, spent: dict):
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
    return timed


def detect(tree: str, batches_path: str, out_path: str, ner: bool, profile: bool, stages: bool = False) -> None:
    """In a child process: the tree's detector over every batch; findings and seconds to out_path."""
    sys.path[:0] = [tree]
    from detectors import DetectorSettings
    from detectors.detector import Detector
    with open(batches_path, "rb") as f:
        batches = pickle.load(f)
    spent = timed_stages() if stages else {}
    detector = Detector(DetectorSettings(use_ner=ner))
    # As in a scan's worker (scanner/pool.py): what is loaded before the first text is frozen, so no
    # collection walks it and the collector's cost is the detection's own.
    gc.collect()
    gc.freeze()
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    started = time.process_time()   # CPU seconds: on a shared machine, less noisy than wall time
    results = [detector.analyze_many(batch) for batch in batches]
    seconds = time.process_time() - started
    if profiler:
        import pstats
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
    if stages:
        spent[KEYING] = keying_seconds(results)
    findings = [[[tuple(f.__dict__.values()) for f in one] for one in batch] for batch in results]
    with open(out_path, "wb") as f:
        pickle.dump({"seconds": seconds, "findings": findings, "stages": spent}, f)


def run_child(tree: str, batches_path: str, out_path: str, ner: bool = False, profile: bool = False,
              stages: bool = False) -> dict:
    args = [sys.executable, os.path.abspath(__file__), "--child", tree, "--batches", batches_path, "--out", out_path]
    args += (["--ner"] if ner else []) + (["--profile"] if profile else []) + (["--stages"] if stages else [])
    subprocess.run(args, cwd=tree, check=True, env=dict(os.environ, PYTHONPATH=tree))
    with open(out_path, "rb") as f:
        return pickle.load(f)


def compare(label: str, mine: list, base: list) -> bool:
    flat_mine = [one for batch in mine for one in batch]
    flat_base = [one for batch in base for one in batch]
    differing = [i for i, (a, b) in enumerate(zip(flat_mine, flat_base)) if a != b]
    total = sum(len(one) for one in flat_mine)
    same = not differing and len(flat_mine) == len(flat_base)
    print(f"findings {label}: {total:,} here, {sum(len(one) for one in flat_base):,} in base, "
          f"{len(flat_mine):,} texts, {len(differing)} texts differ -> {'IDENTICAL' if same else 'DIFFERENT'}")
    for i in differing[:3]:
        print(f"  text {i}: only here {sorted(set(flat_mine[i]) - set(flat_base[i]))[:5]}, "
              f"only in base {sorted(set(flat_base[i]) - set(flat_mine[i]))[:5]}")
    return same


def labelled_batches() -> list:
    """accuracy.py's texts (presidio-research and the UK set), 100 to a batch."""
    sys.path[:0] = [HERE, ROOT]
    import accuracy
    import uk_labelled
    samples = accuracy.load_research(None) + uk_labelled.generate(400)
    items = [(s["text"], [Field(f["label"], f["value"], f["start"]) for f in s["fields"]]) for s in samples]
    return [items[i : i + 100] for i in range(0, len(items), 100)]


def compare_labelled(trees: list, work: str) -> bool:
    path = os.path.join(work, "labelled.pkl")
    with open(path, "wb") as f:
        pickle.dump(labelled_batches(), f)
    ok = True
    for ner in (False, True):
        found = {name: run_child(tree, path, os.path.join(work, f"{name}-labelled.pkl"), ner=ner)["findings"]
                 for name, tree in trees}
        ok = compare(f"on accuracy.py's texts, NER {'on' if ner else 'off'}", found["this"], found["base"]) and ok
    return ok


def long_list(trees: list, work: str, people: int, rounds: int) -> bool:
    """One text of N lines naming people (capitals, `SURNAME, Forename`, plain, with a phone number):
    the cost of a name-dense document, where every rule meets thousands of names at once."""
    import random
    from faker import Faker
    fake, rng = Faker("en_GB"), random.Random(16)
    Faker.seed(16)
    forms = [lambda f, l: f"{l.upper()}, {f}", lambda f, l: f"{f} {l}",
             lambda f, l: f"{f.upper()} {l.upper()}",
             lambda f, l: f"Dear {f} {l}, call {fake.phone_number()}"]
    text = "\n".join(rng.choice(forms)(fake.first_name(), fake.last_name()) for _ in range(people)) + "\n"
    path = os.path.join(work, "long-list.pkl")
    with open(path, "wb") as f:
        pickle.dump([[(text, [])]], f)
    runs = {name: [run_child(tree, path, os.path.join(work, f"{name}-long.pkl")) for _ in range(rounds)]
            for name, tree in trees}
    best = {name: min(r["seconds"] for r in done) for name, done in runs.items()}
    print(f"a list of {people:,} people ({len(text) / 1e6:.2f} M characters), CPU seconds, best of {rounds}: "
          + ", ".join(f"{name} {best[name]:.2f}" for name, _ in trees)
          + f"; base / this {best['base'] / best['this']:.2f}x")
    return compare(f"on the list of {people:,} people", runs["this"][0]["findings"],
                   runs["base"][0]["findings"])


def print_stages(trees: list, batches_path: str, work: str, ner: bool = False, rounds: int = 1) -> None:
    """One timed run per tree and round, trees in turn; each stage's least CPU over the rounds."""
    runs = {}
    for _ in range(rounds):
        for name, tree in trees:
            run = run_child(tree, batches_path, os.path.join(work, f"{name}-stages.pkl"), ner=ner,
                            stages=True)
            if name in runs:
                run["stages"] = {label: min(v, runs[name]["stages"][label])
                                 for label, v in run["stages"].items()}
                run["seconds"] = min(run["seconds"], runs[name]["seconds"])
            runs[name] = run
    print(f"stages: least CPU seconds of {rounds} run(s) per tree")
    names = [name for name, _ in trees]
    print(f"| stage (CPU s, {'NER on' if ner else 'no NER'}) | " + " | ".join(names)
          + (" | base / this |" if "base" in runs else " |"))
    print("|---" * (len(names) + 1 + ("base" in runs)) + "|")
    rows = [(label, {n: runs[n]["stages"][label] for n in names}) for label, _, _ in STAGES]
    rows.append(("all detection (analyze_many)", {n: runs[n]["seconds"] for n in names}))
    rows.insert(-1, ("the rest (validation, dedupe, sorting)",
                     {n: runs[n]["seconds"] - sum(v for label, v in runs[n]["stages"].items()
                                                  if not label.startswith(" ") and label != KEYING)
                      for n in names}))
    rows.append((KEYING, {n: runs[n]["stages"][KEYING] for n in names}))
    for label, by_tree in rows:
        ratio = f" | {by_tree['base'] / by_tree['this']:.2f}x" if "base" in by_tree and by_tree["this"] else ""
        print(f"| {label} | " + " | ".join(f"{by_tree[n]:.2f}" for n in names) + ratio + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", help="a code tree before the change (e.g. a git worktree at the base commit)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=120)
    ap.add_argument("--documents", type=int, default=40)
    ap.add_argument("--ner", action="store_true", help="also compare the findings with NER on")
    ap.add_argument("--labelled", action="store_true", help="also compare the findings on accuracy.py's texts")
    ap.add_argument("--stages", action="store_true", help="CPU seconds per detector stage, each tree (one extra run)")
    ap.add_argument("--unicode", action="store_true",
                    help="the corpus as real clients write it (mail_corpus.py)")
    ap.add_argument("--ascii-folded", action="store_true",
                    help="every non-ASCII character of the texts replaced by an ASCII look-alike "
                         "(same offsets): with --unicode, the same texts as if written in ASCII")
    ap.add_argument("--profile", action="store_true", help="print this tree's top functions (one extra run)")
    ap.add_argument("--corpus", help="capture the batches from this ready-made corpus (e.g. /tmp/noner8_c6, "
                                     "the issue's size) instead of building the mail_speed corpus")
    ap.add_argument("--batches-file", help="keep the captured batches in this file and reuse them when it exists")
    ap.add_argument("--long-list", type=int, default=0, metavar="N",
                    help="also time and compare one text listing N generated people (a staff list)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--batches", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        detect(args.child, args.batches, args.out, args.ner, args.profile, args.stages)
        return
    sys.path[:0] = [HERE]
    from mail_corpus import build
    work = tempfile.mkdtemp(prefix="pdsweep-detect-speed-")
    try:
        batches_path = args.batches_file or os.path.join(work, "batches.pkl")
        if os.path.exists(batches_path):
            with open(batches_path, "rb") as f:
                batches = pickle.load(f)
        else:
            corpus = args.corpus or os.path.join(work, "corpus")
            if not args.corpus:
                build(corpus, args.threads, args.documents, unicode=args.unicode)
            batches = capture(corpus, work)
            with open(batches_path, "wb") as f:
                pickle.dump(batches, f)
        if args.ascii_folded:
            from mail_unicode import ascii_folded
            batches = [[(ascii_folded(text), [Field(f.label, ascii_folded(f.value) if isinstance(f.value, str)
                                                    else f.value, f.start) for f in fields])
                        for text, fields in batch] for batch in batches]
            batches_path = os.path.join(work, "folded.pkl")
            with open(batches_path, "wb") as f:
                pickle.dump(batches, f)
        chars = sum(len(text) for batch in batches for text, _ in batch)
        print(f"{sum(map(len, batches)):,} texts in {len(batches)} batches, {chars / 1e6:.2f} M characters")
        trees = [("this", ROOT)] + ([("base", os.path.abspath(args.base))] if args.base else [])
        seconds = {name: [] for name, _ in trees}
        found = {}
        for _ in range(args.rounds):
            for name, tree in trees:
                result = run_child(tree, batches_path, os.path.join(work, f"{name}.pkl"))
                seconds[name].append(result["seconds"])
                found[name] = result["findings"]
        print(f"load average {os.getloadavg()[0]:.1f}; detection without NER, CPU seconds per round:")
        for name, tree in trees:
            s = seconds[name]
            print(f"  {name:5} {tree}: " + " ".join(f"{x:.2f}" for x in s)
                  + f"  best {min(s):.2f}  median {statistics.median(s):.2f}  {chars / 1e6 / min(s):.2f} M chars/s")
        if args.base:
            print(f"base / this: best {min(seconds['base']) / min(seconds['this']):.2f}x, "
                  f"median {statistics.median(seconds['base']) / statistics.median(seconds['this']):.2f}x")
            ok = compare("without NER", found["this"], found["base"])
            if args.ner:
                ner = {name: run_child(tree, batches_path, os.path.join(work, f"{name}-ner.pkl"), ner=True)
                       for name, tree in trees}
                ok = compare("with NER", ner["this"]["findings"], ner["base"]["findings"]) and ok
                print("detection with NER, CPU seconds (one run each): "
                      + ", ".join(f"{name} {ner[name]['seconds']:.2f}" for name, _ in trees)
                      + f"; base / this {ner['base']['seconds'] / ner['this']['seconds']:.2f}x")
            if args.labelled:
                ok = compare_labelled(trees, work) and ok
            if args.long_list:
                ok = long_list(trees, work, args.long_list, args.rounds) and ok
            if not ok:
                raise SystemExit(1)
        if args.stages:
            print_stages(trees, batches_path, work, ner=args.ner, rounds=args.rounds)
        if args.profile:
            run_child(ROOT, batches_path, os.path.join(work, "profile.pkl"), profile=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
