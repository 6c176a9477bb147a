"""PERSON candidates found at regex speed: capitalised runs that start with a known first name.

`Jane Smith`, `Faina D. Yefremova`, `Willemine ten Pas`, `Dr Amadeo Vitorović`:
a first name from the gazetteer, then capitalised words, initials or name
particles. Runs holding a street or organisation word are not people.
"""

from typing import List, Tuple

import regex

from detectors.gazetteer import (
    AMBIGUOUS_WORDS,
    COMMON_WORDS,
    names_a_country,
    NEVER_NAME_WORDS,
    STREET_OR_ORG_WORDS,
    UNIT_WORDS,
    first_names,
    is_dictionary_word,
    is_known_name_word,
    last_names,
)

GAZETTEER_SCORE = 0.8  # known first name + capitalised words
TITLE_SCORE = 0.8  # Mr / Mrs / Dr + capitalised words
SURNAME_SCORE = 0.7  # capitalised words ending in a known surname
SINGLE_FIRST_NAME_SCORE = 0.6  # one capitalised known first name
UNKNOWN_WORDS_SCORE = 0.6  # two or more capitalised words, none of them in the English dictionary
CUE_SCORE = 0.65  # one name-like word after "my name is", "Dear", "speak to"... or as "Ubul:" speaking
VERB_CUE_SCORE = 0.6  # one name-like word before "is from", "spent", "lives"...
LIST_SCORE = 0.6  # "Kónya, Becker and Vasquez": every word of the list name-like
_CUE_BEFORE = regex.compile(
    r"(?:\bmy name is|\bname is|\bname:|\byour name\?|\bi'?m|\bi am|\bcalled|\bcall me|\bdear|\bhi|\bhello|\blast name\??|"
    r"\bfirst name\??|\bsurname:?|\bspeak to|\bspoke to|\bask for|\bfollow up with|\bsaid|\bshouted at|"
    r"\bmarried|\bsigned|\buser:|\bcalls me|\bstarring|\bsays|\baccording to|\bmaiden name is|\bremember me,|"
    r"\bmy (?:kid|son|daughter|wife|husband|brother|sister|mum|mom|dad|mother|father|friend)|\bproducer|"
    r"\bdirected by|\bwritten by|\bnamed (?:him|her)|\bhad given|\bjoin accounts with(?: m[rs]s?\.?)?)[ \t]*[\"“]?$",
    regex.IGNORECASE,
)
# A word followed by what people do: "Tomomi is from", "Alvir spent a year" (weaker: NER may still veto).
# A bare "is" or "was" is no cue: "Telenav is a design agency", "Zoolander is a 1979 comedy".
_CUE_AFTER = regex.compile(
    r"[ \t]+(?:is from|is my|is our|was born|was my|has|had|lives|lived|spent|shouted|says|said|works|"
    r"worked|wants|told|asked|will be|went|joined|began|explained|wrote|writes)\b"
    r"|['’]s[ \t]+(?:kid|kids|address|daughter|son|wife|husband|mother|father|mum|dad|brother|sister|"
    r"friend|phone|email|birthday)\b"   # "Matej's address", "Franciska's kid"
)
_SPEAKER = regex.compile(r"[ \t]*:[ \t]*(?:[\"“]|\p{Lu})")
# A capitalised word (O'Neill, McDonald, Smith-Jones) or an initial.
# A full stop belongs to a title or an initial only, so a run never crosses "Hall. Build".
_TOKEN = (
    r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Revd|Sr|Jr|St)\.|\p{Lu}\.|"
    r"\p{Lu}(?:(?:['’]\p{Lu}|c\p{Lu}|ac\p{Lu})?[\p{Ll}'’]*\p{Ll}(?:-\p{Lu}?\p{Ll}+)?)?)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|ten|ter|la|le|bin|al|dos|das)"
_RUN = regex.compile(
    r"(?<![\p{L}\d@.])"
    + _TOKEN
    + r"(?:[ \t]+(?:"
    + _PARTICLE
    + r"[ \t]+)?"
    + _TOKEN
    + r"){0,3}(?![\p{L}\d@])"
)
# "patricia desrosiers", "benjamin a seiler", "eric g. samoylova": lower case, a middle initial allowed.
_LOWER_PAIR = regex.compile(
    r"(?<![\p{L}\d@.])(\p{Ll}{2,})[ \t]+(?:\p{Ll}\.?[ \t]+)?(\p{Ll}{2,})(?![\p{L}\d@])"
)
# A street name then its number, continental style ("Hersnapvej 75", "Joaquin Suarez 2906"): a place.
_HOUSE_NUMBER_AFTER = regex.compile(r"[ \t]+\d{1,4}[A-Za-z]?\b(?![\d/.:,\-])")
_LIST = regex.compile(
    r"(?<![\p{L}\d@.])("
    + _TOKEN
    + r")((?:,[ \t]*"
    + _TOKEN
    + r")*),?[ \t]+and[ \t]+("
    + _TOKEN
    + r")(?![\p{L}\d@])"
)
_HOUSE_NUMBER = regex.compile(
    r"(?:\b\d+[A-Za-z]?[ \t]+|(?i:flat|studio|apartment|apt|unit|suite)\.?[ \t]*\d+[A-Za-z]?,?\s+)$"
)
TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "dame",
    "rev",
    "lord",
    "lady",
    "dear",
    "hi",
    "hello",
}

Span = Tuple[int, int]


# Compiled once: regex's own cache lookup for a pattern string costs more than the match (issue 16).
_WORD = regex.compile(r"[\p{L}'’\-]+\.?")
_TOKEN_RE = regex.compile(_TOKEN)
_LOWER_WORD = regex.compile(r"\p{Ll}+")


def _words(text: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in _WORD.finditer(text[start:end])]


def _key(word) -> str:
    return word[2].rstrip(".").casefold()


def _name_like(word: str) -> bool:
    """An initial, a known name, or a word no English dictionary holds."""
    key = word.rstrip(".")
    return len(key) < 2 or is_known_name_word(key) or not is_dictionary_word(key)


def _is_role_word(word) -> bool:
    key = _key(word)
    return len(key) > 2 and is_dictionary_word(key) and not is_known_name_word(key) and key not in AMBIGUOUS_WORDS


def _cued(text: str, start: int, end: int) -> str:
    """A cue that the next word is someone's name, or the word speaks ("Ubul: What a wife")."""
    line_start = text.rfind("\n", 0, start) + 1
    speaker = _SPEAKER.match(text, end) and (
        start == line_start or text[max(0, start - 2) : start].strip() in ".!?\""
    )
    if speaker or _CUE_BEFORE.search(text, max(0, start - 25), start):
        return "before"
    return "after" if _CUE_AFTER.match(text, end) else ""


def _is_place(words, after_number: bool) -> bool:
    """ "Paula Courts", "North Lynn", "Smith Ltd", "093 Davies Meadow" — but "Brandon Wells" is a man."""
    if after_number:  # a house number: "4 Rita Mills"
        return True
    streets = [
        i
        for i, w in enumerate(words)
        if _key(w) in STREET_OR_ORG_WORDS and not (i == 0 and len(words) > 1 and _key(w) in first_names())
    ]  # "Dale Hall"
    if not streets:
        return False
    surname_street = streets == [len(words) - 1] and _key(words[-1]) in last_names()
    return not (surname_street and _key(words[0]) in first_names())


def _person_span(words, cued=False, after_number=False):
    """(start, end, score) of the part of a run that reads as a person's name, or None."""
    titled = False
    while words and _key(words[0]) in TITLES:
        words, titled = words[1:], True
    while words and _key(words[0]) in NEVER_NAME_WORDS:  # "Name: ...", "Customer ..."
        words = words[1:]
    if not titled and (_is_place(words, after_number) or names_a_country([w[2] for w in words])):
        return None
    for i, word in enumerate(words):  # "Barbara Yudina Apt.", "Sieda Batukayev Phone": cut there
        initial = i > 0 and len(_key(word)) == 1    # "Martim A Pereira": a middle initial, not the article
        if _key(word) in UNIT_WORDS or (_key(word) in NEVER_NAME_WORDS and not initial and not (titled and i == 0)):
            words = [] if i == 0 or (i == 1 and not titled) else words[:i]
            break
    while words and len(_key(words[-1])) < 2:  # a trailing initial is not part of the name
        words = words[:-1]
    while len(words) > 2 and _is_role_word(words[0]):  # "Producer Liviana Palerma", "Engineer Ana Ruiz"
        words = words[1:]
    if not words:
        return None
    first, last = _key(words[0]), _key(words[-1])
    if titled:
        score = TITLE_SCORE
    elif len(words) == 1 and cued and first in first_names():
        score = CUE_SCORE  # "My name is Siiri", "Scott is a very sympathetic person"
    elif first in first_names() and len(words) > 1:
        score = GAZETTEER_SCORE
    elif first in first_names() and words[0][2].isalpha() and not is_dictionary_word(first):
        score = SINGLE_FIRST_NAME_SCORE  # "Hannah", but not "True" or "Red" on their own
    elif len(words) > 1 and last in last_names():
        score = SURNAME_SCORE
    elif len(words) > 1 and all(_name_like(w[2]) for w in words):
        score = UNKNOWN_WORDS_SCORE
    elif cued and _name_like(words[0][2]) and len(_key(words[0])) > 1:
        score = CUE_SCORE if cued == "before" else VERB_CUE_SCORE
    elif cued == "before" and len(words) > 1 and any(is_known_name_word(_key(w)) for w in words):
        score = CUE_SCORE  # "I'm Quarto Angelo": a cue, and one of the words a known name
    else:
        return None
    return words[0][0], words[-1][1] - (1 if words[-1][2].endswith(".") else 0), score


def _list_members(text: str, match) -> List[Tuple[int, int, str]]:
    members = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(match.group())]
    return [(match.start() + s, match.start() + e - w.endswith("."), w.rstrip(".")) for s, e, w in members]


def _is_firm(members) -> bool:
    """ "Stevens, Hopkins and Fletcher": known surnames only, the way partnerships are named."""
    return all(w.casefold() in last_names() for _, _, w in members)


def firm_names(text: str) -> List[Span]:
    return [match.span() for match in _LIST.finditer(text) if _is_firm(_list_members(text, match))]


# "silvana, adam, christopher and caleb": a lower-case list, every member a known given name.
_LOWER_LIST = regex.compile(r"(?<![\p{L}\d@.])\p{Ll}{3,}(?:,[ \t]*\p{Ll}{3,})+,?[ \t]+and[ \t]+\p{Ll}{3,}(?![\p{L}\d@])")


def _lower_lists(text: str) -> List[Tuple[int, int, float]]:
    found = []
    for match in _LOWER_LIST.finditer(text):
        members = [(match.start() + m.start(), match.start() + m.end(), m.group())
                   for m in _LOWER_WORD.finditer(match.group()) if m.group() != "and"]
        if all(w in first_names() for _, _, w in members):
            found.extend((s, e, LIST_SCORE) for s, e, _ in members)
    return found


def _name_lists(text: str) -> List[Tuple[int, int, float]]:
    """Every member of a list of single name-like words ("Gaetane, Hannah and Anthony"), unless a firm."""
    found = []
    for match in _LIST.finditer(text):
        members = _list_members(text, match)
        if (
            not followed_by_house_number(text, match.end())   # "Maarit and Hersnapvej 75": a street
            and len(members) >= 2
            and not _is_firm(members)
            and all(len(w) > 2 and _name_like(w) and w.casefold() not in COMMON_WORDS for _, _, w in members)
        ):
            found.extend((s, e, LIST_SCORE) for s, e, _ in members)
    return found


def followed_by_house_number(text: str, end: int) -> bool:
    """ "Hersnapvej 75", "Rua Diadema 1903": a street written before its number (a phone number is longer)."""
    return _HOUSE_NUMBER_AFTER.match(text, end) is not None


def candidate_names(text: str) -> List[Tuple[int, int, float]]:
    spans = []
    for match in _RUN.finditer(text):
        if followed_by_house_number(text, match.end()):
            continue
        after_number = _HOUSE_NUMBER.search(text, max(0, match.start() - 20), match.start()) is not None
        span = _person_span(
            _words(text, match.start(), match.end()), _cued(text, match.start(), match.end()), after_number
        )
        if span:
            spans.append(span)
    spans.extend(_name_lists(text))
    spans.extend(_lower_lists(text))
    # "patricia desrosiers": a known first name, then a surname
    for match in _LOWER_PAIR.finditer(text, overlapped=True):
        first, last = match.group(1), match.group(2)
        if first in first_names() and (last in last_names() or not is_dictionary_word(last)):
            spans.append((match.start(), match.end(), GAZETTEER_SCORE))
    best = {}
    for start, end, score in spans:  # one span once, with its best score, in text order
        best[(start, end)] = max(score, best.get((start, end), 0.0))
    return [(start, end, score) for (start, end), score in sorted(best.items())]
