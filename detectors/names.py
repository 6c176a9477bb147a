"""PERSON findings from spaCy NER, cleaned of what is not a person's name.

Cleaning, each rule because stock Presidio got it wrong on UK business text:
- a span overlapping an email, URL, phone or other finding is not a name;
- titles (Mr, Mrs, Dr...) are trimmed off the span; a possessive 's too;
- a span with digits, '@' or no capital letter is not a name;
- a span followed by Ltd, plc, Road, Street... is an organisation or place;
- a span whose text the model labels a place or organisation elsewhere in the
  same text is that place or organisation;
- a one-word span in neither name list is dropped (NER calls song titles,
  brands and column headers people), as is any span holding a street or
  organisation word;
- a capitalised run starting with a known first name is a person even where
  NER missed it (name_candidates.py);
- `SURNAME, Forename` and names in capitals from the name index are people
  (index_people.py); a span that is a town line of an address block is not
  (address_block.py), nor one followed by a house number (`Hersnapvej 75`).
"""

import re
from typing import List, Sequence, Tuple

from detectors.gazetteer import NEVER_NAME_WORDS, STREET_OR_ORG_WORDS, is_known_name_word
from detectors.model import Finding
from detectors.normalise import HONORIFICS
from detectors.address_block import is_address_line
from detectors.index_people import with_index_names
from detectors.name_candidates import CUE_SCORE, candidate_names, firm_names, followed_by_house_number
from detectors.spans import SpanSet

RECOGNISER = "SpacyNerPerson"
GAZETTEER = "NameGazetteer"
NER_SCORE = 0.85
# Words that may stand before a name and are not part of it.
TITLES = HONORIFICS | {"dear", "hi", "hello", "dir"}
_LEADING_TITLE = re.compile(r"^(?:(?:" + "|".join(sorted(TITLES)) + r")\.?\s+)+", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"(?:'s|’s|[\s,.;:'\"\-()]+)$")
_ORG_OR_PLACE_AFTER = re.compile(
    r"^\s*(?:ltd|limited|plc|llp|llc|inc|corp|& co|and co|and sons|& sons|group|holdings|partners|"
    r"associates|solicitors|council|"
    r"street|st\b|road|rd\b|avenue|ave\b|lane|close|drive|way|crescent|square|hospital|school|college|"
    r"university|"
    r"house|court|park|centre|center|bank|building society)\b",
    re.IGNORECASE,
)
_NOT_NAME_CHARS = re.compile(r"[\d@/\\_#=<>{}\[\]|]|https?:|www\.")
PLACE_OR_ORG_LABELS = {"GPE", "LOC", "ORG", "FAC", "NORP"}


def trim(text: str, start: int, end: int) -> Tuple[int, int]:
    """Drop leading titles and trailing punctuation or possessives from a span."""
    span = text[start:end]
    lead = _LEADING_TITLE.match(span)
    if lead:
        start += lead.end()
    span = text[start:end]
    tail = _TRAILING_JUNK.search(span)
    while tail and tail.start() > 0:
        end = start + tail.start()
        tail = _TRAILING_JUNK.search(text[start:end])
    return start, end


def looks_like_name(span: str) -> bool:
    if not span or _NOT_NAME_CHARS.search(span) or len(span) > 60:
        return False
    return any(ch.isupper() for ch in span) and any(ch.isalpha() for ch in span)


def _plausible(span: str) -> bool:
    words = [w.strip(".,'’").casefold() for w in span.split()]
    if (
        any(w in STREET_OR_ORG_WORDS for w in words)
        or words[0] in NEVER_NAME_WORDS
        or words[-1] in NEVER_NAME_WORDS
    ):
        return False
    return len(words) > 1 or is_known_name_word(words[0])


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|\b[\w\-]+(?:\.[\w\-]+)+/[^\s<>\"']*", re.IGNORECASE)


def _url_spans(text: str) -> List[Finding]:
    """URLs are not reported (the URL recogniser is off), but no name is found inside one."""
    if "/" not in text and "www." not in text and "WWW." not in text:
        return []   # every URL form holds one of these; skipping the regex saves most of its cost
    return [Finding("URL", m.start(), m.end(), m.group(), 0.0, "url") for m in _URL.finditer(text)]


def person_findings(
    text: str, entities: Sequence[Tuple[int, int, str]], others: Sequence[Finding], index: Sequence[Finding] = ()
) -> List[Finding]:
    others = list(others) + _url_spans(text)
    found = _person_findings(text, entities, others)
    found = with_index_names(text, found, index, others)
    return [f for f in found if not is_address_line(text, f.start, f.end)]


def _person_findings(
    text: str, entities: Sequence[Tuple[int, int, str]], others: Sequence[Finding]
) -> List[Finding]:
    taken = SpanSet((o.start, o.end) for o in others)
    places = {text[s:e].casefold() for s, e, label in entities if label in PLACE_OR_ORG_LABELS}
    results = []
    for s, e, label in entities:
        if label != "PERSON":
            continue
        start, end = trim(text, s, e)
        span = text[start:end]
        if not looks_like_name(span) or span.casefold() in places or not _plausible(span):
            continue
        if _ORG_OR_PLACE_AFTER.match(text[end : end + 30]) or followed_by_house_number(text, end):
            continue
        if taken.overlaps(start, end):
            continue
        results.append(Finding("PERSON", start, end, span, NER_SCORE, RECOGNISER))
    for r in results:   # NER's people do not block each other, but they block the candidates
        taken.add(r.start, r.end)
    not_people = [(s, e) for s, e, label in entities if label in PLACE_OR_ORG_LABELS]
    for start, end, score in candidate_names(text):
        candidate = Finding("PERSON", start, end, text[start:end], score, GAZETTEER)
        # The small model calls many foreign names ORG or GPE: its veto counts
        # for one word, not for a pair the name lists or the dictionary vouch for.
        single = " " not in candidate.text
        vetoable = single and score < CUE_SCORE  # "My name is Rubija" outweighs the model's GPE
        if vetoable and (
            candidate.text.casefold() in places or any(s < end and start < e for s, e in not_people)
        ):
            continue
        if _ORG_OR_PLACE_AFTER.match(text[end : end + 30]):
            continue
        if not taken.overlaps(start, end):
            results.append(candidate)
            taken.add(start, end)
    firms = firm_names(text)
    return [r for r in results if not any(s <= r.start and r.end <= e for s, e in firms)]
