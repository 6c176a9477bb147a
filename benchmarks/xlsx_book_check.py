#!/usr/bin/env python3
"""The light workbook (connectors/extractors/xlsx_book.py) against openpyxl.load_workbook (issue 16).

    python benchmarks/xlsx_book_check.py [DIR ...] [--rounds 3]

Every distinct .xlsx/.xlsm/.xltx/.xltm under the DIRs (default: sample_data/ and the mail_speed
corpus, built here), the shapes tests/xlsx_variants.py writes (dates and their formats, the 1904
epoch, formulas, inline and rich strings, chartsheets, defined names, missing and damaged parts) and
the LibreOffice-written workbooks of benchmarks/conformance_corpus.py where LibreOffice is installed
are read both ways, read-only and values only as the extractor reads them: every sheet's title and
every cell's value (or the error's type) must be the same. Prints how many were compared, how many
the light path read itself and how many it handed to openpyxl, any difference (exit 1), and the CPU
seconds of reading the workbooks each way (best of --rounds).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests"), HERE]
_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


def _workbooks(dirs: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for top in dirs:
        for folder, _, names in os.walk(top):
            for name in sorted(names):
                if name.lower().endswith(_SUFFIXES):
                    with open(os.path.join(folder, name), "rb") as f:
                        data = f.read()
                    found.setdefault(hashlib.sha256(data).hexdigest(), data)
    return {f"file {n}": data for n, data in enumerate(found.values())}


def _conformance_workbooks(workdir: str) -> dict[str, bytes]:
    """LibreOffice's .xlsx (each export filter) and the ones made from them, as conformance.py writes them."""
    try:
        from conformance_corpus import derived_samples, libreoffice_samples
        samples, written, _failed = libreoffice_samples(workdir)
        samples += derived_samples(written, workdir)
    except Exception as exc:      # no LibreOffice here: the other sources still count
        print(f"conformance workbooks not written ({type(exc).__name__})")
        return {}
    return {f"conformance {s.writer} {s.variant}": s.data for s in samples if s.format == "xlsx"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import openpyxl
    import connectors.extractors.xlsx_book as xlsx_book
    from xlsx_variants import VARIANTS, read_values

    work = tempfile.mkdtemp(prefix="pdsweep-xlsx-check-")
    try:
        dirs = args.dirs
        if not dirs:
            from mail_corpus import build
            build(os.path.join(work, "corpus"))
            dirs = [os.path.join(ROOT, "sample_data"), os.path.join(work, "corpus")]
        books = {**_workbooks(dirs), **{f"variant {k}": build() for k, build in VARIANTS.items()},
                 **_conformance_workbooks(work)}

        def reference(stream):
            return openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)

        handed_on = []
        real = xlsx_book.load_workbook
        xlsx_book.load_workbook = lambda *a, **k: handed_on.append(1) or real(*a, **k)
        differ = []
        for name, data in books.items():
            if read_values(xlsx_book.open_book, data) != read_values(reference, data):
                differ.append(name)
        xlsx_book.load_workbook = real
        print(f"{len(books)} workbooks compared: {len(books) - len(handed_on)} read by the light path, "
              f"{len(handed_on)} handed to openpyxl; {len(differ)} differ")
        for name in differ:
            print(f"  DIFFERS: {name}")

        def cpu(open_workbook) -> float:
            best = float("inf")
            for _ in range(args.rounds):
                started = time.process_time()
                for data in books.values():
                    read_values(open_workbook, data)
                best = min(best, time.process_time() - started)
            return best

        light, full = cpu(xlsx_book.open_book), cpu(reference)
        print(f"reading them all, CPU s (best of {args.rounds}; load average {os.getloadavg()[0]:.1f}): "
              f"openpyxl.load_workbook {full:.3f}, light workbook {light:.3f}, {full / light:.2f}x")
        return 1 if differ else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
