"""Format conformance: files written by real writers, read as a scan reads them.

Every file is written at run time (conformance_corpus: LibreOffice in each format it exports,
msoffcrypto-tool, qpdf, Info-ZIP zip, Python's writers, and hand-built files where no writer
exists here) and explored through the one dispatcher, text extracted as the scanner does. A file
is ok when nothing in it was refused and the person's name or address came out of it; otherwise
its first status and reason are given. Files meant to be unreadable (a password nobody gave us)
say what they were expected to be recorded as.

    python benchmarks/conformance.py            # needs soffice; qpdf and zip add their rows
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from connectors import Blob, ExploreContext, Limits, Location, explore  # noqa: E402
from connectors.dispatch import safe_reason, status_of  # noqa: E402
import conformance_corpus as corpus  # noqa: E402
from format_writers import MARKS, SOFFICE  # noqa: E402


def outcome(path: str, workdir: str, sample) -> tuple[str, str]:
    """("ok", "") when the sample's text came out (at its member) and nothing was refused, else the
    first (status, reason)."""
    ctx = ExploreContext(Limits(), workdir)
    blob = Blob(Location(path), os.path.getsize(path), path=path)
    marks = [sample.marker] if sample.marker else [MARKS.name, MARKS.email]
    found, problem, named = False, None, not sample.member
    for item in explore(blob, ctx):
        status, reason, text = item.status, item.reason, ""
        if item.extract is not None:
            try:
                text = item.extract().text()
            except Exception as exc:
                status, reason = status_of(exc), safe_reason(exc)
        found = found or any(mark in text for mark in marks)
        named = named or item.location.uri.endswith("!/" + sample.member)
        if status != "ok" and problem is None:
            problem = (status, reason)
    if problem:
        return problem
    if not named:
        return ("misnamed", f"no member named {sample.member}")
    return ("ok", "") if found else ("empty", f"read, but {marks[0]!r} is not in its text")


def main() -> int:
    if SOFFICE is None:
        print("LibreOffice (soffice) is missing: the conformance corpus cannot be written")
        return 2
    with tempfile.TemporaryDirectory(prefix="conformance-") as work:
        started = time.monotonic()
        samples, written, failed = corpus.libreoffice_samples(os.path.join(work, "lo"))
        samples += corpus.derived_samples(written, work)
        wrote = time.monotonic() - started
        rows: dict[tuple[str, str], list] = defaultdict(list)
        started = time.monotonic()
        for n, sample in enumerate(samples):
            path = os.path.join(work, f"sample-{n}")          # no extension: content decides
            with open(path, "wb") as f:
                f.write(sample.data)
            os.makedirs(os.path.join(work, f"tmp-{n}"))
            result = outcome(path, os.path.join(work, f"tmp-{n}"), sample)
            rows[(sample.format, sample.writer)].append((sample, result))
        read = time.monotonic() - started
    print_table(rows)
    total = sum(len(v) for v in rows.values())
    ok = sum(1 for v in rows.values() for _s, (st, _r) in v if st == "ok")
    as_expected = sum(1 for v in rows.values() for s, (st, _r) in v if st == s.expected)
    print(f"\n{total} files, {ok} ok, {as_expected} recorded as expected "
          f"(ok, or the honest status of a file no one can read without its password)")
    print(f"written in {wrote:.1f} s, read in {read:.1f} s")
    if failed:
        print("LibreOffice could not write: " + ", ".join(failed))
    return 0 if as_expected == total else 1


def print_table(rows) -> None:
    print("| format | writer | files | ok | not ok: variant -> status: reason (expected) |")
    print("|---|---|---:|---:|---|")
    for (fmt, writer), results in sorted(rows.items()):
        ok = sum(1 for _s, (status, _r) in results if status == "ok")
        notes = [f"{s.variant} -> {status}: {reason}" + ("" if status == s.expected else " **UNEXPECTED**")
                 for s, (status, reason) in results if status != "ok"]
        print(f"| {fmt} | {writer} | {len(results)} | {ok} | {'; '.join(notes)} |")


if __name__ == "__main__":
    sys.exit(main())
