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


def test_headers_read_once_per_raw_value_give_what_each_message_gives_alone():
    """A thread's messages share their From/To/Cc values: read once, the text and fields are still
    each message's own, including Outlook's `;` lists the header classes drop addresses from."""
    people = [make_person(n) for n in range(3)]
    outlook_to = "; ".join(f"'{p.email}'" for p in people)
    raws = [make_eml(people[n % 3], {}, sender=f"{people[0].name} <{people[0].email}>") for n in range(4)]
    raws.append(raws[0].replace(b"\nTo:", f"\nCc: {outlook_to}\nTo:".encode(), 1))
    rfc822._READ_ONCE.kept.clear()
    for raw in raws * 2:      # the second round reads every header from the memo
        fresh = BytesParser(policy=policy.default).parsebytes(raw)
        msg = BytesParser(policy=rfc822._POLICY).parsebytes(raw)
        assert _text(msg) == _text(fresh)
    assert all(p.email in _text(BytesParser(policy=rfc822._POLICY).parsebytes(raws[-1]))[0] for p in people)
    assert len(rfc822._READ_ONCE.kept) < 4 * len(raws)     # shared From values are one entry


def test_header_memo_passes_over_values_it_cannot_key_and_stays_bounded():
    from email.message import EmailMessage

    from connectors.containers.header_memo import HeaderMemo

    calls = []

    def read(msg, name):
        calls.append(name)
        return str(msg[name])

    memo = HeaderMemo(rfc822._POLICY)
    memo.MAX_KEPT = 3
    built = EmailMessage()               # set by code: a header object, not a raw str, and another policy
    built["Subject"] = "one"
    assert memo.read(read, built, "Subject") == "one" and memo.read(read, built, "Subject") == "one"
    assert len(calls) == 2 and not memo.kept
    for n in range(5):
        msg = BytesParser(policy=rfc822._POLICY).parsebytes(f"Subject: s{n}\nsubject: later\n\nx\n".encode())
        assert memo.read(read, msg, "SUBJECT") == f"s{n}" == memo.read(read, msg, "subject")
    assert len(calls) == 2 + 5 and 0 < len(memo.kept) <= 3


def test_one_header_class_per_registry_entry_reads_as_the_stdlibs_own():
    registry = rfc822._ParsedOnce()
    stdlib = policy.default.header_factory
    values = [("Content-Type", 'multipart/mixed; boundary="b1"'), ("content-type", "text/plain; charset=utf-8"),
              ("Subject", "=?utf-8?q?=C3=9Cnal?= re: hi"), ("Date", "Tue, 14 May 2024 09:31:07 +0100"),
              ("X-Mailer", "one"), ("X-Other", "two")]
    made = {name: registry(name, value) for name, value in values}
    assert type(made["Content-Type"]) is type(made["content-type"])        # built once for the entry
    assert type(made["X-Mailer"]) is type(made["X-Other"])
    for name, value in values:
        ours, theirs = made[name], stdlib(name, value)
        assert type(ours).__name__ == type(theirs).__name__ and type(ours).__bases__ == type(theirs).__bases__
        assert (str(ours), ours.defects, ours.fold(policy=policy.default)) == \
            (str(theirs), theirs.defects, theirs.fold(policy=policy.default))
        for attribute in ("content_type", "params", "datetime"):
            assert getattr(ours, attribute, None) == getattr(theirs, attribute, None)
