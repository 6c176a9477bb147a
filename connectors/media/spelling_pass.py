"""A second Whisper pass over a window where something is spelt: postcodes, NI numbers, emails.

Whisper base writes a postcode said in the NATO alphabet as "hotel uniform one three o'clock"
and an email said as "peter dot brown at example dot co dot uk" as "Peter.Brownatexample.co.uk":
the sounds are there, the language model pulls them to words. Where a window's free transcript
shows spelling (a cue word such as "postcode" or "email", NATO words, a run of letters), the
window is decoded again from the encoder output the free pass computed (no second encode),
after the window's own text up to the spelling (and one and two words less, since the word
before is often misheard too):

- letters: every token suppressed but those of NATO words, single letters, digits and digit
  words ("oh", "double"), and pauses; a reading is kept when it has a UK postcode's or NI
  number's shape;
- email: every token suppressed that writes "." or "@", so the address comes as the words it
  was said in ("dot", "at", "underscore"), after a prompt saying so; a reading is kept when
  it has an address's shape (local part, "at", a domain ending in a known top-level domain).

Each kept reading, put back into the transcript, is scored by forced alignment (CTranslate2
`align`) and the likeliest one is written out ("HU13 0GD", "peter.brown@example.co.uk") as a
`(spelled)` line for the detectors. benchmarks/audio.py measures recall, false identifiers
and speed.
"""
from __future__ import annotations

import itertools
import re

import numpy as np

from .speech import Segment

DIGIT_WORDS = {"oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
REPEATS = {"double": 2, "treble": 3, "triple": 3}
NATO = {"alpha": "A", "alfa": "A", "bravo": "B", "charlie": "C", "delta": "D", "echo": "E", "foxtrot": "F",
        "golf": "G", "hotel": "H", "india": "I", "juliet": "J", "juliett": "J", "kilo": "K", "lima": "L",
        "mike": "M", "november": "N", "oscar": "O", "papa": "P", "quebec": "Q", "romeo": "R", "sierra": "S",
        "tango": "T", "uniform": "U", "victor": "V", "whiskey": "W", "whisky": "W", "xray": "X",
        "x-ray": "X", "yankee": "Y", "zulu": "Z"}
# Whisper hears "dot" as "not" (12 of 36 espeak-ng email calls): the email pass may not write it.
_NOT_DOT = ("not",)
ADDRESS_JOINERS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
TOP_LEVEL_DOMAINS = frozenset("uk com org net io gov nhs ac co info biz me eu de fr ie us scot wales".split())
UK_SECOND_LEVEL = frozenset("co org ac gov nhs ltd plc me net sch police mod".split())   # not "com.uk"
# Words that say spelling follows; NATO words and letter runs say so too.
LETTER_CUES = ("postcode", "post", "code", "insurance", "ni", "nino", "spell", "spelt", "spelled")
EMAIL_CUES = ("email", "e-mail", "mail", "address", "dot", "at")
EMAIL_START_CUES = ("email", "e-mail", "address")
# "look at example.com", "I'm at home": words that end no address's local part.
_NOT_LOCAL_PARTS = frozenset("look looking us me im is are be was him her them it that this you we here there".split())
LINKS = ("is", "in", "was", "it's", "its", "of", "my", "number", "no")
# No address in the prompt: a prompt's words leak into what is read ("jane dot robbert smith at
# mental dot co dot uk" for james dot roberts, with "jane dot smith at ..." as the example).
EMAIL_PROMPT = "Caller spells out an email address word by word, saying dot, at and underscore."
LETTER_PROMPT = "Caller spells it out, like hotel uniform one three zero golf delta, or Q Q one two three."
# The shapes detectors/checksums.py accepts (connectors do not import detectors): which letters
# may stand where, so that a misread letter more often makes no postcode than a wrong one.
_POSTCODE = re.compile(r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
                       r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])[0-9][ABD-HJLNP-UW-Z]{2}")
MAX_O_SWAPS = 4
_NINO = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]")
_PAUSES = ",.;:!?'\""
BACKOFF_WORDS = 2
BEAM = 2
MAX_SPELLING_TOKENS = 40
MAX_DECODER_TOKENS = 448


def _bare(word: str) -> str:
    return word.lower().strip(_PAUSES)


def _cue(word: str, cues) -> bool:
    return word in cues or any(word.startswith(c) for c in cues if len(c) > 4)


def _spelt_words(said: str) -> str:
    """A reading from its first spelt word on: a reading started early writes the end of the cue
    as letters ("-CoDN hotel uniform ..." for "code is hotel uniform ...")."""
    words = said.split()
    for k, word in enumerate(words):
        if _letter_like(word) and _bare(word) not in ("a", "i", "o"):
            return " ".join(words[k:])
    return ""


def _letter_like(token: str) -> bool:
    bare = _bare(token)
    return bare in NATO or bare in DIGIT_WORDS or bare in REPEATS or (len(bare) == 1 and bare.isalnum()) \
        or bool(re.fullmatch(r"\d{1,3}[a-z]{0,2}", bare))


def spelling_kinds(text: str) -> list[str]:
    """Which passes a window's free transcript asks for: "letters", "email", both or none."""
    words = [_bare(t) for t in re.split(r"[\s\-]+", text) if _bare(t)]
    kinds = []
    nato = sum(w in NATO for w in words)
    if nato >= 2 or any(w in LETTER_CUES for w in words) or any(w.startswith("postcode") for w in words):
        kinds.append("letters")
    dotted = "dot" in words and ("at" in words or words[-1] in TOP_LEVEL_DOMAINS)
    if dotted or any(w in ("email", "e-mail") or "@" in w or re.search(r"\.(co|com|org|net)\b", w) for w in words):
        kinds.append("email")
    return kinds


def letters_of(said: str) -> str:
    """The characters of a constrained reading: "hotel uniform one three, zero golf delta" -> "HU130GD",
    "J.A. 59, 85 35C" -> "JA598535C"."""
    out, repeat = [], 1
    for word in re.split(r"[\s,.\-]+", said.lower()):
        if not word:
            continue
        if word in REPEATS:
            repeat = REPEATS[word]
            continue
        chars = NATO.get(word) or DIGIT_WORDS.get(word) or _written_chars(word)
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
            value = _valid_identifier("".join("O0"[c == "O"] if k in chosen else c for k, c in enumerate(chars)))
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
    words = [w for w in re.split(r"[\s,]+", said.lower().strip(" .!?")) if w]
    if "at" not in words:
        return None
    at = len(words) - 1 - words[::-1].index("at")
    local = words[at - _chain_length(words[:at][::-1]):at]
    domain = words[at + 1:at + 1 + _chain_length(words[at + 1:])]
    labels = domain[::2]
    if not local or local[0] in _NOT_LOCAL_PARTS or len(labels) < 2 or labels[-1] not in TOP_LEVEL_DOMAINS:
        return None
    if labels[-1] == "uk" and (labels[-2] not in UK_SECOND_LEVEL or len(labels) < 3):
        return None
    return _joined(local) + "@" + _joined(domain)


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


class SpellingPass:
    """Built once per engine: for each kind, the tokens it may be written in."""

    def __init__(self, whisper_model):
        from faster_whisper.tokenizer import Tokenizer

        self.whisper = whisper_model
        self.tokenizer = Tokenizer(whisper_model.hf_tokenizer, True, task="transcribe", language="en")
        vocabulary = whisper_model.hf_tokenizer.get_vocab_size()
        letters = self._letter_tokens() | {self.tokenizer.eot}
        self.suppress = {
            "letters": [i for i in range(vocabulary) if i not in letters],
            "email": [i for i in range(self.tokenizer.eot)
                      if re.search(r"[.@]", self.tokenizer.decode([i]))
                      or self.tokenizer.decode([i]).strip().lower() in _NOT_DOT]
        }
        self.prompts = {"letters": self.tokenizer.encode(" " + LETTER_PROMPT),
                        "email": self.tokenizer.encode(" " + EMAIL_PROMPT)}

    def _letter_tokens(self) -> set[int]:
        words = list(NATO) + list(DIGIT_WORDS) + list(REPEATS)
        allowed = set()
        for word in words:
            for form in (word, word.capitalize(), word.upper()):
                allowed.update(self.tokenizer.encode(" " + form))
        for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
            for form in (char, char.lower()):
                allowed.update(self.tokenizer.encode(" " + form))
                allowed.update(self.tokenizer.encode(form))
        for i in range(self.tokenizer.eot):
            piece = self.tokenizer.decode([i]).strip(" ")
            if re.fullmatch(r"\d{1,3}|[,.\-]", piece):
                allowed.add(i)
        return allowed

    def best(self, encoder_output, frames: int, text: str) -> list[str]:
        """The likeliest postcode / NI number and email address spelt in this window (each or none)."""
        found = []
        for kind in spelling_kinds(text):
            value = self._best_of_kind(kind, encoder_output, frames, text)
            if value:
                found.append(value)
        return found

    def _best_of_kind(self, kind: str, encoder_output, frames: int, text: str) -> str | None:
        tokens = text.split()
        start = self._start(kind, tokens)
        context = " ".join(tokens[:start])
        scored = {}          # value -> (log-likelihood of the context and the words it was read in)
        for cut in range(start, max(start - BACKOFF_WORDS, 0) - 1, -1):
            for reading in self._readings(kind, encoder_output, " ".join(tokens[:cut])):
                for said in [_spelt_words(reading)] if kind == "letters" else at_variants(reading):
                    value = identifier_of(letters_of(said)) if kind == "letters" else address_of(said)
                    if value:
                        score = self._likelihood(encoder_output, frames, f"{context} {said}")
                        scored[value] = max(score, scored.get(value, -np.inf))
        return max(scored, key=scored.get) if scored else None

    def _start(self, kind: str, tokens: list[str]) -> int:
        """Where the spelling starts in the free transcript: after its cue words ("post code is"),
        or at its first spelt word where no cue comes first."""
        cues = LETTER_CUES if kind == "letters" else EMAIL_START_CUES
        for k, token in enumerate(tokens):
            if _cue(_bare(token), cues):
                k += 1
                while k < len(tokens) and (_cue(_bare(tokens[k]), cues) or _bare(tokens[k]) in LINKS):
                    k += 1
                return k
            if kind == "letters" and _letter_like(token) and _bare(token) not in ("a", "i", "o"):
                return k
        return 0

    def _readings(self, kind: str, encoder_output, prefix: str) -> list[str]:
        prompt = self.whisper.get_prompt(self.tokenizer, self.prompts[kind], without_timestamps=True,
                                         prefix=prefix or None)
        skip = len(self.tokenizer.encode(" " + prefix.strip())) if prefix else 0
        longest = min(len(prompt) + skip + MAX_SPELLING_TOKENS, MAX_DECODER_TOKENS)
        result = self.whisper.model.generate(encoder_output, [prompt], beam_size=BEAM, num_hypotheses=BEAM,
                                             max_length=longest, suppress_blank=False,
                                             suppress_tokens=self.suppress[kind])[0]
        return [self.tokenizer.decode([i for i in ids[skip:] if i < self.tokenizer.eot]).strip()
                for ids in result.sequences_ids]

    def _likelihood(self, encoder_output, frames: int, text: str) -> float:
        tokens = self.tokenizer.encode(" " + text.strip())
        result = self.whisper.model.align(encoder_output, self.tokenizer.sot_sequence, [tokens], frames)[0]
        return float(np.sum(np.log(np.maximum(result.text_token_probs, 1e-12))))


def spelled_segments(spelling: SpellingPass, encoder_output, frames: int, segments) -> list[Segment]:
    """The `(spelled)` lines for one window's free segments: each value found, timed from the
    first segment that shows spelling to the window's last."""
    text = " ".join(s.text.strip() for s in segments)
    if not segments or not spelling_kinds(text):
        return []
    values = spelling.best(encoder_output, frames, text)
    said = [s for s in segments if spelling_kinds(s.text)] or segments
    return [Segment(said[0].start, segments[-1].end, value, "spelled") for value in values]
