"""Mail as real clients write it, for `mail_corpus.build(unicode=True)` (issue 16).

The ASCII corpus's threads, people and structure are kept (every choice here draws on its own random
stream and its own Faker instances, so the ASCII corpus stays byte-identical), and the text is written
the way Outlook, Gmail and Apple Mail write it:
- typographic punctuation (’ “ ” – …), currency (£ €), the odd emoji;
- accented and non-Latin names among the people (José, Zoë, Siobhán, Łukasz, Ζαφείρης, Всеволод, 梁亮);
  their addresses stay ASCII, as most mail systems make them;
- bodies in quoted-printable or base64, in utf-8 or windows-1252 (where the text fits it);
- HTML parts with no-break spaces (U+00A0) between words, as HTML editors write them, and some
  HTML-only messages (newsletters: tables, styles, entities such as &rsquo; and &pound;).
"""
from __future__ import annotations

import html
import random
import re
import unicodedata

from faker import Faker

# (locale, weight): mostly British and European names, as a UK firm's mail has.
LOCALES = [("fr_FR", 3), ("es_ES", 3), ("pl_PL", 3), ("de_DE", 2), ("ga_IE", 3), ("cs_CZ", 1), ("hu_HU", 1),
           ("pt_PT", 1), ("tr_TR", 1), ("vi_VN", 1), ("el_GR", 1), ("ru_RU", 1), ("zh_CN", 1)]
# Names the brief asks for by name, given to the first people.
KNOWN = ["José Álvarez", "Zoë Brontë", "Siobhán Ní Bhriain", "Łukasz Wójcik", "Renée Dubois", "Søren Kjær"]
EMOJI = ["🙂", "👍", "😊", "🙏", "🎉", "☺️"]


class UnicodeStyle:
    """Every unicode choice of the corpus, on its own random stream."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed * 7919 + 1)
        self.fakers = {loc: Faker(loc) for loc, _ in LOCALES}
        for i, fake in enumerate(self.fakers.values()):
            fake.seed_instance(seed + i)
        self._named = 0

    # people ---------------------------------------------------------------------------------------
    def person(self, p: dict) -> dict:
        """Two in five people get a name from another locale (the first ones the brief's names)."""
        if self._named < len(KNOWN):
            name = KNOWN[self._named]
            self._named += 1
        elif self.rnd.random() < 0.4:
            loc = self.rnd.choices([l for l, _ in LOCALES], [w for _, w in LOCALES])[0]
            fake = self.fakers[loc]
            name = f"{fake.first_name()} {fake.last_name()}"
        else:
            return p
        local = _ascii(name).lower().replace(" ", ".").replace("'", "")
        if len(local) < 4:   # a non-Latin name: the mailbox keeps the ASCII one
            local = p["email"].split("@")[0]
        return dict(p, name=name, email=f"{local}@{p['email'].split('@')[1]}")

    # text -----------------------------------------------------------------------------------------
    def prose(self, text: str) -> str:
        """Typographic quotes, dashes and ellipses, money, the odd emoji."""
        text = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", text)
        text = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)
        text = text.replace(" - ", " \u2013 ").replace("...", "\u2026")
        if self.rnd.random() < 0.25:   # plain text a client made from its HTML keeps its no-break spaces
            text = text.replace(". ", ".\u00a0")
        if self.rnd.random() < 0.3:
            pounds, pence = self.rnd.randint(20, 9000), self.rnd.randint(0, 99)
            euros = self.rnd.randint(20, 9000)
            text += (f" The invoice comes to \u00a3{pounds:,}.{pence:02d} (\u20ac{euros:,}) \u2013 "
                     f"it\u2019s due on the {self.rnd.randint(1, 28)}th.")
        if self.rnd.random() < 0.2:
            text += f" \u201cThanks\u201d, they said\u2026 {self.rnd.choice(EMOJI)}"
        return text

    def sign_off(self) -> str:
        return self.rnd.choice(["Kind regards,", "Best wishes,", "Many thanks \u2013", "Cheers,",
                                "Thanks \U0001f642"])

    def phone_label(self) -> str:
        return self.rnd.choice(["T: ", "T:\u00a0", "Tel:\u00a0", "\u260e "])

    # MIME -----------------------------------------------------------------------------------------
    def encoding(self, text: str) -> tuple[str, str]:
        """(charset, transfer encoding) of a text part, as clients pick them."""
        roll = self.rnd.random()
        if roll < 0.3 and _fits(text, "windows-1252"):
            return "windows-1252", "quoted-printable"
        if roll < 0.7:
            return "utf-8", "quoted-printable"
        return "utf-8", "base64"

    def html_only(self) -> bool:
        return self.rnd.random() < 0.15

    def html(self, text: str, newsletter: bool) -> str:
        """The text as an HTML editor writes it: no-break spaces, entities, and for a newsletter a
        styled table around it."""
        paras = []
        for para in text.split("\n\n"):
            para = html.escape(para, quote=False).replace("\n", "<br>")   # as the ASCII corpus writes it
            para = re.sub(r"([.,:]) ", lambda m: m.group(1) + ("\u00a0 " if self.rnd.random() < 0.5 else " "),
                          para)
            para = para.replace("\u2019", "&rsquo;" if newsletter else "\u2019").replace("\u00a3", "&pound;")
            paras.append(f"<p style=\"margin:0 0 12px 0;font-family:Calibri,sans-serif\">{para}</p>")
        body = "\n".join(paras)
        if not newsletter:
            return f"<html><head><meta charset=\"utf-8\"></head><body>\n{body}\n</body></html>"
        return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>td{font-family:Arial;color:#333}"
                ".btn{background:#0a66c2;color:#fff}</style></head><body>\n"
                "<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td>&nbsp;</td>"
                "<td width=\"600\">\n<h1>News\u00a0&amp;\u00a0updates \u2013 "
                f"{self.rnd.choice(['Spring', 'Summer', 'Autumn', 'Winter'])}</h1>\n"
                f"{body}\n<p><a class=\"btn\" href=\"https://example.co.uk/r?id={self.rnd.getrandbits(40):x}\">"
                "Read more&nbsp;&rarr;</a></p>\n<p style=\"font-size:11px\">You\u2019re receiving this because"
                " you\u2019re a customer. Unsubscribe&nbsp;|&nbsp;Privacy \u00a9 2026</p>\n"
                "</td><td>&nbsp;</td></tr></table></body></html>")


def _ascii(name: str) -> str:
    for letter, latin in (("\u0141", "L"), ("\u0142", "l"), ("\u00f8", "o"), ("\u00d8", "O"), ("\u0131", "i")):
        name = name.replace(letter, latin)   # letters NFKD does not take apart
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if c.isascii() and (c.isalnum() or c in " '-"))


def _fits(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


# Length-preserving ASCII look-alikes, for measuring what non-ASCII characters alone cost (detect_speed.py).
_FOLDS = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
          "\u2026": ".", "\u00a3": "L", "\u20ac": "E"}


def ascii_folded(text: str) -> str:
    """`text` with every non-ASCII character replaced by one ASCII character like it (offsets kept)."""
    return text if text.isascii() else "".join(c if c.isascii() else _fold(c) for c in text)


def _fold(c: str) -> str:
    if c in _FOLDS:
        return _FOLDS[c]
    base = unicodedata.normalize("NFKD", c)[0]
    if base.isascii() and base.isalnum():
        return base
    return "x" if c.isalpha() else "0" if c.isdecimal() else " " if c.isspace() else "#"

