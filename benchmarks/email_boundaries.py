"""Speed and yield of the email recogniser that unwraps addresses (issue 15) against the pattern
before it, side by side on the same text: MB/s of text (lines holding an "@"), addresses found, and
how many of the spans found still carry a wrapper (`'jane@…`, `=3Djane@…`, `/cn=jdoe@…`: keyed
that way before issue 15, so `find --email` never matched them).

    python benchmarks/email_boundaries.py
"""
from __future__ import annotations

import gc
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from presidio_analyzer import Pattern  # noqa: E402

from detectors.email_address import bare_email  # noqa: E402
from detectors.recognizers.base import SpanPatternRecognizer, windows  # noqa: E402
from detectors.recognizers.email_recognizer import EmailAddressRecognizer  # noqa: E402


class BeforeIssue15(SpanPatternRecognizer):
    """The email pattern as it was: any RFC 5322 atext character may start the local part."""
    ENTITY, NEEDS = "EMAIL_ADDRESS", "@"
    PATTERNS = [Pattern("email", r"(?<![\w.+\-])(?P<value>[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+"
                                 r"(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-]+)*"
                                 r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})\b", 0.9)]


SOFT_BREAK = re.compile(r"=\r?\n")   # inside a span, not a wrapper: keying removes it
CORPORA = {
    "prose, an address a line": ("Dear Jane, please write to jane.doe@example.org about the order. " * 20
                                 + "\n") * 2000,
    "Outlook header lists": ("To: 'jane.doe@example.org'; 'john.roe@example.net'; <a.b@c.co.uk> " * 10
                             + "\n") * 3000,
    "undecoded QP mail": ("Reply to jane.doe@exam=\nple.org or href=3D\"mailto:a.b@c.co.uk\" today " * 10
                          + "\n") * 3000,
    "Exchange paths": ("/o=ORG/ou=Exchange Administrative Group/cn=Recipients/cn=jdoe@example.org " * 10
                       + "\n") * 3000,
    "long words, no address": ("x" * 60 + ".y" * 30 + " @ " + "q" * 50 + "\n") * 5000,
}


def measure(recogniser, text: str, spans) -> tuple[float, list[str]]:
    best, found = 1e9, []
    for _ in range(5):              # best of five: the machine is shared
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        found = [text[r.start:r.end] for r in recogniser.find_in(text, spans)]
        best = min(best, time.perf_counter() - started)
        gc.enable()
    return len(text) / 1e6 / best, found


def main() -> None:
    before, now = BeforeIssue15(), EmailAddressRecognizer()
    print(f"{'text':26s} {'MB':>5s} | {'before MB/s':>11s} {'found':>6s} {'wrapped':>7s} | "
          f"{'now MB/s':>8s} {'found':>6s} {'wrapped':>7s} | now/before")
    for name, text in CORPORA.items():
        spans = windows(text, re.compile("@"))
        row = []
        for recogniser in (before, now):
            speed, found = measure(recogniser, text, spans)
            wrapped = sum(bare_email(v) != SOFT_BREAK.sub("", v) for v in found)
            row.append((speed, len(found), wrapped))
        (b_speed, b_found, b_wrapped), (n_speed, n_found, n_wrapped) = row
        print(f"{name:26s} {len(text) / 1e6:5.2f} | {b_speed:11.2f} {b_found:6d} {b_wrapped:7d} | "
              f"{n_speed:8.2f} {n_found:6d} {n_wrapped:7d} | {n_speed / b_speed:10.2f}")


if __name__ == "__main__":
    main()
