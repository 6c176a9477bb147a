"""Realistic generated mail and office documents for benchmarks/mail_speed.py (faker en_GB, seeded).

Threads of 2-6 messages between a pool of people: replies quote the whole earlier message
("On <date>, <name> <email> wrote:" then "> " lines), some messages forward an earlier one under a
"---------- Forwarded message ---------" header block, everybody signs with name, title, phone and
office address, a share of messages carry an HTML alternative part, and some carry attachments
(DOCX letter, XLSX contact list, CSV export). Beside the mail: DOCX and XLSX documents.
Every message is one .eml file (what the naive script reads); `people` lists (name, email) planted.
`unicode=True` writes the same threads the way real clients do (benchmarks/mail_unicode.py): typographic
punctuation, currency, accented and non-Latin names, quoted-printable and base64 bodies in utf-8 and
windows-1252, no-break spaces in HTML parts and some HTML-only messages. The default stays byte-identical.
"""
from __future__ import annotations

import csv
import html
import io
import os
import random
from email.message import EmailMessage
from email.utils import format_datetime

from faker import Faker

from mail_unicode import UnicodeStyle


def _person(fake: Faker, rnd: random.Random) -> dict:
    first, last = fake.first_name(), fake.last_name()
    domain = rnd.choice(["acme.co.uk", "example.com", "mail.example.net"])
    return dict(name=f"{first} {last}", email=f"{first}.{last}@{domain}".lower().replace("'", ""),
                phone=fake.phone_number(), title=fake.job(), address=fake.address().replace("\n", ", "))


def _signature(p: dict, style: UnicodeStyle | None = None) -> str:
    if style:
        return (f"\n\n{style.sign_off()}\n\n{p['name']}\n{p['title']}\n{style.phone_label()}{p['phone']}\n"
                f"{p['address']}\n")
    return f"\n\nKind regards,\n\n{p['name']}\n{p['title']}\nT: {p['phone']}\n{p['address']}\n"


def _body(fake: Faker, rnd: random.Random, to: dict, sender: dict, people: list[dict],
          style: UnicodeStyle | None = None) -> str:
    lines = [f"Hi {to['name'].split()[0]},", ""]
    for _ in range(rnd.randint(1, 4)):
        para = fake.paragraph(nb_sentences=rnd.randint(2, 6))
        if rnd.random() < 0.3:
            other = rnd.choice(people)
            para += f" Please copy {other['name']} ({other['email']}) in on this."
        if rnd.random() < 0.15:
            para += f" Our reference is {fake.bothify('??-####-##').upper()}, account {fake.iban()}."
        lines += [style.prose(para) if style else para, ""]
    return "\n".join(lines) + _signature(sender, style)


def _quoted(prev: EmailMessage, text: str) -> str:
    return (f"\n\nOn {prev['Date']}, {prev['From']} wrote:\n"
            + "\n".join("> " + line if line else ">" for line in text.splitlines()) + "\n")


def _forwarded(prev: EmailMessage, text: str) -> str:
    return (f"\n\n---------- Forwarded message ---------\nFrom: {prev['From']}\nDate: {prev['Date']}\n"
            f"Subject: {prev['Subject']}\nTo: {prev['To']}\n\n{text}")


def _attachment(fake: Faker, rnd: random.Random, people: list[dict]) -> tuple[str, bytes, str, str]:
    kind = rnd.choice(["docx", "xlsx", "csv"])
    chosen = rnd.sample(people, min(len(people), rnd.randint(3, 12)))
    if kind == "csv":
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["name", "email", "phone", "address"])
        for p in chosen:
            w.writerow([p["name"], p["email"], p["phone"], p["address"]])
        return "contacts.csv", out.getvalue().encode(), "text", "csv"
    if kind == "xlsx":
        return "contacts.xlsx", xlsx_bytes(chosen), "application", \
            "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "letter.docx", docx_bytes(fake, rnd, chosen), "application", \
        "vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(fake: Faker, rnd: random.Random, chosen: list[dict]) -> bytes:
    import docx
    document = docx.Document()
    to = chosen[0]
    document.add_paragraph(f"{to['name']}\n{to['address']}")
    document.add_paragraph(f"Dear {to['name']},")
    for _ in range(rnd.randint(3, 10)):
        document.add_paragraph(fake.paragraph(nb_sentences=rnd.randint(3, 8)))
    document.add_paragraph(f"Yours sincerely,\n{chosen[-1]['name']}\n{chosen[-1]['phone']}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(chosen: list[dict]) -> bytes:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Phone", "Address"])
    for p in chosen:
        sheet.append([p["name"], p["email"], p["phone"], p["address"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _message(fake, rnd, sender, to, subject, when, text, attach, people, style=None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{sender['name']} <{sender['email']}>"
    msg["To"] = f"{to['name']} <{to['email']}>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<{rnd.getrandbits(64):x}@example.co.uk>"
    if style:
        _unicode_body(msg, rnd, text, style)
    else:
        msg.set_content(text)
    if style is None and rnd.random() < 0.4:
        msg.add_alternative("<html><body>" + "".join(
            f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n")) + "</body></html>",
            subtype="html")
    if attach:
        name, data, main, sub = _attachment(fake, rnd, people)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg


def _unicode_body(msg: EmailMessage, rnd: random.Random, text: str, style: UnicodeStyle) -> None:
    """Text and HTML parts as real clients write them; the ASCII corpus's draw for an HTML part is kept."""
    with_html = rnd.random() < 0.4
    if style.html_only():
        charset, cte = style.encoding(text)
        msg.set_content(style.html(text, newsletter=True), subtype="html", charset=charset, cte=cte)
        return
    charset, cte = style.encoding(text)
    msg.set_content(text, charset=charset, cte=cte)
    if with_html:
        html_text = style.html(text, newsletter=False)
        charset, cte = style.encoding(html_text)
        msg.add_alternative(html_text, subtype="html", charset=charset, cte=cte)


def build(root: str, threads: int = 120, documents: int = 40, seed: int = 16, unicode: bool = False) -> dict:
    """Write the corpus under root (mail/*.eml, docs/*); return {"people": [(name, email)], "bytes": n}."""
    fake, rnd = Faker("en_GB"), random.Random(seed)
    fake.seed_instance(seed)
    style = UnicodeStyle(seed) if unicode else None
    people = [_person(fake, rnd) for _ in range(max(20, threads // 2))]
    if style:
        people = [style.person(p) for p in people]
    os.makedirs(os.path.join(root, "mail"), exist_ok=True)
    os.makedirs(os.path.join(root, "docs"), exist_ok=True)
    n = 0
    for t in range(threads):
        cast = rnd.sample(people, rnd.randint(2, 4))
        subject = fake.sentence(nb_words=5).rstrip(".")
        when = fake.date_time_this_decade()
        prev, prev_text = None, ""
        for k in range(rnd.randint(2, 6)):
            sender, to = rnd.sample(cast, 2)
            text = _body(fake, rnd, to, sender, people, style)
            if prev is not None:
                text += _forwarded(prev, prev_text) if rnd.random() < 0.2 else _quoted(prev, prev_text)
            msg = _message(fake, rnd, sender, to, ("Re: " if k else "") + subject, when, text,
                           rnd.random() < 0.12, people, style)
            with open(os.path.join(root, "mail", f"t{t:04d}-{k}.eml"), "wb") as f:
                f.write(bytes(msg))
            prev, prev_text = msg, text
            n += 1
    for d in range(documents):
        chosen = rnd.sample(people, rnd.randint(3, 10))
        if d % 3 == 2:
            data, ext = xlsx_bytes(chosen), "xlsx"
        else:
            data, ext = docx_bytes(fake, rnd, chosen), "docx"
        with open(os.path.join(root, "docs", f"doc{d:03d}.{ext}"), "wb") as f:
            f.write(data)
    return dict(people=[(p["name"], p["email"]) for p in people], messages=n)
