"""Subject, Date and X- header text read without the header classes is the text the header object
gives (issue 16), for the values that are hard to read."""
from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest

from connectors.containers import rfc822
from connectors.containers.plain_headers import plain_text

SUBJECTS = ["Re: Fwd: lunch", "  leading blanks", "trailing  \t", "tabs\tand  doubled  blanks", "", " ",
            "=?utf-8?q?R=C3=A9sum=C3=A9?=", "Re: =?iso-8859-1?q?Gr=FC=DFe?= again", "a=?b", "50% =? no",
            "ctl\x01\x7fchars", "vt\x0bff\x0cfs\x1c", "Zoë Brontë", "bytes \udce9\udca0", "folded\r\n line",
            "folded\n\tagain\r", "x" * 200, "=?utf-8?b?SmFuZSBTbWl0aA==?=", "ends in =?"]
DATES = ["Tue, 14 May 2024 09:31:07 +0100", "14 May 2024 09:31:07 -0000", "Tue, 14 May 24 09:31 GMT",
         "Tue, 14 May 2024 09:31:07 EST", "Tue, 14 May 2024 09:31:07", "not a date", "", "  ",
         "Tue, 31 Feb 2024 09:31:07 +0000", "Tue, 14 May 2024 25:61:07 +0000", "Tue, 14 May 0 09:31:07 +0000",
         "Tue, 14 May 2024 09:31:07 +9999", "Tue, 14 May 99999 09:31:07 +0000", "Mon, 1 Jan 2024 00:00:00 +0000 (UTC)",
         "Tue,\r\n 14 May 2024 09:31:07 +0100", "14 Mai 2024 09:31:07 +0200", "Tue, 14 May 2024 09:31:07 +01:00",
         "Tue, 14 May 2024 09:31:07 \udce9"]
NAMES = ["Subject", "subject", "X-From", "X-cc", "Comments", "Date", "date", "Resent-Date", "From", "Content-Type"]


def _stdlib_text(name, raw):
    try:
        return str(policy.default.header_fetch_parse(name, raw))
    except Exception as exc:
        return type(exc)


@pytest.mark.parametrize("name", NAMES)
def test_plain_text_is_the_header_objects_text_or_none(name):
    values = SUBJECTS + DATES
    answered = 0
    for raw in values:
        text = plain_text(rfc822._POLICY.header_factory, name, raw)
        if text is not None:
            answered += 1
            assert text == _stdlib_text(name, raw), (name, raw)
    if name.lower() in ("from", "content-type"):
        assert answered == 0                     # structured headers always take the header object
    else:
        assert answered >= len(values) // 3


def test_header_text_of_a_parsed_message_is_the_stdlibs():
    for n, (subject, date) in enumerate(zip(SUBJECTS, DATES * 2)):
        raw = (f"From: a@example.org\nSubject: {subject}\nDate: {date}\nX-From: {subject}\n\nbody\n"
               .encode("utf-8", "surrogateescape"))
        ours = BytesParser(policy=rfc822._POLICY).parsebytes(raw)
        fresh = BytesParser(policy=policy.default).parsebytes(raw)
        for name in ("Subject", "Date", "X-From"):
            assert rfc822.header_text(ours, name) == rfc822.header_text(fresh, name), (n, name)


CONTENT_TYPES = ['multipart/mixed; boundary="===============1234567890=="', "text/plain; charset=utf-8",
                 'multipart/alternative;\n\tboundary="----=_Part_12_34.5678"', "TEXT/HTML; Charset=\"ISO-8859-1\"  ",
                 'application/pdf; name="Jane Smith CV.pdf"', "application/octet-stream; name=a.b", "textplain",
                 'text/plain; charset="unclosed', "text/plain; charset=utf-8;", "text/plain ; charset=utf-8",
                 'text/plain; name="a\\"b"', "text/plain; name=\"=?utf-8?q?R=C3=A9?=\"", "text/plain (comment)",
                 "text/plain; name*=utf-8''%C3%9C.txt", "text/plain; name*0=a; name*1=b", 'text/plain; name="x y  z"',
                 "text/plain; charset=utf-8 junk", "multipart/mixed; boundary=", "multipart/mixed; boundary= b1",
                 '"text/plain"', "text/plain;;charset=x", "text/", "/plain", "", "   ", "text/plain; a=1; a=2",
                 'multipart/related; type="text/html"; boundary="b,1;2:3/4"', "text/plain; charset=\u00e9"]
DISPOSITIONS = [None, "attachment", "inline", 'attachment; filename="Jane Smith.docx"', "attachment; filename=x.pdf",
                'attachment;\n filename="a,b;c.txt"', "attachment; filename*=utf-8''a.txt", 'inline; filename="a\\b"',
                "attachment (c); filename=a", "attachment; filename=\"=?utf-8?q?x?=\"", "", "ATTACHMENT; size=12"]


def _answers(part):
    out = []
    for ask in (lambda: part.get_content_type(), lambda: part.get_boundary(), lambda: part.get_filename(),
                lambda: part.get_content_disposition(), lambda: part.get_params(), lambda: part.get_param("charset"),
                lambda: part.get_params(header="content-disposition")):
        try:
            out.append(ask())
        except Exception as exc:
            out.append(type(exc))
    return out


def test_a_mime_view_answers_as_the_part_does():
    from email.message import EmailMessage

    from connectors.containers.plain_headers import mime_view, reads_mime_headers_plainly

    assert reads_mime_headers_plainly(rfc822._POLICY) and reads_mime_headers_plainly(policy.default)
    assert not reads_mime_headers_plainly(policy.compat32)
    viewed = 0
    for default_type in ("text/plain", "message/rfc822"):
        for content_type in CONTENT_TYPES + [None]:
            for disposition in DISPOSITIONS:
                view = mime_view(content_type, disposition, default_type)
                if view is None:
                    continue
                viewed += 1
                part = EmailMessage(policy=policy.default)
                part.set_default_type(default_type)
                for name, raw in (("Content-Type", content_type), ("Content-Disposition", disposition)):
                    if raw is not None:
                        part.set_raw(name, raw)
                        assert str(part[name]) == view[name]       # the header object's very text
                assert _answers(view) == _answers(part), (content_type, disposition)
    assert viewed >= 60
    assert mime_view('text/plain; name="a\\"b"', None, "text/plain") is None
    assert mime_view("text/plain", "attachment; filename*=utf-8''a.txt", "text/plain") is None


def test_mime_views_of_random_values_hold_the_header_objects_text():
    import random

    from connectors.containers.plain_headers import mime_view

    rng = random.Random(16)
    pieces = ["text", "plain", "a.b", "x-y_z+1", "utf-8", "Name", "name", "NAME", "b", "==_p=", "a b", " ", "\t",
              ";", "=", '"', "/", ",", "(", "\\", "*", "'", "%", "=?", "?", "é", "\n "]
    viewed = 0
    for _ in range(3000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        if rng.random() < 0.6:     # mostly shaped like a header: a type, then parameters
            value = rng.choice(["text/plain", "multipart/mixed", "attachment", "inline"]) + "".join(
                f";{rng.choice(['', ' ', chr(9), '  '])}{rng.choice(['name', 'Name', 'charset', 'boundary'])}="
                f"{rng.choice(['utf-8', 'a.b', chr(34) + 'x y=z,1' + chr(34), chr(34) + '==_p' + chr(34)])}"
                for _ in range(rng.randint(0, 3))) + rng.choice(["", " ", "\t", value])
        for name, ask in (("Content-Type", lambda v: mime_view(v, None, "text/plain")),
                          ("Content-Disposition", lambda v: mime_view(None, v, "text/plain"))):
            view = ask(value)
            if view is not None:
                viewed += 1
                assert str(policy.default.header_fetch_parse(name, value)) == view[name], (name, value)
    assert viewed > 1000


def _stdlib_pairs(name, value):
    try:
        return [(a.display_name, a.addr_spec) for a in policy.default.header_fetch_parse(name, value).addresses]
    except Exception as exc:
        return type(exc)


def test_plain_addresses_are_the_header_objects_on_random_lists():
    import random

    from connectors.containers.plain_headers import plain_addresses

    rng = random.Random(16)
    words = ["Jane", "Smith", "O'Brien", "de", "la", "x+y", "J.", "Q", "=?utf-8?q?Z=C3=B6e?=", "Zoë", '"Smith, Jane"',
             "(work)", "a=b", "MAILER-DAEMON", "{x}", "a?b", "[x]", "Dr"]
    addresses = ["jane@example.org", "jane.smith@mail.example.co.uk", "j+tag@x.io", "o'brien@x.ie", "a@b",
                 "a..b@x.org", "a@[10.0.0.1]", '"a b"@x.org', "bad", "@x.org", "a@", "Jane.Smith@EXAMPLE.ORG",
                 "a@x.org.", "x_y=z@q-r.example"]
    blanks = ["", " ", "  ", "\t", " \t "]
    plain = 0
    clean_words = [w for w in words if w.replace("'", "").replace("+", "").replace("=", "").replace("-", "").isalnum()]
    clean_addresses = [a for a in addresses if a.count("@") == 1 and ".." not in a and "[" not in a and '"' not in a
                       and not a.startswith("@") and not a.endswith(("@", "."))]
    for _ in range(3000):
        entries = []
        clean = rng.random() < 0.5        # half the lists from the parts a plain list is made of
        for _ in range(rng.randint(1, 4)):
            address = rng.choice(clean_addresses if clean else addresses)
            if rng.random() < 0.6:
                name = rng.choice(blanks[1:]).join(rng.choice(clean_words if clean else words)
                                                   for _ in range(rng.randint(1, 3)))
                entries.append(f"{rng.choice(blanks)}{name}{rng.choice(blanks)}<{address}>{rng.choice(blanks)}")
            else:
                entries.append(f"{rng.choice(blanks)}{address}{rng.choice(blanks)}")
        value = rng.choice([",", ", ", ",\n ", ";", " , "]).join(entries) + rng.choice(["", "", ",", " ", ":"])
        name = rng.choice(["To", "From", "cc", "Sender", "Reply-To", "Resent-Bcc"])
        pairs = plain_addresses(rfc822._POLICY.header_factory, name, value)
        if pairs is not None:
            plain += 1
            assert pairs == _stdlib_pairs(name, "".join(value.splitlines())), (name, value)
    assert plain > 500
    assert plain_addresses(rfc822._POLICY.header_factory, "Return-Path", "a@b") is None    # not an address class


def test_addresses_of_a_parsed_message_are_the_stdlibs():
    values = ["Jane Smith <jane@example.org>", "jane@example.org, John  Roe\t<john@example.net>",
              "'jane@example.org'; 'john@example.net'", "Jane Smith [mailto:jane@example.org]",
              "J. Smith <j@x.org>", "=?utf-8?q?Z=C3=B6e?= <z@x.org>", "undisclosed-recipients:;", "Jane Smith",
              "Jane Smith <jane@example.org>, jane@example.org"]
    for value in values:
        raw = f"From: {value}\nTo: {value}\nSender: {value}\n\nbody\n".encode()
        ours = BytesParser(policy=rfc822._POLICY).parsebytes(raw)
        fresh = BytesParser(policy=policy.default).parsebytes(raw)
        for name in ("From", "To", "Sender"):
            assert rfc822.addresses(ours, name) == rfc822.addresses(fresh, name), (value, name)
