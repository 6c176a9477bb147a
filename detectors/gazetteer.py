"""Names that look like names: first-name and surname lists, an English dictionary, words never names.

The lists come from Faker's person providers (detectors/data/make_word_lists.py),
casefolded. They back two rules in names.py: a run of capitalised words that
starts with a known first name is a person even where NER missed it, and a
one-word NER "person" that is in neither list is dropped (NER tags song
titles, header words and brands as people).
"""

import gzip
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet

from spacy.lang.en.stop_words import STOP_WORDS

DATA = Path(__file__).parent / "data"

# Surnames and first names that are also ordinary words: not a name on their
# own, but fine as the surname after a known first name (Zoe Young, Tom King).
AMBIGUOUS_WORDS = frozenset("""
will may mark bill grace hope joy rose summer hunter page price cook baker mason carter dean north south east
west hill park wood green brown white black gray grey young long short king queen lord bishop major sterling
rich case bell
""".split())

# Words that end a name: labels, greetings, function words.
NEVER_NAME_WORDS = frozenset("""
a an and the of to in on at by for from with as is are was be
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday royal christmas easter
email phone tel mobile fax name address
customer client account date dear hi hello regards thanks thank kind best yours sincerely faithfully
subject re fw fwd to cc bcc sent order invoice ticket version reference total amount please note call
dob nhs ni postcode number ref id no ltd plc llc inc group council bank house court centre
prince princess duke duchess baby love day night labor labour guilty pleasure pleasures can my says said
god jesus christ lady sir madam miss mister doctor
""".split()) | frozenset(STOP_WORDS)
COMMON_WORDS = AMBIGUOUS_WORDS | NEVER_NAME_WORDS

# A run holding one of these is a street, a place or an organisation, not a person.
STREET_OR_ORG_WORDS = frozenset("""
street st road rd avenue ave lane ln close drive dr way crescent square squares terrace place gardens grove
boulevard blvd parkway pass bypass turnpike strasse straße str via rue calle vej katu gade gatan vei
building house court park centre center hospital school college university
ltd limited plc llp llc inc incorporated corp corporation company co group holdings partners associates
solicitors council trust foundation orchestra band society bank club hotel church station airport
alley branch bridge brook brooks burg camp canyon cape causeway circle circles cliff cliffs common corner
corners course courts cove coves creek crest crossing curve dale dam divide drives estate estates expressway
extension extensions falls ferry field fields ford forest forge fork forks fort freeway garden gateway glen
glens greens groves harbor harbour haven heights highway hills hollow inlet island islands isle junction
knoll knolls lake lakes landing lodge loop mall manor manors meadow meadows mews mill mills motorway mount
mountain mountains orchard oval overpass parks parkways passage path pike pines plain plains plaza point
points port ports prairie ramp ranch rapids ridge ridges river roads route row shoal shoals shore shores
skyway springs spur spurs squares stravenue stream streets summit throughway trace track trafficway trail
tunnel underpass union valley valleys viaduct view views village villages ville vista walk walks wall well
wells centers forges key keys locks lock rest flats ways light lights loaf mission neck radial shoal spring
summit crossroad junctions mountain plaza
north south east west new upper lower great little
""".split())

# Words after a name on an address label: the name ends there ("Barbara Yudina Apt. 675").
UNIT_WORDS = frozenset("apt apartment suite unit flat floor room box po".split())


def _load(name: str) -> FrozenSet[str]:
    try:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RuntimeError(
            f"pdsweep is installed without its word lists ({DATA / name} is missing): "
            "reinstall it with the package data"
        ) from None
    return frozenset(line.strip() for line in lines if line.strip())


@lru_cache(maxsize=1)
def first_names() -> FrozenSet[str]:
    return _load("first_names.txt") - COMMON_WORDS


@lru_cache(maxsize=1)
def last_names() -> FrozenSet[str]:
    return _load("last_names.txt") - COMMON_WORDS


@lru_cache(maxsize=1)
def countries() -> FrozenSet[str]:
    return _load("countries.txt")


def names_a_country(words) -> bool:
    """ "France", "Southern Poland", "Moosleerau Switzerland": a country is in it."""
    keys = [w.casefold().strip(".,") for w in words]
    return " ".join(keys) in countries() or any(k in countries() for k in keys)


@lru_cache(maxsize=1)
def dictionary_words() -> FrozenSet[str]:
    """Webster's Second (public domain), lower case: see data/make_word_lists.py."""
    with gzip.open(DATA / "english_words.txt.gz", "rt", encoding="utf-8") as words:
        return frozenset(words.read().split())


# Webster's lists head words only: signed -> sign, pleasures -> pleasure, stories -> story.
_INFLECTIONS = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("ers", ""),
    ("ly", ""),
)


@lru_cache(maxsize=100_000)   # per process: the name rules ask about the same few thousand words (issue 16)
def is_dictionary_word(word: str) -> bool:
    """An English word (plurals too); Tomomi, Nishiyama and Gelencsér are not."""
    w, words = word.casefold(), dictionary_words()
    if w in words or w in COMMON_WORDS:
        return True
    return any(w.endswith(end) and w[: -len(end)] + add in words for end, add in _INFLECTIONS)


def is_known_name_word(word: str) -> bool:
    w = word.casefold()
    return w in first_names() or w in last_names()


def preload_word_lists() -> None:
    first_names(), last_names(), dictionary_words(), countries()
