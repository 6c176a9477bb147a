"""A second Whisper pass over a window where something is spelt: postcodes, NI numbers, emails.

Whisper base writes a postcode said in the NATO alphabet as "hotel uniform one three o'clock"
and an email said as "peter dot brown at example dot co dot uk" as "Peter.Brownatexample.co.uk":
the sounds are there, the language model pulls them to words. Where a window's free transcript
shows spelling (a cue word such as "postcode" or "email", NATO words, "dot" with "at"), the
window is decoded again from the encoder output the free pass computed (no second encode),
after the window's own text up to the spelling (for letters, also a word less, since the
word before is often misheard too):

- letters: every token suppressed but those of NATO words, single letters, digits and digit
  words ("oh", "double"), and pauses; a reading is kept when it has a UK postcode's or NI
  number's shape;
- email: every token suppressed that writes "." or "@", so the address comes as the words it
  was said in ("dot", "at", "underscore"), after a prompt saying so; a reading is kept when
  it has an address's shape (local part, "at", a domain ending in a known top-level domain).

Each kept reading, after the window's text up to the spelling, is scored by forced alignment
(CTranslate2 `align`), and the likeliest one is written out ("HU13 0GD", "JA598535C",
"peter.brown@example.co.uk"; spelt_forms.py reads the readings) as a `(spelled)` line for the
detectors. Calls with no spelling in them do not start it. benchmarks/audio.py measures recall,
false identifiers per hour and speed, with and without it (--no-spelling-pass).
"""
from __future__ import annotations

import re

from .constrained import ConstrainedDecoder
from .speech import Segment
from .spelt_forms import (DIGIT_WORDS, LETTER_CUES, NATO, REPEATS, address_of, at_variants, bare, cue,
                          identifier_of, letter_like, letters_of, spelling_kinds, spelt_words)

# Where spelling starts: after a cue (spelt_forms.LETTER_CUES, these) and the words after it.
EMAIL_START_CUES = ("email", "e-mail", "address")
LINKS = ("is", "in", "was", "it's", "its", "of", "my", "number", "no")
# No identifier in the prompts: a prompt's words leak into what is read ("jane dot robbert smith
# at mental dot co dot uk" for james dot roberts, with "jane dot smith at ..." as the example).
EMAIL_PROMPT = "Caller spells out an email address word by word, saying dot, at and underscore."
# The letters prompt names the NATO words and digits (a reading of its leaked words has no shape).
LETTER_PROMPT = ("Caller spells it out with letters, digits and the NATO alphabet: alpha, bravo, "
                 "charlie, delta, echo, foxtrot, golf, hotel, india, juliet, kilo, lima, mike, november, "
                 "oscar, papa, quebec, romeo, sierra, tango, uniform, victor, whiskey, x-ray, yankee, zulu, "
                 "zero, one, two, three.")
# espeak-ng's "dot" comes out as "not" in most of benchmarks/audio.py's 8 kHz email calls: the
# email pass may not write it.
NOT_DOT = ("not",)
# Also start a word or two earlier: the word before the spelling is often misheard ("in" for "is").
# On `benchmarks/audio.py --quick` (18 spelt calls) one word for letters and none for email (whose
# cue, "email is", comes through) read the same identifiers as two each, at 2.5x real time per core
# against 2.2x.
BACKOFF_WORDS = {"letters": 1, "email": 0}
BEAM = 2
MAX_SPELLING_TOKENS = 60   # a spelt postcode, NI number or address with pauses, in Whisper tokens


class SpellingPass:
    """Built once per engine: for each kind, the tokens it may be written in."""

    def __init__(self, whisper_model):
        self.decoder = ConstrainedDecoder(whisper_model)
        self.tokenizer = self.decoder.tokenizer
        vocabulary = whisper_model.hf_tokenizer.get_vocab_size()
        letters = self._letter_tokens() | {self.tokenizer.eot}
        self.suppress = {
            "letters": [i for i in range(vocabulary) if i not in letters],
            "email": [i for i in range(self.tokenizer.eot)
                      if re.search(r"[.@]", self.tokenizer.decode([i]))
                      or self.tokenizer.decode([i]).strip().lower() in NOT_DOT]
        }
        self.prompts = {"letters": self.tokenizer.encode(" " + LETTER_PROMPT),
                        "email": self.tokenizer.encode(" " + EMAIL_PROMPT)}

    def _letter_tokens(self) -> set[int]:
        """The tokens of NATO words, digit words, single letters and digits, and pauses."""
        words = list(NATO) + list(DIGIT_WORDS) + list(REPEATS)
        allowed = set()
        for word in words:
            for form in (word, word.capitalize(), word.upper()):
                allowed.update(self.tokenizer.encode(" " + form))
        # Letters in capitals only: with small ones too, Whisper spelt sounds out ("n-e-r-o" for
        # espeak-ng's "zero") rather than choosing the digit word.
        for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
            allowed.update(self.tokenizer.encode(" " + char))
            allowed.update(self.tokenizer.encode(char))
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
        scored = {}          # the words a value was read in -> (log-likelihood after the context, value)
        for cut in range(start, max(start - BACKOFF_WORDS[kind], 0) - 1, -1):
            for reading in self._readings(kind, encoder_output, " ".join(tokens[:cut])):
                for said in [spelt_words(reading)] if kind == "letters" else at_variants(reading):
                    value = identifier_of(letters_of(said)) if kind == "letters" else address_of(said)
                    if value and said not in scored:     # readings from different starts often agree
                        scored[said] = (self._likelihood(encoder_output, frames, f"{context} {said}"), value)
        return max(scored.values())[1] if scored else None

    def _start(self, kind: str, tokens: list[str]) -> int:
        """Where the spelling starts in the free transcript: after its cue words ("post code is"),
        or at its first spelt word where no cue comes first."""
        cues = LETTER_CUES if kind == "letters" else EMAIL_START_CUES
        for k, token in enumerate(tokens):
            if cue(bare(token), cues):
                k += 1
                while k < len(tokens) and (cue(bare(tokens[k]), cues) or bare(tokens[k]) in LINKS):
                    k += 1
                return k
            if kind == "letters" and letter_like(token) and bare(token) not in ("a", "i", "o"):
                return k
        return 0

    def _readings(self, kind: str, encoder_output, prefix: str) -> list[str]:
        return [r.strip() for r in self.decoder.readings(
            encoder_output, self.prompts[kind], prefix, BEAM, self.suppress[kind],
            lambda prompt, skip: len(prompt) + skip + MAX_SPELLING_TOKENS)]

    def _likelihood(self, encoder_output, frames: int, text: str) -> float:
        return self.decoder.likelihood(encoder_output, frames, text)


def spelled_segments(spelling: SpellingPass, encoder_output, frames: int, segments) -> list[Segment]:
    """The `(spelled)` lines for one window's free segments: each value found, timed from the
    first segment that shows spelling to the window's last."""
    text = " ".join(s.text.strip() for s in segments)
    if not segments or not spelling_kinds(text):
        return []
    values = spelling.best(encoder_output, frames, text)
    said = [s for s in segments if spelling_kinds(s.text)] or segments
    return [Segment(said[0].start, segments[-1].end, value, "spelled") for value in values]
