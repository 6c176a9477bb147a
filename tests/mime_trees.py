"""Whole MIME trees to compare (mime_split against the stdlib parser), and messages that stress the split.

Shared by tests/test_mime_split.py and benchmarks/mime_split_check.py.
"""
from __future__ import annotations

import random
from email.message import EmailMessage, Message


def tree(msg: Message) -> tuple:
    """Everything the stdlib parser puts in a message, recursively: the raw stored payload (not
    get_payload(), which decodes), headers as stored, defects by type and text, preamble, epilogue."""
    payload = msg._payload
    body = [tree(p) for p in payload] if isinstance(payload, list) else payload
    return (type(msg).__name__, msg.get_unixfrom(), list(msg.raw_items()), body, msg.preamble, msg.epilogue,
            [(type(d).__name__, str(d)) for d in msg.defects], msg.get_default_type(), msg.get_charset())


def _leaf(kind: str, n: int) -> EmailMessage:
    part = EmailMessage()
    if kind == "plain":
        part.set_content(f"Dear Jane Smith,\n\nline {n}\n-- \nJohn Roe\n")
    elif kind == "latin":
        part.set_content(f"Grüße {n}, Zoë Brontë £5\n", charset="latin-1", cte="8bit")
    elif kind == "qp":
        part.set_content("a long line " * 12 + f"é {n}\n", cte="quoted-printable")
    elif kind == "html":
        part.set_content(f"<p>Jane&nbsp;Smith {n}</p>", subtype="html")
    else:
        part.set_content(bytes(range(256)) * 3, maintype="application", subtype="octet-stream",
                         filename=f"data{n}.bin")
    return part


def built_messages() -> list[bytes]:
    """Messages written by the stdlib: nested multiparts, attached messages, 8-bit and encoded bodies."""
    out = []
    for n in range(4):
        msg = EmailMessage()
        msg["From"] = "Jane Smith <jane@example.org>"
        msg["To"] = "John Roe <john@example.net>, 'x@example.com'; y@example.com"
        msg["Subject"] = f"=?utf-8?q?R=C3=A9sum=C3=A9_{n}?="
        msg.set_content(f"Body {n}\n")
        msg.add_alternative(f"<p>Body {n}</p>", subtype="html")
        msg.make_mixed()
        for kind in ("binary", "plain", "latin", "qp", "html"):
            msg.attach(_leaf(kind, n))
        if n % 2:                          # an attached message (message/rfc822)
            inner = EmailMessage()
            inner["From"] = "a@b.c"
            inner.set_content("forwarded\n")
            msg.add_attachment(inner)
        out.append(msg.as_bytes())
        single = _leaf(("plain", "latin", "qp", "html")[n], n)
        single["From"] = "a@b.c"
        out.append(single.as_bytes())
    return out


_MIXED = b"From: a@b.c\nContent-Type: multipart/mixed; boundary=XX\n\n"
_OUTER = b"From: a@b.c\nContent-Type: multipart/mixed; boundary=O\n\n"
_ATTACHED = b"--O\nContent-Type: message/rfc822\n\n"
HAND_WRITTEN = [
    _MIXED + b"pre\n--XX\n\nno headers\n--XX\nContent-Type: text/plain\n\ntwo\n\n--XX--  \n"
    b"epilogue\n--XX\nmore\n",
    _MIXED + b"--XX\n--XX\nA: b\n\nx\n--XX--\n",            # two boundary lines in a row
    _MIXED + b"--XX\nA: b\n\nx\n",                          # no close boundary
    _MIXED + b"--XX--\n",                                   # no start boundary
    b"From: a@b.c\nContent-Type: multipart/mixed\n\n--XX\n\nx\n--XX--\n",      # no boundary parameter
    b"From: a@b.c\nContent-Type: multipart/mixed; boundary=\"a b:c\"\nContent-Transfer-Encoding: base64\n\n"
    b"--a b:c\n\nx\n--a b:c--",
    b"From: a@b.c\nContent-Type: multipart/digest; boundary=D\n\n--D\n\nFrom: x@y.z\n\nhi\n--D--\n",
    b"From: a@b.c\nContent-Type: multipart/alternative; boundary=O\n\n--O\n"
    b"Content-Type: multipart/mixed; boundary=I\n\n--I\n\ninner\n--I--\nin-epi\n\n--O\n"
    b"Content-Type: multipart/mixed; boundary=J\n\n--J\n\nj\n--J--\n--O--",
    b"From a@b.c Mon Jan  1 00:00:00 2024\nFrom: a@b.c\nSubject: x\n\nbody\nFrom here\n",
    b"From: a@b.c\nFrom b@c.d Mon Jan  1\n\nbody\n",        # a From_ line below the first header
    b" continued\nFrom: a@b.c\n\nbody\n",
    b"From: a@b.c\nnot a header line\nSubject: x\n\nbody\n",
    b"From: a@b.c\r\nSubject: crlf\r\nContent-Type: multipart/mixed; boundary=\"C\"\r\n\r\n"
    b"--C\r\n\r\nx\r\n--C--\r\n",
    b"From: a@b.c\rSubject: lone cr\r\rbody\rline\r",
    b"\nno headers at all\n",
    b"From: a@b.c\nSubject: no body",
    b"From: a@b.c\n:no name\n\nbody\n",
    _MIXED + b"--XX\nContent-Type: text/plain\n--XX--\n",  # a part without a blank line
    b"From: a@b.c\nContent-Type: message/rfc822\n\nFrom: x@y.z\n\ninner\n",
    _MIXED + b"--XX\nContent-Type: message/delivery-status\n\nA: b\n\nC: d\n--XX--\n",
    b"From: a@b.c\nSubject: \xc3\xa9t\xe9 raw 8-bit\nContent-Type: text/plain; charset=utf-8\n\n"
    b"\xc3\xa9 \xff\n",
    _MIXED + b"\n--XX\n\nempty preamble line\n--XX\n\n--XX--",
    _OUTER + b"--O\n\nbody\n" + _ATTACHED
    + b"From: x@y.z\nContent-Type: multipart/alternative; boundary=I\n\n--I\n\nin\n--I--\nin-epi\n\n--O--\n",
    _OUTER + _ATTACHED + b"From: x@y.z\nContent-Type: message/rfc822\n\nFrom: w@v.u\n\ndeepest\n\n--O--",
    _OUTER + _ATTACHED + b"From: x@y.z\nno blank line\n--O--\n",
    b"From: a@b.c\nContent-Type: multipart/report; boundary=R\n\n--R\n\nbounced\n--R\n"
    b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\nFinal-Recipient: a@b.c\n--R--\n",
]


def mutated(data: bytes, rng: random.Random) -> bytes:
    """A message with a few lines duplicated, dropped, blanked or cut, or its line ends changed."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        action = rng.choice(("dup", "drop", "blank", "space", "cut", "crlf", "cr", "from"))
        if action == "dup":
            lines.insert(i, lines[i])
        elif action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "blank":
            lines.insert(i, b"")
        elif action == "space":
            lines[i] = lines[i] + b" \t"
        elif action == "cut":
            lines = lines[:i + 1]
            lines[-1] = lines[-1][:rng.randint(0, len(lines[-1]))]
        elif action == "crlf":
            lines[i] = lines[i] + b"\r"
        elif action == "cr":
            lines[i] = lines[i].replace(b" ", b"\r", 1)
        else:
            lines.insert(i, b"From someone Mon Jan  1")
    return b"\n".join(lines)
