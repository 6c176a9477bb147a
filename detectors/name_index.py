"""The name index: plausible personal-name pairs found at regex speed, for `find --name`.

NER decides what the report labels PERSON; it must not decide what `find`
can see (DESIGN.md "Finding a person by name"). So every text is also read
for runs of name-like words, whatever their case and whatever NER thinks:

- `Funmilayo Oyelaran`, `FUNMILAYO OYELARAN`, `Mrs Funmilayo A. Oyelaran`, `Willemine ten Pas`;
- `OYELARAN, Funmilayo` and `Carver, Neil R.` (a lone word, a comma, a given name);
- a name cut by a line break between two lone words (`Tomas\\nRecke`, XML elements).

Each run gives one `NAME_INDEX` finding per pair of words at most two apart
(three in a run of four or fewer: `Maria José García López`); the keyed form
of a finding is its first and last name word, sorted (`name:funmilayo
oyelaran`), the same form a PERSON finding and a `find --name` query give.
A pair only counts where both words are name-like (not a function word; a
known name or a word no English dictionary holds), or where one is a known
given name and the other no function word (`Neil Carver`): `Annual Report` is
no one. An initial and a surname (`F. Oyelaran`, `OYELARAN, F.`) give the
weaker `initial:f oyelaran`, matched only by `find --loose`.
"""

from functools import lru_cache
from typing import Iterable, List, Tuple

import regex

from detectors.ascii_twin import TwinPattern
from detectors.gazetteer import (
    AMBIGUOUS_WORDS,
    NEVER_NAME_WORDS,
    first_names,
    is_dictionary_word,
    is_known_name_word,
)
from detectors.model import Finding
from detectors.normalise import HONORIFICS, name_tokens

ENTITY = "NAME_INDEX"
RECOGNISER = "NameIndex"
SCORE = 0.5
NAME_FIELD_LABELS = ("person", "name")   # a field hint whose value is not in the text is indexed too

# A name word: Capitalised (O'Neill, McDonald, Smith-Jones, Siân) or ALL CAPS (OYELARAN, O'BRIEN),
# written as its capital, then the rest of either form.
_AFTER_CAPITAL = (
    r"(?:(?:['’]\p{Lu}|c\p{Lu}|ac\p{Lu})?\p{Ll}+(?:[-'’]\p{Lu}\p{Ll}+)*"
    r"|(?:['’]\p{Lu})?\p{Lu}+(?:[-'’]\p{Lu}{2,})*)"
)
_WORD = rf"\p{{Lu}}{_AFTER_CAPITAL}"
_INITIAL = r"\p{Lu}\.?"
_TITLE = r"(?i:mr|mrs|ms|miss|mx|dr|prof|sir|dame|rev|revd|lord|lady)\.?"
_PARTICLE = r"(?:de|da|di|du|del|della|van|von|der|den|ten|ter|la|le|bin|al|dos|das|y)"
# Words that begin a surname of two words ("Mac Laithimh", "DE LÁSA", "Ní Bhriain"), in any case.
SURNAME_PREFIXES = frozenset(
    "mac mc mhic ni nic o ua fitz ap ab de del della di da van von le la du dos das st al el bin ibn abu ben "
    "ter ten der den".split())
_PREFIX = (r"(?i:mac|mc|mhic|n[ií]|nic|[oó]|ua|fitz|ap|ab|de|del|della|di|da|van|von|le|la|du|dos|das|st|al|el|"
           r"bin|ibn|abu|ben|ter|ten|der|den)")
# Between two words of a name: spaces, a tab (table cells), markup left in text (`</forename><surname>`,
# `&nbsp;`), at most two line breaks. A gap with a line break or a tag is a break between fields.
_SPACE = r"(?:[ \t\xa0]|<[^<>\n]{0,100}>|&nbsp;)"
_GAP = rf"(?:{_SPACE}+(?:\r?\n{_SPACE}*){{0,2}}|(?:\r?\n{_SPACE}*){{1,2}})"
_UNIT = rf"(?:{_WORD}|{_INITIAL})"
# A run's first unit is _UNIT with its capital read before the look-behind (which then looks at the
# character before that capital): a pattern that starts with a character class lets the stdlib engine
# skip to the next capital, one that starts with a look-behind tries it at every character
# (the search 0.138 -> 0.109 CPU s over the scale-6 batches; issue 16).
_FIRST_UNIT = rf"\p{{Lu}}(?<![\p{{L}}\d@.'’\-]\p{{Lu}})(?:{_AFTER_CAPITAL}|\.?)"
_RUN = TwinPattern(rf"{_FIRST_UNIT}(?:{_GAP}(?:{_PARTICLE}{_GAP})?{_UNIT})+(?![\p{{L}}\d@])")
# "OYELARAN, Funmilayo", "Carver, Neil R.", "Ó Céilleachair, Leslie", "by van Dijk, Jan": a surname not
# itself after a capitalised word ("Grace Okafor, Peter Lindqvist" is two people), a comma, a given name.
_SURNAME_FIRST = regex.compile(
    rf"(?<![\p{{L}}\d@.'’\-])(?<!\p{{Lu}}[\p{{L}}'’\-]*[ \t\xa0]+)"
    rf"((?:(?:{_PREFIX}|\p{{Lu}}['’]?)[ \t]+)?{_WORD})[ \t]*,[ \t]*({_WORD}|{_INITIAL})"
    rf"(?:[ \t]+({_WORD}|{_INITIAL}))?(?![\p{{L}}\d@])(?!,?[ \t]+(?:and|&)[ \t])"   # "Hart, Bradley and Coleman"
)
# Where a comma form may be: a capitalised word, a comma, a capital (a cheap regex; the full one runs there).
_COMMA_HINT = TwinPattern(r"\p{Lu}[\p{L}'’\-]*[ \t]*,[ \t]*\p{Lu}")
_AFTER_PARTICLE = regex.compile(rf"(?<![\p{{L}}]){_PARTICLE}[ \t\xa0]+$")
_VOUCHED = "+"
_WORD_RE = regex.compile(rf"{_TITLE}(?=\s)|{_WORD}|{_INITIAL}")
_TITLE_RE = regex.compile(rf"{_TITLE}")

Token = Tuple[int, int, str]   # start, end, key (casefolded, accents off; one letter for an initial)


@lru_cache(maxsize=200_000)
def name_like(key: str) -> bool:
    """A word that may be part of a person's name: a known name, or no English word."""
    if len(key) < 2 or key in NEVER_NAME_WORDS or key in HONORIFICS:
        return False
    return key in AMBIGUOUS_WORDS or is_known_name_word(key) or not is_dictionary_word(key)


@lru_cache(maxsize=200_000)
def _word(key: str) -> bool:
    return len(key) > 1 and key not in NEVER_NAME_WORDS and key not in HONORIFICS


def plausible_pair(a: str, b: str) -> bool:
    """Both words name-like, or a known given name with any other word (`Neil Carver`, `Carver, Neil`)."""
    if a == b:
        return False
    if b.startswith(_VOUCHED):
        return _word(a) and (name_like(a) or a in first_names())
    if name_like(a) and name_like(b):
        return True
    given = first_names()
    return _word(a) and _word(b) and (a in given or b in given)


@lru_cache(maxsize=200_000)
def _key(word: str) -> str:
    tokens = name_tokens(word)
    return tokens[0] if tokens else word.rstrip(".").casefold()


def _tokens(text: str, start: int, end: int) -> List[Token]:
    """Name words and initials of a run; titles dropped, line breaks noted as a token of key "\\n"."""
    out: List[Token] = []
    at = start
    for m in _WORD_RE.finditer(text, start, end):
        gap = text[at : m.start()]
        if out and ("\n" in gap or "<" in gap):
            out.append((at, at, "\n"))
        at = m.end()
        word = m.group()
        bare = word.rstrip(".")
        if len(bare) < 6 and bare.casefold() in HONORIFICS:
            continue
        letter = len(bare) == 1
        key = word[0].casefold() if letter else _key(word)
        if len(gap) > 2 and gap[-1] in " \t\xa0" and _AFTER_PARTICLE.search(gap):
            key = _VOUCHED + key          # "ten Pas": a particle says a surname follows
        out.append((m.start(), m.end() - (word.endswith(".") and not letter), key))
    return out


def _segments(tokens: List[Token]) -> List[List[Token]]:
    """The run cut at line breaks, except between two lone name words (`Tomas\\nRecke`, `<b>Ines</b>
    <b>Morand</b>`); `Jane Smith\\nPeter Brown` are two people, and so are `F. Oyelaran\\nJane Smith`."""
    lines: List[List[Token]] = [[]]
    for tok in tokens:
        if tok[2] == "\n":
            lines.append([])
        else:
            lines[-1].append(tok)
    segments: List[List[Token]] = []
    for line in (ln for ln in lines if ln):
        full = _full(line)
        prev_full = _full(segments[-1]) if segments else []
        if segments and len(full) == 1 and len(prev_full) == 1 and not _joined(segments[-1]):
            segments[-1] = segments[-1] + [(-1, -1, "\n")] + line
        else:
            segments.append(line)
    return segments


def _full(tokens: List[Token]) -> List[Token]:
    """Whole name words: no initials, no surname prefix (`Derick`⏎`Mac Laithimh` is two lone names)."""
    words = [t for t in tokens if len(t[2]) > 1 and t[2] != "\n"]
    return [t for i, t in enumerate(words) if t[2] not in SURNAME_PREFIXES or i == len(words) - 1]  # "Rachit De"


def _joined(segment: List[Token]) -> bool:
    return any(t[2] == "\n" for t in segment)


def _pairs(segment: List[Token]) -> Iterable[Tuple[Token, Token]]:
    words = [t for t in segment if t[2] != "\n" and len(t[2]) > 1]
    broken = _joined(segment)
    reach = 3 if len(words) <= 4 else 2
    for i, first in enumerate(words):
        for last in words[i + 1 : i + 1 + reach]:
            if plausible_pair(first[2], last[2]):
                if broken and not _crosses(segment, first, last):
                    continue      # a pair on one side of the break is that line's own business
                yield first, last


def _crosses(segment: List[Token], first: Token, last: Token) -> bool:
    """Across a line break only the words either side of it pair up."""
    at = segment.index((-1, -1, "\n"))
    before, after = _full(segment[:at]), _full(segment[at + 1 :])
    if first in before and last in after:
        return first == before[-1] and last == after[0]
    return True


def _initials(segment: List[Token]) -> Iterable[Tuple[Token, Token]]:
    """ "F. Oyelaran", "F Oyelaran": an initial straight before a name word (weaker, `--loose` only)."""
    for a, b in zip(segment, segment[1:]):
        if len(a[2]) == 1 and a[2] != "\n" and b[2] != "\n" and _word(b[2].lstrip(_VOUCHED)):
            yield a, b


def _finding(text: str, start: int, end: int) -> Finding:
    return Finding(ENTITY, start, end, text[start:end], SCORE, RECOGNISER)


def _runs(text: str) -> List[Finding]:
    found = []
    for match in _RUN.on(text).finditer(text):
        at = match.start()
        found.extend(_finding(text, at + start, at + end) for start, end in _run_pairs(match.group()))
    return found


@lru_cache(maxsize=20_000)   # per process: signatures and quoted mail repeat the same runs (issue 16)
def _run_pairs(run: str) -> Tuple[Tuple[int, int], ...]:
    """The (start, end) of each pair and each initial + surname in one run, offsets into the run."""
    spans = []
    for segment in _segments(_tokens(run, 0, len(run))):
        spans.extend((first[0], last[1]) for first, last in _pairs(segment))
        spans.extend((initial[0], surname[1]) for initial, surname in _initials(segment))
    return tuple(spans)


def _surname_first(text: str) -> List[Finding]:
    found = []
    for match in _comma_forms(text):
        surname = name_tokens(match.group(1))[-1] if name_tokens(match.group(1)) else ""
        for group in (2, 3):
            given = match.group(group)
            initial = given and len(given.rstrip(".")) == 1
            if given and (initial and name_like(surname) or not initial and plausible_pair(surname, _key(given))):
                end = match.end(group) - (given.endswith(".") and len(given) > 2)
                found.append(_finding(text, match.start(1), end))
    return found


def _comma_forms(text: str):
    """Each comma form starting at most 8 characters before a hint and holding its first capital.

    The forms a search from 8 characters before the hint would find, up to the hint: only a form
    starting at or before it can hold it, so they are looked for by anchored matches at those
    places alone, going on after a form's end as the search does ("Ng, A; Li, Wei": the first form
    ends before the second's hint). A search of the whole window went on through ~90 places, and
    most hints hold no form (_comma_forms 0.12 -> 0.08 CPU s over the scale-6 batches; issue 16)."""
    seen = set()
    for hint in _COMMA_HINT.on(text).finditer(text):
        at, end = hint.start(), hint.end() + 80
        start = max(0, at - 8)
        while start <= at:
            match = _SURNAME_FIRST.match(text, start, end)
            if match is None:
                start += 1
                continue
            if match.span() not in seen and at < match.end(2):
                seen.add(match.span())
                yield match
            start = match.end()


def name_index(text: str) -> List[Finding]:
    """Every plausible name pair of the text, as NAME_INDEX findings (the keyed form: `pair_form`)."""
    if not text:
        return []
    found = _runs(text) + _surname_first(text)
    return list({(f.start, f.end): f for f in found}.values())


def field_name_index(fields: Iterable) -> List[Finding]:
    """Names in field hints that are not in the text itself (start -1): a display name, an author."""
    found = []
    for field in fields or ():
        value = (getattr(field, "value", "") or "").strip()
        if getattr(field, "start", 0) is None or getattr(field, "start", 0) >= 0 or not value:
            continue
        found.extend(Finding(ENTITY, -1, -1, f.text, SCORE, RECOGNISER) for f in name_index(value))
    return found


def pair_forms(text: str) -> List[str]:
    """`name:<first> <last>` (sorted) of a NAME_INDEX span; `initial:<letter> <surname>` for an initial."""
    before, comma, after = text.partition(",")
    words = [w for part in ((after, before) if comma else (text,)) for w in _span_words(part)]
    full = [w for w in words if len(w) > 1]
    if len(full) >= 2:
        return ["name:" + " ".join(sorted((full[0], full[-1])))]
    if len(full) == 1 and words and len(words[0]) == 1:
        return [f"initial:{words[0]} {full[0]}"]
    return []


def _span_words(text: str) -> List[str]:
    out = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if len(word.rstrip(".")) == 1:
            out.append(word[0].casefold())
        elif not (_TITLE_RE.fullmatch(word) and word.rstrip(".").casefold() in HONORIFICS):
            out.append(_key(word))
    return out
