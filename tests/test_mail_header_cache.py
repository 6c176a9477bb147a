"""Mail headers parsed once per distinct value give the same text, fields and members as parsing each afresh (issue 16)."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser

from builders import make_docx, make_eml, make_person
from connectors.containers import rfc822


def _text(msg):
    out = rfc822.message_text(msg, 1_000_000)
    return "".join(out.chunks), [(f.label, f.value, f.start) for f in out.fields]


def test_shared_header_objects_read_the_same_as_fresh_ones():
    person = make_person(7)
    raw = make_eml(person, {"letter.docx": make_docx(f"Dear {person.name}\n")},
                   html=f"<p>Dear {person.name}</p>", sender="Ünal Öztürk <unal@example.co.uk>")
    fresh = BytesParser(policy=policy.default).parsebytes(raw)
    cached = [BytesParser(policy=rfc822._POLICY).parsebytes(raw) for _ in range(2)]
    assert cached[0]["Content-Type"] is cached[1]["Content-Type"]      # parsed once, shared
    for msg in cached:
        assert _text(msg) == _text(fresh)
        assert person.name in _text(msg)[0] and "Öztürk" in _text(msg)[0]
        assert [(k, rfc822.attachment_name(p, 1)) for k, p in rfc822.bodies_and_attachments(msg)] == \
            [(k, rfc822.attachment_name(p, 1)) for k, p in rfc822.bodies_and_attachments(fresh)]


def test_the_parsed_headers_stay_within_their_bound():
    class Small(rfc822._ParsedOnce):
        MAX_KEPT = 50

    registry = Small()
    for n in range(Small.MAX_KEPT + 5):
        assert str(registry("Subject", f"number {n}")) == f"number {n}"
    assert 0 < len(registry._parsed) <= Small.MAX_KEPT
