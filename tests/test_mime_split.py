"""mime_split builds exactly the stdlib parser's tree, or hands the message to the stdlib (issue 16)."""
from __future__ import annotations

import io
import random
import re
from email.parser import BytesParser

import pytest

from connectors import Blob, ExploreContext, Limits, Location
from connectors.containers import rfc822
from connectors.containers.mime_split import split
from mime_trees import HAND_WRITTEN, built_messages, mutated, tree


def _stdlib(data: bytes):
    return BytesParser(policy=rfc822._POLICY).parse(io.BytesIO(data))


def _text(msg) -> tuple:
    out = rfc822.message_text(msg, 10**8)
    return "".join(out.chunks), [(f.label, f.value, f.start) for f in out.fields]


def test_written_and_odd_messages_give_the_stdlib_tree():
    messages = built_messages() + HAND_WRITTEN
    taken = 0
    for data in messages:
        got = split(data, rfc822._POLICY)
        if got is not None:
            taken += 1
            assert tree(got) == tree(_stdlib(data)), data[:200]
            assert _text(got) == _text(_stdlib(data))
    assert taken >= len(messages) // 2     # the split is what most of them take


def test_mutated_messages_give_the_stdlib_tree():
    rng = random.Random(16)
    seeds = built_messages() + HAND_WRITTEN
    taken = 0
    for _ in range(600):
        data = mutated(rng.choice(seeds), rng)
        got = split(data, rfc822._POLICY)
        if got is not None:
            taken += 1
            assert tree(got) == tree(_stdlib(data)), data[:300]
    assert taken > 150       # and the split is exercised


@pytest.mark.parametrize("data", [
    b"From: a@b.c\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n--XX\nA: b\n\nx\n--XX--\n",
    b"From: a@b.c\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nA: b\n\nx\n",
    b"From: a@b.c\nContent-Type: multipart/mixed; boundary=XX\n\n--XX--\n",
    b"From: a@b.c\nContent-Type: multipart/digest; boundary=D\n\n--D\n\nFrom: x@y.z\n\nhi\n--D--\n",
    b"From: a@b.c\nContent-Type: message/delivery-status\n\nA: b\n\nC: d\n",
    b"From: a@b.c\nnot a header line\n\nbody\n",
    b"From: a@b.c\nFrom b@c.d Mon Jan  1\n\nbody\n",
], ids=["double boundary", "no close", "no start", "digest", "delivery status", "defect", "From_ below"])
def test_what_the_split_does_not_follow_goes_to_the_stdlib(data):
    assert split(data, rfc822._POLICY) is None
    ctx = ExploreContext(Limits(), "/nonexistent")
    assert tree(rfc822.parse(Blob(Location("m.eml"), len(data), data=data), ctx)) == tree(_stdlib(data))


def test_an_attached_message_is_split_too():
    """Forwarded as an attachment: the part holds a message whose text ends where the part's does."""
    data = (b"From: a@b.c\nContent-Type: multipart/mixed; boundary=O\n\n--O\n\nbody\n--O\n"
            b"Content-Type: message/rfc822\n\nFrom: x@y.z\nSubject: fwd\n\nforwarded text\n\n--O--\n")
    got = split(data, rfc822._POLICY)
    inner = got.get_payload()[1].get_payload()[0]
    assert inner["Subject"] == "fwd" and inner.get_payload() == "forwarded text\n"
    assert tree(got) == tree(_stdlib(data))


def test_the_tree_comparison_sees_a_moved_line_break():
    """The line break before a boundary belongs to the boundary: a part that kept it is another tree."""
    data = b"From: a@b.c\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n\nbody\n--XX--\n"
    got = split(data, rfc822._POLICY)
    assert got.get_payload()[0].get_payload() == "body"
    got.get_payload()[0].set_payload("body\n")
    assert tree(got) != tree(_stdlib(data))


def test_a_scan_reads_a_file_through_the_split_or_streams_a_big_one(tmp_path, monkeypatch):
    data = built_messages()[0].replace(b"\n", b"\r\n")
    path = tmp_path / "m.eml"
    path.write_bytes(data)
    ctx = ExploreContext(Limits(), str(tmp_path))
    blob = Blob(Location(str(path)), len(data), path=str(path))
    assert split(data, rfc822._POLICY) is not None
    assert tree(rfc822.parse(blob, ctx)) == tree(_stdlib(data))
    monkeypatch.setattr(rfc822, "split", lambda *a: pytest.fail("a message over SPLIT_MAX_BYTES is streamed"))
    monkeypatch.setattr(rfc822, "SPLIT_MAX_BYTES", len(data) - 1)
    assert tree(rfc822.parse(blob, ctx)) == tree(_stdlib(data))


def test_multiparts_nested_beyond_the_recursion_limit_are_left_to_the_stdlib():
    depth = 1100        # past the default limit of 1,000 frames: the stdlib's parser takes one a level
    data = b"From: a@b.c\n" + b"".join(b"Content-Type: multipart/mixed; boundary=B%d\n\n--B%d\n" % (i, i)
                                       for i in range(depth))
    data += b"\nleaf\n" + b"".join(b"--B%d--\n" % i for i in reversed(range(depth)))
    assert split(data, rfc822._POLICY) is None
    blob = Blob(Location("deep.eml"), len(data), data=data)
    with pytest.raises(RecursionError):     # as before: the scan records it as a parser failure
        rfc822.parse(blob, ExploreContext(Limits(), "/nonexistent"))


def test_boundary_lines_are_the_lines_the_stdlib_pattern_matches():
    """The stdlib matches this pattern against each line (feedparser.py); the search must find the same."""
    from connectors.containers.mime_split import _boundary_lines

    separator = "--XX"
    pattern = re.compile("(?P<sep>" + re.escape(separator)
                         + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$")
    pieces = ["--XX", "--XX--", "--XX \t", "--XX-- ", "--XXy", "x--XX", "", "text", "--XX-- x", " --XX",
              "----XX"]
    rng = random.Random(3)
    for _ in range(2000):
        body = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) + rng.choice(["", "\n"])
        want, at = [], 0
        for line in body.splitlines(keepends=True):
            match = pattern.match(line)
            if match:
                want.append((at, at + len(line.rstrip("\n")), bool(match.group("end"))))
            at += len(line)
        assert _boundary_lines(body, separator) == want, repr(body)
