"""What a constrained reading of spelling says, written out: a postcode, an NI number, an address.

Pure functions over text (spelling_pass.py decodes; these read what it decoded):

    hotel uniform one three, zero golf delta      ->  HU13 0GD
    J.A. 59, 85 35C                                ->  JA598535C
    peter dot brown at example dot co dot uk       ->  peter.brown@example.co.uk
    peter dot brown set example dot co dot uk      ->  variants with the "at" put back

Each keeps only what has the identifier's shape, so that a reading of ordinary speech is
dropped rather than turned into an identifier. (connectors do not import detectors: the
shapes mirror detectors/checksums.py, and the tables detectors/spoken.py's.)
"""
from __future__ import annotations

import itertools
import re

from .number_pass import DIGIT_WORDS, REPEATS   # the words digits are said in, one table for both passes

NATO = {"alpha": "A", "alfa": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E", "foxtrot": "F",
        "golf": "G", "hotel": "H", "india": "I", "juliet": "J", "juliett": "J", "kilo": "K", "lima": "L",
        "mike": "M", "november": "N", "oscar": "O", "papa": "P", "quebec": "Q", "romeo": "R", "sierra": "S",
        "tango": "T", "uniform": "U", "victor": "V", "whiskey": "W", "whisky": "W", "xray": "X",
        "x-ray": "X", "yankee": "Y", "zulu": "Z"}
ADDRESS_JOINERS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
TOP_LEVEL_DOMAINS = frozenset("uk com org net io gov nhs ac co info biz me eu de fr ie us scot wales".split())
# Whisper writes "dot co dot uk" as "dot code dot UK" (flite's and espeak-ng's voices alike).
MISHEARD_UK_DOMAIN = re.compile(r"\.code\.uk$")
UK_SECOND_LEVEL = frozenset("co org ac gov nhs ltd plc me net sch police mod".split())   # not "com.uk"
# Words that say spelling follows; NATO words and letter runs say so too.
LETTER_CUES = ("postcode", "post", "code", "insurance", "ni", "nino", "spell", "spelt", "spelled")
# "look at example.com", "I'm at home", "and at" (Whisper's "and" for a misheard "at"): words that
# start no address's local part.
_NOT_LOCAL_PARTS = frozenset("look looking us me im is are be was him her them it that this you we here there "
                             "and the a an or to of in on for with".split())
# The shapes detectors/checksums.py accepts (connectors do not import detectors): which letters
# may stand where, so that a misread letter more often makes no postcode than a wrong one.
_POSTCODE = re.compile(r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
                       r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])"
                       r"[0-9][ABD-HJLNP-UW-Z]{2}")
MAX_O_SWAPS = 4
_NINO = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")
_PAUSES = ",.;:!?'\""


def bare(word: str) -> str:
    return word.lower().strip(_PAUSES)


def cue(word: str, cues) -> bool:
    return word in cues or any(word.startswith(c) for c in cues if len(c) > 4)


def spelt_words(said: str) -> str:
    """A reading from its first spelt word on: a reading started early writes the end of the cue
    as letters ("-CoDN hotel uniform ..." for "code is hotel uniform ..."). Whisper joins letters
    said alone with dots or hyphens ("J.A.", "J-A-5-9"): each is a word here."""
    words = [w for w in re.split(r"[\s,.\-]+", said) if w]
    for k, word in enumerate(words):
        if (letter_like(word) or _capitals(word)) and bare(word) not in ("a", "i", "o"):
            return " ".join(words[k:])
    return ""


def _capitals(word: str) -> bool:
    """Letters said alone that Whisper wrote as one word ("BK"): in capitals, up to three."""
    return bool(re.fullmatch(r"[A-Z]{1,3}", word))


def letter_like(token: str) -> bool:
    """A word of spelling: a NATO word, a digit word, a letter or digits said alone, "14l"."""
    word = bare(token)
    return (word in NATO or word in DIGIT_WORDS or word in REPEATS or (len(word) == 1 and word.isalnum())
            or bool(re.fullmatch(r"\d{1,3}[a-z]{0,2}", word)))


def spelling_kinds(text: str) -> list[str]:
    """Which passes a window's free transcript asks for: "letters", "email", both or none."""
    words = [bare(t) for t in re.split(r"[\s\-]+", text) if bare(t)]
    kinds = []
    nato = sum(w in NATO for w in words)
    if nato >= 2 or any(w in LETTER_CUES for w in words) or any(w.startswith("postcode") for w in words):
        kinds.append("letters")
    dotted = "dot" in words and ("at" in words or words[-1] in TOP_LEVEL_DOMAINS)
    written = any(w in ("email", "e-mail") or "@" in w or re.search(r"\.(co|com|org|net)\b", w)
                  for w in words)
    if dotted or written:
        kinds.append("email")
    return kinds


def letters_of(said: str) -> str:
    """The characters of a constrained reading: "hotel uniform one three, zero golf delta" -> "HU130GD",
    "J.A. 59, 85 35C" -> "JA598535C", "BK 016672C" -> "BK016672C"."""
    out, repeat = [], 1
    for written in re.split(r"[\s,.\-]+", said):
        word = written.lower()
        if not word:
            continue
        if word in REPEATS:
            repeat = REPEATS[word]
            continue
        chars = (NATO.get(word) or DIGIT_WORDS.get(word) or _written_chars(word)
                 or (written if _capitals(written) else ""))
        if chars:
            out.append(chars[0] * repeat + chars[1:])
        repeat = 1
    return "".join(out)


def _written_chars(word: str) -> str:
    """A letter said alone ("j"), or digits with letters Whisper wrote as one word ("8535c", "14l")."""
    if len(word) == 1 and word.isalnum() or re.fullmatch(r"[a-z0-9]*\d[a-z0-9]*", word):
        return word.upper()
    return ""


def identifier_of(chars: str) -> str | None:
    """A postcode written with its space, an NI number as one run; None for anything else.
    "Oh" is a digit and "O" a letter: where the reading has no valid shape, O and 0 are tried
    the other way round ("M6O 2LA" -> "M60 2LA"), the fewest swaps first."""
    swappable = [k for k, c in enumerate(chars) if c in "O0"][:MAX_O_SWAPS]
    for swaps in range(len(swappable) + 1):
        for chosen in itertools.combinations(swappable, swaps):
            swapped = "".join("O0"[c == "O"] if k in chosen else c for k, c in enumerate(chars))
            value = _valid_identifier(swapped)
            if value:
                return value
    return None


def _valid_identifier(chars: str) -> str | None:
    if _POSTCODE.fullmatch(chars):
        return chars[:-3] + " " + chars[-3:]
    if _NINO.fullmatch(chars) and chars[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        return chars
    return None


def address_of(said: str) -> str | None:
    """"peter dot brown at example dot co dot uk" -> "peter.brown@example.co.uk"; None if no address.
    The address is the longest `word (joiner word)*` chain on each side of the last "at"."""
    words = _letters_joined([w for w in re.split(r"[\s,]+", said.lower().strip(" .!?")) if w])
    if "at" not in words:
        return None
    at = len(words) - 1 - words[::-1].index("at")
    local = words[at - _chain_length(words[:at][::-1]):at]
    domain = words[at + 1:at + 1 + _chain_length(words[at + 1:])]
    labels = domain[::2]
    if not local or local[0] in _NOT_LOCAL_PARTS:
        return None
    if len(labels) < 2 or labels[-1] not in TOP_LEVEL_DOMAINS:
        return None
    if labels[-1] == "uk" and (labels[-2] not in UK_SECOND_LEVEL | {"code"} or len(labels) < 3):
        return None
    return _joined(local) + "@" + MISHEARD_UK_DOMAIN.sub(".co.uk", _joined(domain))


def _letters_joined(words: list[str]) -> list[str]:
    """Letters said alone joined into the word they spell ("j a n e dot smith" -> "jane dot smith")."""
    out = []
    for single, run in itertools.groupby(words, key=lambda w: len(w) == 1 and w.isalpha()):
        run = list(run)
        out.extend(["".join(run)] if single and len(run) >= 2 else run)
    return out


def at_variants(said: str) -> list[str]:
    """Readings with the "at" Whisper ran into a word put back: "robert set example dot co dot uk"
    -> "robert at example ...", "roberts at example ...", "robert set at example ..."."""
    words = said.split()
    if "at" in (w.lower().strip(",.") for w in words):
        return [said]
    domain = len(words) - _chain_length([w.lower().strip(",.") for w in words][::-1])
    if domain <= 0 or domain >= len(words):
        return []
    head, tail = words[:domain], words[domain:]
    out = [" ".join(head + ["at"] + tail)]
    glued = head[-1].lower().strip(",.")
    for ending in ("at", "et", "ad", "it"):
        if glued.endswith(ending) and len(head) >= 1:
            rest = glued[:-len(ending)]
            joined = head[:-2] + [head[-2] + rest] if rest and len(head) >= 2 and not _joiner(head[-2]) else \
                head[:-1] + ([rest] if rest else [])
            out.append(" ".join(joined + ["at"] + tail))
            out.append(" ".join(head[:-1] + ["at"] + tail))
    return list(dict.fromkeys(out))


def _joiner(word: str) -> bool:
    return word.lower().strip(",.") in ADDRESS_JOINERS


def _chain_length(words: list[str]) -> int:
    """How many of `words` make a `word (joiner word)*` chain from their start."""
    n = 0
    while n < len(words) and _address_word(words[n]):
        n += 1
        if not (n + 1 < len(words) and _joiner(words[n]) and _address_word(words[n + 1])):
            break
        n += 1
    return n


def _address_word(word: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9]+", word.lower().strip(",."))) and not _joiner(word)


def _joined(words: list[str]) -> str:
    return "".join(ADDRESS_JOINERS.get(w, w) for w in words)
