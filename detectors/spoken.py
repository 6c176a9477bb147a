"""Spoken forms written out, so that the written-form recognisers find them in a transcript.

    oh one one three double eight five treble four   ->  01138854444
    plus four four seven seven double oh             ->  +447700
    jane dot smith at example dot co dot uk          ->  jane.smith@example.co.uk
    hotel uniform one three zero golf delta          ->  HU13 0GD
    alpha bravo one two three four five six charlie  ->  AB123456C
    my name is jane smith                            ->  my name is Jane Smith

Works line by line and keeps each line's leading `[mm:ss.s-mm:ss.s]` time
range, so an excerpt still says where in the call the words were. Pure
functions over text: a speech engine's output, whichever engine.
"""
from __future__ import annotations

import re

from detectors.gazetteer import first_names, last_names

DIGIT_WORDS = {"oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
REPEATS = {"double": 2, "treble": 3, "triple": 3}
NATO = {"alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
        "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
        "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
        "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x",
        "x-ray": "x", "yankee": "y", "zulu": "z"}
LETTERS = frozenset("bcdefghjklmnpqrstuvwxyz")        # spoken single letters ("a", "i", "o" are words)
TOP_LEVEL_DOMAINS = frozenset(
    "uk com org net io gov nhs ac co info biz me eu de fr ie us scot wales london".split())
EMAIL_JOINERS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
NAME_CUES = (("my", "name", "is"), ("name", "is"), ("this", "is"), ("speaking", "to"), ("i'm",), ("it's",),
             ("called",), ("mister",), ("mrs",), ("miss",), ("ms",), ("doctor",))
_TIME_RANGE = re.compile(r"^(\[[0-9:.\-]+\] )(\(spelled\) )?")
_MIN_DIGITS = 3           # "that one" stays words; "oh one one" is a number
_MIN_ALNUM = 5            # a spelled postcode or NI number has at least this many characters


def written_chunks(chunks):
    """written_form over a stream of whole-line chunks (a transcript is yielded line by line)."""
    return (written_form(chunk) for chunk in chunks)


def written_form(text: str) -> str:
    """Every line of a transcript with its spoken identifiers written out."""
    return "".join(_line(line) for line in text.splitlines(keepends=True))


def _line(line: str) -> str:
    prefix_match = _TIME_RANGE.match(line)
    prefix = prefix_match.group(0) if prefix_match else ""
    body, newline = line[len(prefix):].rstrip("\n"), "\n" if line.endswith("\n") else ""
    tokens = body.split()
    tokens = _emails(_spelled_runs(tokens))
    return prefix + " ".join(_capitalise_names(tokens)) + newline


def _spelled_runs(tokens: list[str]) -> list[str]:
    """Runs of digit words, repeats, NATO words and single letters, joined into one token."""
    out, i = [], 0
    while i < len(tokens):
        run, j = _read_run(tokens, i)
        if run is not None:
            out.append(run)
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def _read_run(tokens: list[str], i: int) -> tuple[str | None, int]:
    chars, j, plus = [], i, False
    if tokens[i].lower() == "plus" and i + 1 < len(tokens):
        plus, j = True, i + 1
    while j < len(tokens):
        word = tokens[j].lower()
        if word in REPEATS and j + 1 < len(tokens) and _symbol(tokens[j + 1].lower()):
            chars.append(_symbol(tokens[j + 1].lower()) * REPEATS[word])
            j += 2
        elif _symbol(word) and (word not in ("o",) or chars):
            chars.append(_symbol(word))
            j += 1
        else:
            break
    joined = "".join(chars)
    digits = sum(c.isdigit() for c in joined)
    letters = len(joined) - digits
    if letters == 0 and digits >= _MIN_DIGITS:
        return ("+" if plus else "") + joined, j
    if letters and digits and len(joined) >= _MIN_ALNUM:
        return _alphanumeric(joined.upper()), j
    return None, i


def _symbol(word: str) -> str:
    if word in DIGIT_WORDS:
        return DIGIT_WORDS[word]
    if word in NATO:
        return NATO[word]
    return word if word in LETTERS else ""


def _alphanumeric(value: str) -> str:
    """A spelled postcode gets its space before the inward code (HU13 0GD); anything else as spelled."""
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}", value):
        return value[:-3] + " " + value[-3:]
    return value


def _emails(tokens: list[str]) -> list[str]:
    """`local (dot local)* at domain (dot domain)+` into one address."""
    lowered = [t.lower() for t in tokens]
    for at in [k for k, t in enumerate(lowered) if t == "at"]:
        start = _chain_start(lowered, at)
        end = _chain_end(lowered, at)
        if start < at and end > at + 3:
            address = _join(lowered[start:at]) + "@" + _join(lowered[at + 1:end])
            return _emails(tokens[:start] + [address] + tokens[end:])
    return tokens


def _chain_start(words: list[str], at: int) -> int:
    k = at - 1
    if k < 0 or not _address_word(words[k]):
        return at
    while k >= 2 and words[k - 1] in EMAIL_JOINERS and _address_word(words[k - 2]):
        k -= 2
    return k


def _chain_end(words: list[str], at: int) -> int:
    k = at + 1
    if k >= len(words) or not _address_word(words[k]):
        return at
    k += 1
    while k + 1 < len(words) and words[k] in EMAIL_JOINERS and _address_word(words[k + 1]):
        k += 2
    while k > at + 1 and words[k - 1] not in TOP_LEVEL_DOMAINS:   # "... dot co dot uk thanks": stop at uk
        k -= 2
    return k if "dot" in words[at + 1:k] else at


def _address_word(word: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9'\-]*", word)) and word not in EMAIL_JOINERS and word != "at"


def _join(words: list[str]) -> str:
    return "".join(EMAIL_JOINERS.get(w, w) for w in words)


def _capitalise_names(tokens: list[str]) -> list[str]:
    """A first name followed by a surname, or the words after a cue ("my name is"), capitalised."""
    lowered = [t.lower() for t in tokens]
    out = list(tokens)
    for k in range(len(tokens)):
        after_cue = any(tuple(lowered[max(0, k - len(c)):k]) == c for c in NAME_CUES)
        pair = k + 1 < len(tokens) and lowered[k] in first_names() and lowered[k + 1] in last_names()
        if pair or (after_cue and lowered[k] in first_names()):
            for m in (k, k + 1):
                if m < len(tokens) and (lowered[m] in first_names() or lowered[m] in last_names()):
                    out[m] = tokens[m][:1].upper() + tokens[m][1:]
    return out
