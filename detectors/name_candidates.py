"""PERSON candidates found at regex speed: capitalised runs that start with a known first name.

`Jane Smith`, `Faina D. Yefremova`, `Willemine ten Pas`, `Dr Amadeo Vitorović`:
a first name from the gazetteer, then capitalised words, initials or name
particles. Runs holding a street or organisation word are not people.
"""

from functools import lru_cache
from typing import List, NamedTuple, Optional, Tuple

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
from detectors.ascii_twin import TwinPattern
from detectors.name_context import Around

GAZETTEER_SCORE = 0.8  # known first name + capitalised words
TITLE_SCORE = 0.8  # Mr / Mrs / Dr + capitalised words
SURNAME_SCORE = 0.7  # capitalised words ending in a known surname
SINGLE_FIRST_NAME_SCORE = 0.6  # one capitalised known first name
UNKNOWN_WORDS_SCORE = 0.6  # two or more capitalised words, none of them in the English dictionary
CUE_SCORE = 0.65  # one name-like word after "my name is", "Dear", "speak to"... or as "Ubul:" speaking
VERB_CUE_SCORE = 0.6  # one name-like word before "is from", "spent", "lives"...
LIST_SCORE = 0.6  # "Kónya, Becker and Vasquez": every word of the list name-like
# A capitalised word (O'Neill, McDonald, Smith-Jones) or an initial.
# A full stop belongs to a title or an initial only, so a run never crosses "Hall. Build".
_TOKEN = (
    r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Revd|Sr|Jr|St)\.|\p{Lu}\.|"
    r"\p{Lu}(?:(?:['’]\p{Lu}|c\p{Lu}|ac\p{Lu})?[\p{Ll}'’]*\p{Ll}(?:-\p{Lu}?\p{Ll}+)?)?)"
)
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|ten|ter|la|le|bin|al|dos|das)"
# Every token starts with a capital: tested first, that one character fails the run at most places
# before the look-behind is tried (the search 0.129 -> 0.110 CPU s over the scale-6 batches; issue 16).
_RUN = TwinPattern(
    r"(?=\p{Lu})(?<![\p{L}\d@.])"
    + _TOKEN
    + r"(?:[ \t]+(?:"
    + _PARTICLE
    + r"[ \t]+)?"
    + _TOKEN
    + r"){0,3}(?![\p{L}\d@])"
)
# "patricia desrosiers", "benjamin a seiler", "eric g. samoylova": lower case, a middle initial allowed.
_LOWER_PAIR = TwinPattern(
    r"(?<![\p{L}\d@.])(\p{Ll}{2,})[ \t]+(?:\p{Ll}\.?[ \t]+)?(\p{Ll}{2,})(?![\p{L}\d@])"
)
# A street name then its number, continental style ("Hersnapvej 75", "Joaquin Suarez 2906"): a place.
_HOUSE_NUMBER_AFTER = TwinPattern(r"[ \t]+\d{1,4}[A-Za-z]?\b(?![\d/.:,\-])")
_LIST = regex.compile(
    r"(?<![\p{L}\d@.])("
    + _TOKEN
    + r")((?:,[ \t]*"
    + _TOKEN
    + r")*),?[ \t]+and[ \t]+("
    + _TOKEN
    + r")(?![\p{L}\d@])"
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
# Where a lower-case pair may start: a lower-case word, not inside a longer word, then a space or tab.
_LOWER_START = TwinPattern(r"(?<![\p{L}\d@.])\p{Ll}{2,}(?=[ \t])")
# Every name list holds " and " on one line (_LIST, _LOWER_LIST never cross a line break).
_AND = TwinPattern(r"[ \t]and[ \t]")


class Word(NamedTuple):
    start: int
    end: int
    text: str
    key: str   # casefolded, without a full stop: what the word lists hold


def _words(run: str) -> List[Word]:
    return [Word(m.start(), m.end(), m.group(), m.group().rstrip(".").casefold()) for m in _WORD.finditer(run)]


def _name_like(word: str) -> bool:
    """An initial, a known name, or a word no English dictionary holds."""
    key = word.rstrip(".")
    return len(key) < 2 or is_known_name_word(key) or not is_dictionary_word(key)


def _is_role_word(word: Word) -> bool:
    key = word.key
    return len(key) > 2 and is_dictionary_word(key) and not is_known_name_word(key) and key not in AMBIGUOUS_WORDS


def _is_place(words: List[Word]) -> bool:
    """ "Paula Courts", "North Lynn", "Smith Ltd", "093 Davies Meadow" — but "Brandon Wells" is a man."""
    streets = [
        i
        for i, w in enumerate(words)
        if w.key in STREET_OR_ORG_WORDS and not (i == 0 and len(words) > 1 and w.key in first_names())
    ]  # "Dale Hall"
    if not streets:
        return False
    surname_street = streets == [len(words) - 1] and words[-1].key in last_names()
    return not (surname_street and words[0].key in first_names())


class Reading(NamedTuple):
    """What a run's words alone say: the name's span in the run, its score for each cue its
    surroundings may give ("", "before", "after"; None: no name), and whether a house number
    before the run would make it a place."""

    start: int
    end: int
    scores: Tuple[Optional[float], Optional[float], Optional[float]]
    place_if_numbered: bool

    def score(self, around: Around) -> Optional[float]:
        none, before, after = self.scores
        if none == before == after:
            return none   # the cue is searched for only where it changes the score
        return {"": none, "before": before, "after": after}[around.cue()]


# Per process, bounded: mail repeats the same runs (greetings, names, signatures, quoted copies) and
# the words of a run settle most of the rules (issue 16). The answers hold while the word lists do
# (accuracy.py --hold-out-names swaps them before any text is read).
@lru_cache(maxsize=20_000)
def _reading(run: str) -> Optional[Reading]:
    """None where no surroundings could make the run a person's name."""
    words, titled = _words(run), False
    while words and words[0].key in TITLES:
        words, titled = words[1:], True
    while words and words[0].key in NEVER_NAME_WORDS:  # "Name: ...", "Customer ..."
        words = words[1:]
    named = _named_part(words, titled)
    # The place rules read the run before it is cut.
    if not named or not titled and (_is_place(words) or names_a_country([w.text for w in words])):
        return None
    scores = tuple(_score(named, titled, cue) for cue in ("", "before", "after"))
    if scores == (None, None, None):
        return None
    return Reading(named[0].start, named[-1].end - (1 if named[-1].text.endswith(".") else 0), scores, not titled)


def _named_part(words: List[Word], titled: bool) -> List[Word]:
    """The run cut at a unit or label word, without a trailing initial or a leading role word."""
    for i, word in enumerate(words):  # "Barbara Yudina Apt.", "Sieda Batukayev Phone": cut there
        initial = i > 0 and len(word.key) == 1    # "Martim A Pereira": a middle initial, not the article
        if word.key in UNIT_WORDS or (word.key in NEVER_NAME_WORDS and not initial and not (titled and i == 0)):
            words = [] if i == 0 or (i == 1 and not titled) else words[:i]
            break
    while words and len(words[-1].key) < 2:  # a trailing initial is not part of the name
        words = words[:-1]
    while len(words) > 2 and _is_role_word(words[0]):  # "Producer Liviana Palerma", "Engineer Ana Ruiz"
        words = words[1:]
    return words


def _score(words: List[Word], titled: bool, cue: str) -> Optional[float]:
    """The score of a named part given the cue around the run ("", "before", "after"), or None."""
    first, last = words[0].key, words[-1].key
    if titled:
        return TITLE_SCORE
    if len(words) == 1 and cue and first in first_names():
        return CUE_SCORE  # "My name is Siiri", "Scott is a very sympathetic person"
    if first in first_names() and len(words) > 1:
        return GAZETTEER_SCORE
    if first in first_names() and words[0].text.isalpha() and not is_dictionary_word(first):
        return SINGLE_FIRST_NAME_SCORE  # "Hannah", but not "True" or "Red" on their own
    if len(words) > 1 and last in last_names():
        return SURNAME_SCORE
    if len(words) > 1 and all(_name_like(w.text) for w in words):
        return UNKNOWN_WORDS_SCORE
    if cue and _name_like(words[0].text) and len(first) > 1:
        return CUE_SCORE if cue == "before" else VERB_CUE_SCORE
    if cue == "before" and len(words) > 1 and any(is_known_name_word(w.key) for w in words):
        return CUE_SCORE  # "I'm Quarto Angelo": a cue, and one of the words a known name
    return None


def _list_members(text: str, match) -> List[Tuple[int, int, str]]:
    members = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(match.group())]
    return [(match.start() + s, match.start() + e - w.endswith("."), w.rstrip(".")) for s, e, w in members]


def _is_firm(members) -> bool:
    """ "Stevens, Hopkins and Fletcher": known surnames only, the way partnerships are named."""
    return all(w.casefold() in last_names() for _, _, w in members)


@lru_cache(maxsize=1)   # _lists and _lower_lists read the same text's lines in a row
def _lines_with_and(text: str) -> Tuple[Span, ...]:
    """The lines holding " and ": the only places a list can be."""
    if "and" not in text:
        return ()   # a substring test: most texts hold no "and", and the search cost ~2 us a text (issue 16)
    lines: List[Span] = []
    for match in _AND.on(text).finditer(text):
        if lines and match.start() < lines[-1][1]:
            continue
        end = text.find("\n", match.end())
        lines.append((text.rfind("\n", 0, match.start()) + 1, len(text) if end < 0 else end + 1))
    return tuple(lines)


@lru_cache(maxsize=1)   # firm_names and candidate_names read the same text's lists in a row
def _lists(text: str) -> tuple:
    return tuple(match for start, end in _lines_with_and(text) for match in _LIST.finditer(text, start, end))


def firm_names(text: str) -> List[Span]:
    return [match.span() for match in _lists(text) if _is_firm(_list_members(text, match))]


# "silvana, adam, christopher and caleb": a lower-case list, every member a known given name.
_LOWER_LIST = regex.compile(r"(?<![\p{L}\d@.])\p{Ll}{3,}(?:,[ \t]*\p{Ll}{3,})+,?[ \t]+and[ \t]+\p{Ll}{3,}(?![\p{L}\d@])")


def _lower_lists(text: str) -> List[Tuple[int, int, float]]:
    found = []
    for match in (m for start, end in _lines_with_and(text) for m in _LOWER_LIST.finditer(text, start, end)):
        members = [(match.start() + m.start(), match.start() + m.end(), m.group())
                   for m in _LOWER_WORD.finditer(match.group()) if m.group() != "and"]
        if all(w in first_names() for _, _, w in members):
            found.extend((s, e, LIST_SCORE) for s, e, _ in members)
    return found


def _name_lists(text: str) -> List[Tuple[int, int, float]]:
    """Every member of a list of single name-like words ("Gaetane, Hannah and Anthony"), unless a firm."""
    found = []
    for match in _lists(text):
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
    return _HOUSE_NUMBER_AFTER.on(text).match(text, end) is not None


def _lower_pairs(text: str) -> List[Tuple[int, int, float]]:
    """ "patricia desrosiers": a known first name, then a surname. A pair is tried only where a known
    first name starts one: the same pairs as every overlapped match of _LOWER_PAIR, at a fraction of the cost."""
    found, given, pair = [], first_names(), _LOWER_PAIR.on(text)
    for start in _LOWER_START.on(text).finditer(text):
        match = pair.match(text, start.start()) if start.group() in given else None
        if match and (match.group(2) in last_names() or not is_dictionary_word(match.group(2))):
            found.append((match.start(), match.end(), GAZETTEER_SCORE))
    return found


def candidate_names(text: str) -> List[Tuple[int, int, float]]:
    spans = []
    for match in _RUN.on(text).finditer(text):
        reading = _reading(match.group())
        if reading is None or followed_by_house_number(text, match.end()):
            continue
        around = Around(text, match.start(), match.end())
        score = reading.score(around)
        if score is not None and not (reading.place_if_numbered and around.after_number()):
            spans.append((match.start() + reading.start, match.start() + reading.end, score))
    spans.extend(_name_lists(text))
    spans.extend(_lower_lists(text))
    spans.extend(_lower_pairs(text))
    best = {}
    for start, end, score in spans:  # one span once, with its best score, in text order
        best[(start, end)] = max(score, best.get((start, end), 0.0))
    return [(start, end, score) for (start, end), score in sorted(best.items())]
