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
