"""Quoted mail is read once (issue 16): segments, offset maps, the same findings as the message quoted.

Messages are generated with Faker (en_GB) and written as real .eml files; their text and fields
come from the connectors, as a scan gets them.
"""
from __future__ import annotations

import os
import random
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from faker import Faker

from connectors import ExploreContext, Limits, explore
from connectors.source import open_outer
from core_helpers import cli_json
from detectors import Detector, DetectorSettings
from detectors.detector import SegmentCache
from detectors.ner import EntityCache
from detectors.quoted import split


def _person(fake: Faker) -> dict:
    first, last = fake.first_name(), fake.last_name()
    return dict(first=first, last=last, email=f"{first}.{last}@acme.co.uk".lower().replace("'", ""),
                phone=fake.phone_number(), address=fake.address().replace("\n", ", "))


def _body(fake: Faker, rnd: random.Random, sender: dict, to: dict, other: dict) -> str:
    """A greeting, paragraphs naming a third person, and a signature with the name over two lines."""
    paragraphs = [fake.paragraph(nb_sentences=rnd.randint(2, 5)) for _ in range(3)]
    paragraphs[1] += f" Please copy {other['first']} {other['last']} ({other['email']}) in on this."
    return (f"Hi {to['first']},\n\n" + "\n\n".join(paragraphs)
            + f"\n\n\nKind regards,\n\n{sender['first']}\n{sender['last']}\nT: {sender['phone']}\n"
            + f"{sender['address']}\n")


def _quoted(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.splitlines()) + "\n"


def _eml(path, sender: dict, to: dict, text: str, when) -> str:
    msg = EmailMessage()
    msg["From"] = f"{sender['first']} {sender['last']} <{sender['email']}>"
    msg["To"] = f"{to['first']} {to['last']} <{to['email']}>"
    msg["Subject"] = "Re: the account"
    msg["Date"] = format_datetime(when)
    msg.set_content(text)
    path.write_bytes(bytes(msg))
    return str(path)


def _read(path: str, tmp_path) -> tuple[str, list]:
    """The message's text and fields as the connectors give them to the detector."""
    for item in explore(open_outer(path, str(tmp_path), None), ExploreContext(Limits(), str(tmp_path))):
        if item.extract is not None and item.status == "ok":
            extracted = item.extract()
            return extracted.text(), extracted.fields
    raise AssertionError(f"no text from {path}")


@pytest.fixture(scope="module")
def thread(tmp_path_factory):
    """A's message to B; B's reply to C quoting it with "> "; C's reply quoting that with ">" (">>" deep).
    A's name is in the replies only as the quoted signature, first and last name on two lines."""
    tmp = tmp_path_factory.mktemp("thread")
    fake, rnd = Faker("en_GB"), random.Random(16)
    fake.seed_instance(16)
    a, b, c = (_person(fake) for _ in range(3))
    when = fake.date_time_this_decade()
    original = _body(fake, rnd, a, b, c)
    reply = _body(fake, rnd, b, c, c) + f"\n\nOn {format_datetime(when)}, <{a['email']}> wrote:\n" \
        + _quoted(original, "> ")
    second = _body(fake, rnd, c, b, b) + f"\n\nOn {format_datetime(when)}, <{b['email']}> wrote:\n" \
        + _quoted(reply, ">")
    paths = [_eml(tmp / name, s, t, text, when)
             for name, s, t, text in (("original.eml", a, b, original), ("reply.eml", b, c, reply),
                                      ("second.eml", c, b, second))]
    return dict(people=(a, b, c), bodies=(original, reply, second), paths=paths, tmp=tmp)


@pytest.fixture(scope="module")
def detector():
    return Detector(DetectorSettings())


def _quoted_positions(text: str, body: str, opener: str) -> list[int]:
    """Where each character of `body` sits in `text`, quoted below `opener`: written from the quoting
    rule (a prefix of ">" and optional spaces per line), not from the code under test."""
    at = text.index(opener) + len(opener)
    positions = []
    for line in body.split("\n")[:-1]:
        prefix = len(text[at:]) - len(text[at:].lstrip("> "))
        positions += [at + prefix + k for k in range(len(line) + 1)]   # the line and its line break
        at += prefix + len(line) + 1
    return positions


def test_segments_strip_each_depth_and_map_every_character_back(thread, tmp_path):
    text, _ = _read(thread["paths"][2], tmp_path)
    segments = split(text)
    for s in segments:
        assert all(text[s.original(k)] == ch for k, ch in enumerate(s.text))
        assert not s.text.startswith(">")
    texts = [s.text for s in segments]
    # The depth-2 copy (">>" and "> >" prefixes, both in one thread) reads as the original's own text.
    header, *original = [s.text for s in split(_read(thread["paths"][0], tmp_path)[0])]
    greeting = f"Hi {thread['people'][1]['first']},"
    assert header.startswith("From:") and [t.split("\n")[0] for t in original] == [greeting, "Kind regards,"]
    assert all(t in texts for t in original) and header not in texts
    # The header line opening each quote is a segment of its own.
    assert sum(t.rstrip().endswith("wrote:") for t in texts) == 2


def test_crlf_and_mixed_prefixes_keep_the_same_segments(thread):
    """The reply as a Windows client stores it (CRLF), and quoted by clients that mix ">" and "> "."""
    a = thread["people"][0]
    original, reply, _ = thread["bodies"]
    lf = "From: x@example.com\nTo: y@example.com\n\n" + reply
    opener = f"<{a['email']}> wrote:\n"
    head, _ = lf.split(opener)
    mixed = head + opener + "".join((">" if i % 2 else "> ") + line + "\n"
                                    for i, line in enumerate(original.splitlines()))
    assert [s.text for s in split(mixed)] == [s.text for s in split(lf)]
    crlf = lf.replace("\n", "\r\n")
    crlf_segments = split(crlf)
    assert [s.text for s in crlf_segments] == [s.text.replace("\n", "\r\n") for s in split(lf)]
    for s in crlf_segments:
        assert all(crlf[s.original(k)] == ch for k, ch in enumerate(s.text))


def test_text_without_a_mail_header_is_not_cut(thread):
    """Read whole, as before: no header, so no mail quote (a Markdown quote, a form, an address block)."""
    original = thread["bodies"][0]
    assert split(original) is None
    assert split("Name, Email\nJane Smith, jane@example.com\nTo do: call her > twice\n") is None
    assert split(_quoted(original, "> ")) is None
    assert split("> \n> Jane Smith\n> Asc Partners\n> Jane Smith\n> 12 High Street\n> LN1 2AB\n") is None
    assert split("From: Leeds\nTo: York\n") is not None       # a header block is enough


def test_outlook_original_message_and_a_wrapped_attribution_are_cut():
    body = "Hi Ann,\n\nThe form is signed.\n\nRegards,\nTomas Recke\n"
    header = ("-----Original Message-----\nFrom: Tomas Recke\nSent: 02 May 2024 10:01\nTo: Ann Lee\n"
              "Subject: Form")
    outlook = "Thanks, see below.\n\n" + header + "\n\n" + body
    attribution = "On Thu, 2 May 2024 at 10:01, Tomas Recke <\ntomas.recke@example.com> wrote:"
    wrapped = "Thanks.\n\n" + attribution + "\n" + _quoted(body, "> ")
    assert [s.text for s in split(outlook)] == ["Thanks, see below.\n", header + "\n", body]
    assert [s.text for s in split(wrapped)] == ["Thanks.\n", attribution + "\n", body]


def _shape(f) -> tuple:
    return f.entity_type, f.text, f.score, f.recogniser


@pytest.mark.parametrize("copy", [1, 2], ids=["quoted", "quoted-twice"])
def test_a_quoted_reply_finds_what_the_original_does_at_the_mapped_offsets(thread, detector, tmp_path, copy):
    a = thread["people"][0]
    original_text, original_fields = _read(thread["paths"][0], tmp_path)
    reply_text, reply_fields = _read(thread["paths"][copy], tmp_path)
    body = thread["bodies"][0]
    at = original_text.index(body)
    where = _quoted_positions(reply_text, body, f"<{a['email']}> wrote:\n")
    expected = {(where[f.start - at], where[f.end - 1 - at] + 1) + _shape(f)
                for f in _cold(detector).analyze(original_text, original_fields) if f.start >= at}
    found = {(f.start, f.end) + _shape(f) for f in _cold(detector).analyze(reply_text, reply_fields)
             if f.start >= where[0]}
    assert found == expected
    # The name over two quoted lines: its span covers the prefix, its text is the name as written.
    split_name = [f for f in found if f[3] == f"{a['first']}\n{a['last']}"]
    prefix = "> " if copy == 1 else ">> "
    assert split_name
    assert all(reply_text[s:e] == f"{a['first']}\n{prefix}{a['last']}" for s, e, *_ in split_name)
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"} <= {f[2] for f in found}


def _cold(detector: Detector) -> Detector:
    """The detector with its per-process caches emptied, as in a new worker (the model stays loaded)."""
    detector.segment_cache, detector.entity_cache = SegmentCache(), EntityCache()
    return detector


def test_a_cache_hit_changes_no_finding(thread, detector, tmp_path):
    texts = [_read(p, tmp_path) for p in thread["paths"]]
    cold = [_cold(detector).analyze(t, f) for t, f in texts[::-1]]   # each on its own, newest first
    read = []
    analyse = _cold(detector)._text_findings
    detector._text_findings = lambda text, entities: read.append(text) or analyse(text, entities)
    try:
        assert detector.analyze_many(texts)[::-1] == cold
    finally:
        del detector._text_findings
    assert len(read) == len(set(read))                       # each distinct segment read once
    segments = [s.text for t, _ in texts for s in split(t)]
    assert len(read) < len(segments) - 5                     # the quoted copies were hits


def test_find_by_name_sees_a_name_written_over_two_quoted_lines(thread, tmp_path):
    """End to end: the reply quotes the signature `> First` / `> Last` only, and `find` lists it."""
    from scanner.config import ScanConfig
    from scanner.scan import run_scan

    a = thread["people"][0]
    reply_text, _ = _read(thread["paths"][1], tmp_path)
    assert f"{a['first']} {a['last']}" not in reply_text        # only over two quoted lines
    inventory, key = str(tmp_path / "inv"), str(tmp_path / "key")
    summary = run_scan([str(thread["tmp"])], ScanConfig(inventory=inventory, key_path=key, workers=1,
                                                        detector=DetectorSettings(use_ner=False)))
    assert summary.status == "completed"
    rows = cli_json(["find", "--name", f"{a['first']} {a['last']}", "--inventory", inventory, "--key", key,
                     "--format", "json"])
    found = {os.path.basename(r["location"]) for r in rows}
    assert {"original.eml", "reply.eml", "second.eml"} <= found
