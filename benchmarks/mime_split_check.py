#!/usr/bin/env python3
"""mime_split against the stdlib parser: the same tree for every message, and the CPU of each (issue 16).

    python benchmarks/mime_split_check.py [--corpus DIR] [--mutations 6000] [--rounds 5] [--seed 7]

Messages: every .eml file of the mail_speed corpus (benchmarks/mail_corpus.py,
or --corpus), messages the stdlib writes (nested multiparts, attached messages, 8-bit, QP and
base64 parts), hand-written odd ones (double, missing and padded boundaries, header defects, From_
lines, CR LF and lone CR line ends, digests), and --mutations copies of those with lines duplicated,
dropped, blanked, padded, cut or given other line ends (seeded). For each: the stdlib's tree
(`BytesParser(policy).parse`) and mime_split's, compared whole (tests/mime_trees.tree: headers as
stored, raw payloads, defects, preamble, epilogue), and what a scan takes from each: text, fields, and
each attachment's name and bytes.
Prints how many took the split and how many fell back, any difference (the exit status is 1 then),
and the CPU of parsing the corpus's messages each way (best of --rounds, alternating).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from email.parser import BytesParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT, os.path.join(ROOT, "tests")]

from connectors.containers import rfc822  # noqa: E402
from connectors.containers.mime_split import split  # noqa: E402
from mail_corpus import build  # noqa: E402
from mime_trees import HAND_WRITTEN, built_messages, mutated, tree  # noqa: E402


def stdlib(data: bytes):
    return BytesParser(policy=rfc822._POLICY).parse(io.BytesIO(data))


def scan_view(msg) -> tuple:
    """What a scan takes from a message: its text and fields, and each attachment's name and bytes."""
    out = rfc822.message_text(msg, 10**8)
    attachments = []
    for n, (kind, part) in enumerate(rfc822.bodies_and_attachments(msg)):
        if kind == "attachment":
            try:
                attachments.append((rfc822.attachment_name(part, n), rfc822.attachment_bytes(part)))
            except Exception as exc:     # undecodable: the scan records it, and so must both trees
                attachments.append((rfc822.attachment_name(part, n), type(exc).__name__))
    return "".join(out.chunks), [(f.label, f.value, f.start) for f in out.fields], attachments


def corpus_messages(root: str) -> list[bytes]:
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".eml"))
    out = []
    for path in paths:
        with open(path, "rb") as f:
            out.append(f.read())
    return out


def compare(messages: list[bytes]) -> tuple[int, int, list[int]]:
    """(split taken, fallen back, indexes that differ)."""
    taken = fell_back = 0
    differ = []
    for i, data in enumerate(messages):
        got = split(data, rfc822._POLICY)
        if got is None:
            fell_back += 1
            continue
        taken += 1
        want = stdlib(data)
        if tree(got) != tree(want) or scan_view(got) != scan_view(want):
            differ.append(i)
    return taken, fell_back, differ


def cpu(fn, messages: list[bytes]) -> float:
    started = time.process_time()
    for data in messages:
        fn(data)
    return time.process_time() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", help="an existing mail_speed corpus (default: build one)")
    ap.add_argument("--mutations", type=int, default=6000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = args.corpus
        if not root:
            root = os.path.join(work, "corpus")
            build(root, 120, 40)
        mail = corpus_messages(root)
    seeds = mail + built_messages() + HAND_WRITTEN
    rng = random.Random(args.seed)
    mutations = [mutated(rng.choice(seeds), rng) for _ in range(args.mutations)]
    failed = False
    for label, messages in (("mail corpus", mail), ("stdlib-written", built_messages()),
                            ("hand-written", HAND_WRITTEN), ("mutated", mutations)):
        taken, fell_back, differ = compare(messages)
        failed |= bool(differ)
        print(f"{label}: {len(messages)} messages, split {taken}, stdlib {fell_back}, different {len(differ)}"
              + (f" (first: #{differ[0]})" if differ else ""))
    best = {"stdlib": float("inf"), "mime_split (falling back where it must)": float("inf")}
    for _ in range(args.rounds):
        best["stdlib"] = min(best["stdlib"], cpu(stdlib, mail))
        best["mime_split (falling back where it must)"] = min(
            best["mime_split (falling back where it must)"], cpu(rfc822_parse, mail))
    size = sum(map(len, mail)) / 1e6
    print(f"parsing the corpus's {len(mail)} messages ({size:.2f} MB), CPU s, best of {args.rounds}; "
          f"load average {os.getloadavg()[0]:.1f}")
    for label, seconds in best.items():
        print(f"  {label}: {seconds:.4f} s ({size / seconds:.0f} MB/s)")
    print(f"  speed-up: {best['stdlib'] / best['mime_split (falling back where it must)']:.2f}x")
    return 1 if failed else 0


def rfc822_parse(data: bytes):
    msg = split(data, rfc822._POLICY)
    return msg if msg is not None else stdlib(data)


if __name__ == "__main__":
    sys.exit(main())
