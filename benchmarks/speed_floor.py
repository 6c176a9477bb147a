#!/usr/bin/env python3
"""What the libraries pdsweep must use cost alone on the mail_speed corpus, and the speed they leave (issue 16).

    python benchmarks/speed_floor.py [--corpus DIR | --scale N] [--batches-file F] [--rounds 3] [--scan]

Issue 16 asks for 1 MB/s per core with NER and 3 MB/s without, on one worker, end to end, with
results unchanged, Presidio kept as the recogniser framework and spaCy's `en_core_web_sm` as the
model. This script measures, on the issue's corpus (benchmarks/mail_corpus.py; `--scale 6` is the
issue's size), the CPU seconds of the library calls alone that any pipeline meeting those rules
pays on one worker, with none of pdsweep's own code around them:

  start-up   a fresh interpreter importing Presidio (which imports spaCy): no text can be analysed
             before it; with NER, spaCy loading the model's `ner` component too;
  libmagic   `magic.Magic(mime=True).from_buffer` on exactly the heads a scan hands it (recorded
             while the corpus is explored): the stored MIME types come from it;
  mail       the stdlib parsing each message and decoding its text parts, the cheaper of
             `policy.compat32` (`get_payload(decode=True)`) and `policy.default` (`get_content()`);
  office     unzipping and parsing (lxml) the XML parts of the DOCX and XLSX files that hold their
             text (the document, headers, footers, notes, comments; shared strings and sheets), a
             lower bound of any reader of their text;
  patterns   Hyperscan scanning each text with the recognisers' compiled databases, as the pattern
             pass does today before Python's `re` decides each match (detectors/prefilter.py): the
             one pass over every character that the pattern recognisers cannot do without;
  NER        `nlp.pipe` over exactly the pieces the detector hands the model (ner_cost.py), with the
             fastest matrix products known here (detectors/ner_ops.py); fewer or shorter pieces
             would change its entities (ner_cost.py --lines).

The rest of the pattern recognisers (Python's `re` in the windows, validation), the name index,
keying, rows and Parquet are left out: they are pdsweep's own code, so the caps printed are upper
bounds (what one worker could reach if all of that were free).
Each figure is the least CPU time of --rounds rounds (process time; a fresh process for start-up).
`--scan` also times the real CLI, one worker, with and without NER, for what the rest costs, and
measures how two CPU-bound processes slow each other on this machine: with that and the library
start-up (nothing can be analysed before it, so it is serial), the most 2 workers could give over 1.
"""
from __future__ import annotations

import argparse
import email
import glob
import io
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from email import policy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]

NER_ONLY = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]


def child_cpu(code: str, rounds: int) -> float:
    """Least CPU seconds (user + system) of a fresh interpreter running `code`."""
    best = float("inf")
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def least(run, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def magic_heads(corpus: str) -> list[bytes]:
    """Every buffer a scan's exploration hands libmagic, in order (each text is read once, as the
    scanner claims a content)."""
    import magic
    from connectors import Blob, ExploreContext, Limits, Location, explore
    heads: list[bytes] = []
    original = magic.Magic.from_buffer

    def recording(self, buffer):
        heads.append(bytes(buffer))
        return original(self, buffer)

    magic.Magic.from_buffer = recording
    tmp = tempfile.mkdtemp(prefix="pdsweep-floor-")
    read: set[str] = set()
    try:
        for path in sorted(glob.glob(os.path.join(corpus, "**", "*"), recursive=True)):
            if not os.path.isfile(path):
                continue
            for item in explore(Blob(Location(path), os.path.getsize(path), path=path), ExploreContext(Limits(), tmp)):
                if item.extract is not None and item.status == "ok" and item.content_hash not in read:
                    read.add(item.content_hash)
                    for _ in item.extract().chunks:
                        pass
    finally:
        magic.Magic.from_buffer = original
    return heads


def mail_compat32(messages: list[bytes]) -> None:
    for raw in messages:
        for part in email.message_from_bytes(raw, policy=policy.compat32).walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True) or b""
                payload.decode(part.get_content_charset() or "ascii", "replace")


def mail_default(messages: list[bytes]) -> None:
    for raw in messages:
        for part in email.message_from_bytes(raw, policy=policy.default).walk():
            if part.get_content_maintype() == "text":
                part.get_content()


# The parts of an OOXML package that hold its text; styles, themes and settings hold none.
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"
                        r"|xl/sharedStrings\.xml|xl/worksheets/[^/]+\.xml")


def office_xml(packages: list[bytes]) -> None:
    from lxml import etree
    for package in packages:
        with zipfile.ZipFile(io.BytesIO(package)) as zf:
            for name in zf.namelist():
                if TEXT_PARTS.fullmatch(name):
                    etree.fromstring(zf.read(name))


def prefilter_scans(batches: list) -> list:
    """(database, bytes) of every Hyperscan scan the pattern pass makes over the batches."""
    from detectors import DetectorSettings
    from detectors import prefilter
    from detectors.detector import Detector
    scans = []
    original = prefilter._Database.ends

    def recording(self, data, *rest):
        scans.append((self.database, bytes(data)))
        return original(self, data, *rest)

    prefilter._Database.ends = recording
    try:
        detector = Detector(DetectorSettings(use_ner=False))
        for batch in batches:
            detector.analyze_many(batch)
    finally:
        prefilter._Database.ends = original
    return scans


def scan_all(scans: list) -> None:
    import hyperscan
    scratch = {}
    for database, data in scans:
        space = scratch.get(id(database)) or scratch.setdefault(id(database), hyperscan.Scratch(database))
        database.scan(data, match_event_handler=lambda *event: None, scratch=space)


def scan_seconds(corpus: str, no_ner: bool) -> float:
    work = tempfile.mkdtemp(prefix="pdsweep-floor-scan-")
    command = [sys.executable, "-m", "scanner", "scan", corpus, "-w", "1", "--inventory", os.path.join(work, "inv"),
               "--key", os.path.join(work, "key")] + (["--no-ner"] if no_ner else [])
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="an existing mail_speed corpus (default: build one)")
    ap.add_argument("--scale", type=int, default=6, help="corpus size when building one (6: the issue's size)")
    ap.add_argument("--batches-file", help="the detector's captured batches (detect_speed.py's); made when missing")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scan", action="store_true", help="also time the real CLI, one worker, with and without NER")
    args = ap.parse_args()
    from detectors.model import DetectorSettings
    model = DetectorSettings().model
    work = tempfile.mkdtemp(prefix="pdsweep-floor-")
    corpus = args.corpus
    if not corpus:
        from mail_corpus import build
        corpus = os.path.join(work, "corpus")
        build(corpus, 120 * args.scale, 40 * args.scale)

    import detect_speed
    import ner_cost
    if args.batches_file and os.path.exists(args.batches_file):
        batches = ner_cost.batches_for(args.batches_file)
    else:
        batches = detect_speed.capture(corpus, work)
        if args.batches_file:
            with open(args.batches_file, "wb") as f:
                pickle.dump(batches, f)
    chars = sum(len(text) for batch in batches for text, _ in batch)
    pieces = ner_cost.pieces_handed_to_ner(batches)

    files = sorted(p for p in glob.glob(os.path.join(corpus, "**", "*"), recursive=True) if os.path.isfile(p))
    messages = [open(p, "rb").read() for p in files if p.endswith(".eml")]
    packages = [open(p, "rb").read() for p in files if p.endswith((".docx", ".xlsx"))]
    heads = magic_heads(corpus)
    scans = prefilter_scans(batches)

    import magic
    from detectors.ner import BATCH_SIZE, load_ner
    handle = magic.Magic(mime=True)
    nlp = load_ner(model)
    r = args.rounds
    floors = {
        "start-up: interpreter + Presidio (+ spaCy)": child_cpu("import presidio_analyzer", r),
        "libmagic": least(lambda: [handle.from_buffer(h) for h in heads], r),
        "mail: stdlib parse + text parts": min(least(lambda: mail_compat32(messages), r),
                                               least(lambda: mail_default(messages), r)),
        "office: unzip + parse the XML parts with text": least(lambda: office_xml(packages), r),
        "patterns: Hyperscan over every text": least(lambda: scan_all(scans), r),
    }
    with_ner = {
        "start-up: + spaCy loading the model's ner": child_cpu(
            f"import presidio_analyzer, spacy; spacy.load({model!r}, exclude={NER_ONLY!r})", r)
        - floors["start-up: interpreter + Presidio (+ spaCy)"],
        "NER over the pieces it must read": least(lambda: list(nlp.pipe(pieces, batch_size=BATCH_SIZE)), r),
    }
    mb = chars / 1e6
    print(f"corpus {corpus}: {len(messages):,} messages, {len(packages):,} office files, {chars:,} characters "
          f"of text; {len(heads):,} libmagic calls; {len(scans):,} Hyperscan scans; NER reads {len(pieces):,} pieces, "
          f"{sum(map(len, pieces)):,} characters; load average {os.getloadavg()[0]:.1f}")
    print("\n| library floor, one worker | CPU s |\n|---|---|")
    for label, seconds in {**floors, **with_ner}.items():
        print(f"| {label} | {seconds:.2f} |")
    no_ner_sum = sum(floors.values())
    ner_sum = no_ner_sum + sum(with_ner.values())
    print(f"\nwithout NER: the libraries alone take {no_ner_sum:.2f} s: at most {mb / no_ner_sum:.2f} MB/s "
          f"per worker if all of pdsweep's own code were free (target 3 MB/s: the own code may take "
          f"{mb / 3 - no_ner_sum:+.2f} s)")
    print(f"with NER:    the libraries alone take {ner_sum:.2f} s: at most {mb / ner_sum:.2f} MB/s "
          f"per worker if all of pdsweep's own code were free (target 1 MB/s: the own code may take "
          f"{mb / 1 - ner_sum:+.2f} s)")
    startup = floors["start-up: interpreter + Presidio (+ spaCy)"]
    if args.scan:
        alone, together = two_at_once()
        print(f"this machine: a CPU-bound Python loop takes {alone:.2f} s alone, {together:.2f} s with a second "
              f"copy beside it: two workers' work runs {alone / together:.3f}x as fast each")
        for label, no_ner, libraries, first in (("without NER", True, no_ner_sum, startup),
                                                ("with NER", False, ner_sum,
                                                 startup + with_ner["start-up: + spaCy loading the model's ner"])):
            wall = scan_seconds(corpus, no_ner)
            work_after = wall - first
            best_two = first + work_after / 2 * together / alone
            print(f"pdsweep scan -w 1, {label}: {wall:.2f} s wall = {mb / wall:.3f} MB/s; libraries "
                  f"{libraries:.2f} s, the rest {wall - libraries:.2f} s. With only the library start-up "
                  f"({first:.2f} s) before the workers and nothing after them, 2 workers could reach at most "
                  f"{wall / best_two:.2f}x one (target 1.8x)")


def spin(loops: int = 6_000_000) -> float:
    """CPU-bound pure Python (arithmetic and a dict), as the analysis is: its wall seconds."""
    started = time.perf_counter()
    total, seen = 0, {}
    for i in range(loops):
        total += i * i % 7
        seen[i & 4095] = total
    return time.perf_counter() - started


def two_at_once(rounds: int = 3) -> tuple[float, float]:
    """Least wall seconds of `spin` alone, and of each of two copies running at once (fork)."""
    import multiprocessing
    alone = min(spin() for _ in range(rounds))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        together = min(max(pool.map(spin, [6_000_000, 6_000_000])) for _ in range(rounds))
    return alone, together

if __name__ == "__main__":
    main()
