"""A part's content type, attachment flag and file name read once per distinct MIME header pair
(issue 16) give what the stdlib's own calls give on each part, for the headers that are hard to read."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from connectors.containers import rfc822
from connectors.containers.mime_split import split

# (Content-Type, Content-Disposition) lines of a part; None leaves the header out.
PARTS = [
    ("Content-Type: text/plain; charset=utf-8", None),
    ("Content-Type: text/plain; charset=utf-8", "Content-Disposition: attachment"),
    ("Content-Type: text/html", "Content-Disposition: inline"),
    ("Content-Type: TEXT/Plain; name=\"notes.txt\"", None),                    # name only in the type
    ("Content-Type: application/pdf;\n name=\"=?utf-8?q?R=C3=A9sum=C3=A9.pdf?=\"", "Content-Disposition: inline"),
    ("Content-Type: application/octet-stream",                                 # RFC 2231, continued
     "Content-Disposition: attachment;\n filename*0*=utf-8''%C3%9Cnal%20;\n filename*1=\"O.txt\""),
    ("Content-Type: text/plain", "Content-Disposition: attachment; filename*=iso-8859-1'en'Gr%FC%DFe.txt"),
    ("Content-Type: text/plain; charset=\"us-ascii\"\n\t(a comment)", "Content-Disposition:\n attachment;\n\tfilename=\"a\\\\b/c d.txt\""),
    ("Content-Type: textplain", None),                                         # no slash: text/plain
    ("Content-Type: ", None),                                                  # empty
    ("Content-Type: text/html\nContent-Type: application/zip", None),          # duplicate: the first counts
    (None, None),                                                              # missing: the default type
    (None, "Content-Disposition: attachment; filename=\"x.bin\""),
    ("Content-Type: text/plain; name=\"=?bogus?q?x?=\"", "Content-Disposition: attachment; filename=\"\""),
    ("Content-Type: text/plain; charset=\"unclosed", "Content-Disposition: attach\xe9ment; filename=caf\xe9.txt"),
]


def _message(parts, digest=False) -> bytes:
    lines = ["From: Jane Smith <jane@example.org>", "Subject: parts",
             f"Content-Type: multipart/{'digest' if digest else 'mixed'}; boundary=\"b0\"", "", "--b0"]
    for n, (ctype, disposition) in enumerate(parts):
        lines += [h for h in (ctype, disposition) if h is not None] + ["", f"body {n}", "--b0"]
    lines[-1] = "--b0--"
    return "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n"


def _parsed(raw: bytes):
    """As rfc822.parse reads it: mime_split's tree, or the stdlib's where the split declines."""
    return split(raw, rfc822._POLICY) or BytesParser(policy=rfc822._POLICY).parsebytes(raw)


def _leaves(msg):
    return [p for p in msg.walk() if not p.is_multipart()]


def _stdlib_answers(part):
    try:
        attached = part.get_content_disposition() == "attachment" or bool(part.get_filename())
    except Exception:
        attached = True
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return part.get_content_type(), attached, name


def _our_answers(part):
    name = rfc822.attachment_name(part, 0)
    return rfc822.content_type(part), rfc822._is_attachment(part), "" if name == "attachment-0" else name


@pytest.mark.parametrize("digest", [False, True])
def test_each_parts_answers_are_the_stdlibs_read_fresh_and_from_the_memo(digest):
    raw = _message(PARTS, digest)
    fresh = _leaves(BytesParser(policy=policy.default).parsebytes(raw))
    rfc822._PART_ONCE.kept.clear()
    for _ in range(2):        # the second round answers from the memo
        ours = _leaves(_parsed(raw))
        assert len(ours) == len(fresh) == len(PARTS)
        for mine, theirs in zip(ours, fresh):
            expected = _stdlib_answers(theirs)
            assert _our_answers(mine)[:2] == expected[:2]
            assert _our_answers(mine)[2] == rfc822._CONTROL.sub(" ", expected[2]).replace("\\", "/").rsplit("/", 1)[-1].strip()
    assert rfc822._PART_ONCE.kept
    untyped = _parsed(raw).get_payload()[PARTS.index((None, None))]
    assert rfc822.content_type(untyped) == ("message/rfc822" if digest else "text/plain")   # the default type


def test_a_header_changed_after_reading_gives_the_new_answer():
    part = _leaves(_parsed(_message(PARTS[:2])))[0]
    assert (rfc822.content_type(part), rfc822._is_attachment(part)) == ("text/plain", False)
    part.replace_header("Content-Type", "application/zip; name=\"a.zip\"")
    assert (rfc822.content_type(part), rfc822._is_attachment(part)) == ("application/zip", True)
    assert rfc822.attachment_name(part, 3) == "a.zip"


def test_parts_it_cannot_key_are_read_directly_and_the_memo_stays_bounded():
    from email.message import EmailMessage

    from connectors.containers.header_memo import PartMemo

    calls = []

    def read(part):
        calls.append(1)
        return part.get_content_type()

    memo = PartMemo(rfc822._POLICY)
    memo.MAX_KEPT = 3
    built = EmailMessage()                  # another policy, headers set by code
    built["Content-Type"] = "text/html"
    assert memo.read(read, built) == memo.read(read, built) == "text/html"
    assert len(calls) == 2 and not memo.kept
    for n in range(5):
        part = _parsed(f"Content-Type: text/x-{n}\n\nx\n".encode())
        assert memo.read(read, part) == memo.read(read, part) == f"text/x-{n}"
    assert len(calls) == 2 + 5 and 0 < len(memo.kept) <= 3


def test_an_untyped_part_reads_its_own_default_type():
    """The same (absent) headers in a digest and in a mixed multipart: message/rfc822 and text/plain."""
    untyped = [_parsed(_message(PARTS[11:12], digest)).get_payload()[0] for digest in (False, True, False)]
    assert [rfc822.content_type(p) for p in untyped] == ["text/plain", "message/rfc822", "text/plain"]


@pytest.mark.parametrize("content_type, encoding, body", [
    ("text/plain; charset=utf-8", "8bit", "Grüße Zoë\n".encode()),
    ("text/plain; charset=\"iso-8859-1\"", "quoted-printable", b"Gr=FC=DFe\n"),
    ("text/html; charset=utf-8", "base64", b"PHA+SmFuZSBTbWl0aDwvcD4=\n"),
    ("text/plain", "8bit", "Zoë\n".encode()),                                   # no charset: ASCII, replaced
    ("text/plain; charset=x-unknown", "7bit", b"plain\n"),                       # unknown charset: an error
    ("text/plain; charset*=utf-8''utf-8", "8bit", "Zoë\n".encode()),            # RFC 2231: a tuple, an error
    ("text/plain; charset=utf-8", "base64", b"!!not base64\n"),
])
def test_a_body_reads_as_get_content_reads_it(content_type, encoding, body):
    raw = (f"From: a@example.org\nContent-Type: {content_type}\nContent-Transfer-Encoding: {encoding}\n\n"
           .encode() + body)
    fresh = BytesParser(policy=policy.default).parsebytes(raw)
    for _ in range(2):        # the second read takes the charset from the memo
        ours = _parsed(raw)
        assert rfc822.body_text(ours, 10**6) == rfc822.body_text(fresh, 10**6)
        try:
            expected = fresh.get_content()
        except Exception as exc:
            expected = type(exc)
        try:
            got = rfc822._text_content(ours)
        except Exception as exc:
            got = type(exc)
        assert got == expected
