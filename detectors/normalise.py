"""Normalised, class-prefixed forms of a value (for the keyed index and `find`) and masked previews.

| type | rule | example |
|---|---|---|
| email | trim, casefold | `Jane.Smith@X.co.uk` -> `email:jane.smith@x.co.uk` |
| phone | phonenumbers, region GB, E.164 | `(01482) 420150` -> `phone:+441482420150` |
| name | NFKD, no accents (ł→l, ø→o, ß→ss too), casefold, no titles or initials, sorted | `SMITH, Jane` -> `name:jane smith` |
| postcode, NINO | uppercase, no spaces | `hu13 0gd` -> `postcode:HU130GD` |
| NHS, card, account, IBAN | digits (IBAN: letters too) only | |

A name also gets the form of its first and last token alone, so `Jane Anne
Smith` in a file is found by `find --name "Jane Smith"`.
"""

import functools
import re
import unicodedata
from typing import List, Tuple

import phonenumbers

from detectors.checksums import digits_only
from detectors.email_address import bare_email

QUERY_KINDS = ("name", "email", "phone", "postcode", "nino", "nhs")
ENTITY_KIND = {
    "PERSON": "name",
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "UK_POSTCODE": "postcode",
    "UK_NINO": "nino",
    "UK_NHS": "nhs",
    "CREDIT_CARD": "card",
    "IBAN_CODE": "iban",
    "UK_SORT_CODE_ACCOUNT": "account",
    "IP_ADDRESS": "ip",
    "DATE_OF_BIRTH": "dob",
    "UK_PASSPORT": "passport",
    "UK_DRIVING_LICENCE": "licence",
    "NAME_INDEX": "name",
}
# Honorifics and post-nominals: not part of a name's key ("Dr Jane Smith" is keyed as "jane smith").
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd", "lord",
    "lady", "esq", "jr", "sr", "phd", "mister", "madam",
})
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


# One character of these scripts (CJK ideographs, kana) is a syllable and can be a whole name part:
# "伟 王", a Chinese name in a form's "first last" order, is two name parts, not two initials as two
# single Latin letters are. (NFKD has already split a Hangul syllable into its letters.)
_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _name_part(token: str) -> bool:
    """Whether a token can be a part of a name's key: two letters or more, or one syllabic character."""
    return len(token) > 1 or _SYLLABIC.fullmatch(token) is not None


# Letters NFKD does not split into a base and an accent, written without it all the same ("Lukasz").
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
                       "ð": "d", "ħ": "h", "ŀ": "l"})


def name_tokens(text: str) -> List[str]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold().translate(_FOLD)
    tokens = [t.replace("’", "'") for t in _NAME_TOKEN.findall(plain)]
    return [t for t in tokens if _name_part(t) and t not in HONORIFICS]


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def name_words(text: str) -> set:
    """Every word a name key of this text could be built from: its name tokens and their parts
    (`smith-jones`, `smith`, `jones`: a tokenizer may cut a span at the hyphen). A superset of the
    tokens of any name found in the text, whoever finds it (NER later: scanner/labels.py)."""
    # Plain ASCII needs no accent stripping (name_tokens' per-character loop): the same tokens, faster.
    tokens = set(_NAME_TOKEN.findall(text.casefold())) if text.isascii() else set(name_tokens(text))
    tokens = {t for t in tokens if _name_part(t)}
    parts = {p for t in tokens if not t.isalpha() for p in _LETTER_RUN.findall(t) if _name_part(p)}
    return tokens | parts


def _name_forms(text: str) -> List[str]:
    tokens = name_tokens(text)
    if not tokens:
        return []
    forms = ["name:" + " ".join(sorted(tokens))]
    if len(tokens) > 2:  # first + surname without middle names: "Jane Anne Smith", "SMITH, Jane Anne"
        first, surname = (tokens[1], tokens[0]) if "," in text else (tokens[0], tokens[-1])
        forms.append("name:" + " ".join(sorted([first, surname])))
    return forms


def _phone_form(text: str) -> List[str]:
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return []
    if not phonenumbers.is_possible_number(number):
        return []
    return ["phone:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)]


def _compact(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def index_forms(entity_type: str, text: str) -> List[str]:
    """Class-prefixed normalised forms for one finding; [] when it cannot be normalised."""
    return list(_index_forms(entity_type, text))


# A pure function of its arguments, and mail repeats the same addresses, numbers and names in every
# message of a thread: phone parsing and name forms are worked out once per value (issue 16).
@functools.lru_cache(maxsize=32768)
def _index_forms(entity_type: str, text: str) -> Tuple[str, ...]:
    return tuple(_forms(entity_type, text))


def _forms(entity_type: str, text: str) -> List[str]:
    kind = ENTITY_KIND.get(entity_type, entity_type.lower())
    value = (text or "").strip()
    if not value:
        return []
    if entity_type == "NAME_INDEX":
        from detectors.name_index import pair_forms   # it builds on name_tokens above
        return pair_forms(value)
    if kind == "name":
        return _name_forms(value)
    if kind == "email":
        return ["email:" + bare_email(value).casefold()]
    if kind == "phone":
        return _phone_form(value)
    if kind in ("nhs", "card", "account"):
        digits = digits_only(value)
        return [f"{kind}:{digits}"] if digits else []
    compact = _compact(value)
    return [f"{kind}:{compact}"] if compact else []


_QUERY_ERRORS = {
    "name": "the name has no letters to match on",
    "email": "that is not an email address (expected name@domain)",
    "phone": "that is not a phone number phonenumbers can parse (try +44... or 01...)",
    "postcode": "that is not a UK postcode (e.g. HU13 0GD)",
    "nino": "that is not a National Insurance number (e.g. AB123456C)",
    "nhs": "that is not a 10-digit NHS number",
}


def query_forms(kind: str, text: str) -> List[str]:
    """Forms of a `find` query; ValueError with a one-line message when it cannot be one."""
    if kind not in QUERY_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}; expected one of {', '.join(QUERY_KINDS)}")
    value = (text or "").strip()
    valid = {
        "email": re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None,
        "nhs": len(digits_only(value)) == 10,
        "postcode": re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", _compact(value)) is not None,
        "nino": re.fullmatch(r"[A-Z]{2}\d{6}[A-D]?", _compact(value)) is not None,
    }.get(kind, True)
    entity = {v: k for k, v in ENTITY_KIND.items() if k != "NAME_INDEX"}[kind]
    forms = index_forms(entity, value) if valid else []
    if not forms:
        raise ValueError(_QUERY_ERRORS[kind])
    return forms


# (first, last) characters shown for values of ten or more characters: the
# area code of a phone (DESIGN.md's example), the last four of a card (as on
# receipts); one and two for identifiers such as NHS numbers.
_MASK_KEEP = {"phone": (4, 2), "card": (0, 4)}


def _mask_word(word: str) -> str:
    return word[0] + "*" * (len(word) - 1) if word else word


def mask(entity_type: str, text: str) -> str:
    """A preview that shows at most the first letter of each name part, the mail domain, or a few digits."""
    value = (text or "").strip()
    kind = ENTITY_KIND.get(entity_type, "")
    if kind == "email" and "@" in value:
        local, domain = bare_email(value).rsplit("@", 1)
        return _mask_word(local[:1]) + "***@" + domain
    if kind == "name":
        return " ".join(_mask_word(w) for w in value.split())
    if len(value) <= 4:
        return "*" * len(value)
    keep_head, keep_tail = _MASK_KEEP.get(kind, (1, 2)) if len(value) >= 10 else (1, 1)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]
