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
# "look at example.com", "I'm at home": words before "at" that are not the start of an address
_NOT_LOCAL_PARTS = frozenset("at look looking us me i'm im is are be was him her them it that this you we "
                             "online here there everyone".split())
# Whisper writes "dot co dot uk" as "dot code dot UK"; no address ends in .code.uk.
_MISHEARD_UK_DOMAIN = re.compile(r"\.code\.uk$")
EMAIL_JOINERS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
NAME_CUES = (("my", "name", "is"), ("name", "is"), ("this", "is"), ("speaking", "to"), ("i'm",), ("it's",),
             ("called",), ("mister",), ("mrs",), ("miss",), ("ms",), ("doctor",))
_TIME_RANGE = re.compile(r"^(\[[0-9:.\-]+\] )(\(spelled\) )?")
_PAUSES = ",.;:"          # a pause an engine wrote inside a number said in groups ("oh one one three four, nine six oh")
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
    tokens = _emails(_written_groups(_spelled_runs(tokens)))
    return prefix + " ".join(_capitalise_names(tokens)) + newline


def _spelled_runs(tokens: list[str]) -> list[str]:
    """Runs of digit words, repeats, NATO words and single letters, joined into one token."""
    return _joined(_split_hyphenated(tokens), _read_run)


def _written_groups(tokens: list[str]) -> list[str]:
    """Digit groups an engine wrote with pauses between them ("01482, 42, 015, 0") joined, where
    together they make a UK number's length (10-11 digits from a 0): said as one number."""
    return _joined(tokens, _read_written_group)


def _joined(tokens: list[str], read) -> list[str]:
    """The tokens with each run that `read(tokens, i) -> (joined or None, end)` finds replaced by one token."""
    out, i = [], 0
    while i < len(tokens):
        run, j = read(tokens, i)
        if run is not None:
            out.append(run)
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return out


def _read_written_group(tokens: list[str], i: int) -> tuple[str | None, int]:
    j, joined = i, ""
    while j < len(tokens) and _bare(tokens[j]).isdigit() and len(joined) + len(_bare(tokens[j])) <= 11:
        joined += _bare(tokens[j])
        j += 1
    if j - i > 1 and joined.startswith("0") and len(joined) >= 10:
        return joined + tokens[j - 1][len(_bare(tokens[j - 1])):], j
    return None, i


def _split_hyphenated(tokens: list[str]) -> list[str]:
    """Whisper writes a number it heard word by word as `O-Double-One-3` or `0-1-1-3`: one word each."""
    out = []
    for token in tokens:
        parts = token.split("-")
        if len(parts) < 2 or not all(_symbol(_bare(p)) or _bare(p) in REPEATS for p in parts):
            out.append(token)
        elif all(len(_bare(p)) == 1 and p[0].isdigit() for p in parts):
            out.append("".join(parts))                 # 0-1-1-3: digits heard one by one
        elif all(_bare(p).isdigit() for p in parts):
            out.append(token)                          # 2020-2021, 01482-420150: written, left as written
        else:
            out.extend(parts)
    return out


def _bare(token: str) -> str:
    """The word without the punctuation an engine puts after it ("oh," "six.")."""
    return token.lower().rstrip(_PAUSES)


def _read_run(tokens: list[str], i: int) -> tuple[str | None, int]:
    chars, j, plus, said = [], i, False, 0
    if tokens[i].lower() == "plus" and i + 1 < len(tokens):
        plus, j = True, i + 1
    while j < len(tokens):
        word = _bare(tokens[j])
        if word in REPEATS and j + 1 < len(tokens) and _symbol(_bare(tokens[j + 1])):
            chars.append(_symbol(_bare(tokens[j + 1])) * REPEATS[word])
            said, j = said + 1, j + 2
        elif _symbol(word) and (word != "o" or chars or _spoken_next(tokens, j)):
            chars.append(_symbol(word))
            said, j = said + (not word.isdigit()), j + 1
        else:
            break
    joined = "".join(chars)
    digits = sum(c.isdigit() for c in joined)
    letters = len(joined) - digits
    ending = tokens[j - 1][len(_bare(tokens[j - 1])):] if j > i else ""
    if said == 0:                      # written digits alone: the recognisers read them as written
        return None, i
    if letters == 0 and digits >= _MIN_DIGITS:
        return ("+" if plus else "") + joined + ending, j
    if letters and digits and len(joined) >= _MIN_ALNUM:
        return _alphanumeric(joined.upper()) + ending, j
    return None, i


def _spoken_next(tokens: list[str], j: int) -> bool:
    """A lone "O" is a digit when more of the number follows it ("O double seven", "O-1134")."""
    return j + 1 < len(tokens) and (bool(_symbol(_bare(tokens[j + 1]))) or _bare(tokens[j + 1]) in REPEATS)


def _symbol(word: str) -> str:
    if word.isascii() and word.isdigit():      # Whisper mixes written digits in: "oh 1134 nine six oh"
        return word
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
    """Addresses written out, letters said alone in them joined; the words as they were where no
    address comes of it ("plan a b at home")."""
    if "at" not in (_bare(t) for t in tokens):
        return tokens
    spelt = _spelt_address_words(tokens)
    written = _addresses(spelt)
    return tokens if written == spelt else written


def _addresses(tokens: list[str]) -> list[str]:
    """`local (dot local)* at domain (dot domain)+` into one address."""
    lowered = [_bare(t) for t in tokens]
    for at in [k for k, t in enumerate(lowered) if t == "at"]:
        start = _chain_start(lowered, at)
        end = _chain_end(lowered, at)
        if start < at and end > at + 1:
            domain = _MISHEARD_UK_DOMAIN.sub(".co.uk", _join(lowered[at + 1:end]))
            address = _join(lowered[start:at]) + "@" + domain
            return _addresses(tokens[:start] + [address] + tokens[end:])
    return tokens


def _spelt_address_words(tokens: list[str]) -> list[str]:
    """Letters said alone next to "dot" or "at" joined into the word they spell: "j a n e dot
    smith" -> "jane dot smith", "s m i double t h at" -> "smitth at"."""
    return _joined(tokens, _read_spelt_word)


def _read_spelt_word(tokens: list[str], i: int) -> tuple[str | None, int]:
    j, word = i, ""
    while j < len(tokens) and (_single_letter(tokens[j]) or _bare(tokens[j]) == "double" and j + 1 < len(tokens)
                               and _single_letter(tokens[j + 1])):
        word += _bare(tokens[j + 1]) * 2 if _bare(tokens[j]) == "double" else _bare(tokens[j])
        j += 2 if _bare(tokens[j]) == "double" else 1
    beside = {_bare(tokens[m]) for m in (i - 1, j) if 0 <= m < len(tokens)}
    if len(word) >= 2 and beside & (set(EMAIL_JOINERS) | {"at"}):
        return word, j
    return None, i


def _single_letter(token: str) -> bool:
    return len(_bare(token)) == 1 and _bare(token).isalpha()


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
    while k > at + 1 and words[k - 1].rsplit(".", 1)[-1] not in TOP_LEVEL_DOMAINS:   # "... uk thanks": stop at uk
        k -= 2
    domain = words[at + 1:k]
    return k if "dot" in domain or any("." in w for w in domain) else at


def _address_word(word: str) -> bool:
    """One word of an address, or several Whisper already joined ("jane.smith", "example.co.uk")."""
    return (bool(re.fullmatch(r"[a-z0-9][a-z0-9'.\-]*", word)) and word not in EMAIL_JOINERS
            and word not in _NOT_LOCAL_PARTS)


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
