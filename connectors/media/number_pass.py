"""A second Whisper pass over a window whose transcript holds a number: digits and digit words only.

Whisper base writes what espeak-ng says as "nine six oh" as "I'm sick" and "oh" as "Nero":
the acoustic evidence is there, the language model pulls it to words. Where a window's free
transcript holds number-like words, the same window (its encoder output, kept from the free
pass: no second encode) is decoded again with every token suppressed but digits, digit words
("oh", "double", ...) and pauses, after the window's own text up to the number (and, because
the word before a number is often misheard too, "Macon" for "back on", after one and two
words less). Each reading, put back into the transcript, is scored by forced alignment
(CTranslate2 `align`) and the most likely one that is a UK number's length (0 and ten more
digits) is kept. A reading one digit short (Whisper hears "oh oh" as one "oh") is tried with
each of its digits said twice.

Most wrong readings drop a digit ("oh two oh" read "O2O" -> "02"; "nine six oh oh" -> "960"),
while the right number, spelt out word by word after the same prefix, is the likeliest text
by alignment on nearly every missed call. So where a reading holds most of a number, the window
is also decoded in digit words only, with no way to stop, for exactly 11 words (a beam of 4):
its hypotheses are numbers of UK length to score with the rest. benchmarks/audio.py measures
recall, false numbers and speed.

Where the number starts is the window's run of number-like words with the most digits
(`number_span`), not its first number-like word: Whisper often writes "Hello" as "Oh", which
put every reading's start at the head of the window. Every other run holding most of a UK number
(OTHER_NUMBER_DIGITS) is read the same way, after the window's text up to it (`number_spans`):
callers give a mobile and an office number in one breath, and one number per 30 s window lost
the second (`benchmarks/audio.py --kind two-phones`). Other readings scored nearly as likely as a
number's winner are kept as possible readings of it (possible.py).
"""
from __future__ import annotations

import re

from .constrained import MAX_DECODER_TOKENS, ConstrainedDecoder
from .possible import NumberReading, possible_readings
from .speech import Segment

# Words a number is said in, and the pauses Whisper writes between its groups.
DIGIT_WORDS = {"oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
REPEATS = {"double": 2, "treble": 3, "triple": 3}
_PAUSES = ",.-"
_UK_NUMBER = re.compile(r"0[1-9]\d{9}")
_SHORT_BY_ONE = re.compile(r"0[1-9]\d{8}")
_GLUED_OH = re.compile(r"[o\d]*\d[o\d]*")
_SPOKEN = "oh one two three four five six seven eight nine".split()
BACKOFF_WORDS = 2          # also start the number one and two words before the first number-like word
# Beam and readings per start. On `benchmarks/audio.py --kind phone`, 4 read one number fewer
# at 2.19x real time against 2.72x; 1 read the same numbers with 353 false/h against 325.
BEAM = 2
# Readings forced to 11 digit words after the prefix (only where some reading holds WHOLE_MIN_DIGITS).
# On benchmarks/audio.py's 48 clean 8 kHz phone calls: beam 4 found 38 numbers against 31 without,
# beam 2 35, beam 6 38; without "double"/"treble" among its words it read "88888888" for "double eight".
WHOLE_WORDS = 11
WHOLE_BEAM = 4
# Whole words only: with "o", "nought" and "triple" as well, 35 numbers against 38.
WHOLE_VOCABULARY = "oh zero one two three four five six seven eight nine double treble".split()
WHOLE_MIN_DIGITS = 8       # a UK number with up to three digits lost: "order one two three" gets none
MAX_NUMBER_TOKENS = 30     # a number said digit by digit with pauses, in Whisper tokens
MIN_NUMBER_WORDS = 3       # "that one" does not start a second pass; "oh one one" does
MAX_GAP_WORDS = 3          # misheard words inside one number: "O700000, I know, do 5, 2"
# A window's other runs of number words are read as numbers of their own from this many digits (a
# UK number with up to three digits lost, as WHOLE_MIN_DIGITS): "flat 2, 14 Hill Road" starts none.
OTHER_NUMBER_DIGITS = 8


def number_like(token: str) -> bool:
    """A word of a number as Whisper writes one: digits, a digit word, "double", "O-1134"."""
    return any(re.search(r"\d", part) or _bare(part) in DIGIT_WORDS or _bare(part) in REPEATS
               for part in token.split("-"))


def worth_a_pass(text: str) -> bool:
    """Enough of a number in the window's text to decode it again."""
    said = [t for t in text.split() if number_like(t)]
    return len(said) >= MIN_NUMBER_WORDS or any(len(re.sub(r"\D", "", t)) >= 3 for t in said)


def number_span(tokens: list[str]) -> tuple[int, int] | None:
    """(first, last) index of the window's number: its run of number-like words holding the most
    digits, where a run goes on over up to MAX_GAP_WORDS other words ("O700000, I know, do 5, 2")
    and no further. The window's first number-like word alone misplaced it: "Oh, you can call me
    back on 020, 7, ..." (Whisper's "Oh" for "Hello") started the number at "Oh", so every
    reading began there."""
    runs = _number_runs(tokens)
    if not runs:
        return None
    first, last, _ = max(runs, key=lambda run: run[2])     # the first of equal runs
    return first, last


def number_spans(tokens: list[str]) -> list[tuple[int, int]]:
    """Every number of the window, in order: the run with the most digits (number_span), and each
    other run holding OTHER_NUMBER_DIGITS or more ("my mobile is 07700 900123, or the office on 0113
    496 0000"). One number per 30 s window lost the second of two said close together."""
    runs = _number_runs(tokens)
    best = number_span(tokens)
    return [(first, last) for first, last, digits in runs
            if (first, last) == best or digits >= OTHER_NUMBER_DIGITS]


def _number_runs(tokens: list[str]) -> list[list[int]]:
    """[first, last, digits] of each run of number-like words, MAX_GAP_WORDS other words allowed inside."""
    runs, gap = [], MAX_GAP_WORDS + 1
    for k, token in enumerate(tokens):
        if not number_like(token):
            gap += 1
            continue
        if gap > MAX_GAP_WORDS:
            runs.append([k, k, 0])
        runs[-1][1:] = [k, runs[-1][2] + max(1, len(re.sub(r"\D", "", token)))]
        gap = 0
    return runs


def digits_of(said: str) -> str:
    """The digits of a constrained reading: "oh double seven, 90, 018." -> "07790018"; "oh" written
    as the letter O glued to digits counts as 0 ("O2O" -> "020": the digit tokens include "O", and
    a reading "O2O, 7-9-4-6, O7-11" of 020 7946 0711 was read as "794611" before)."""
    out, repeat = [], 1
    for word in re.sub(f"[{re.escape(_PAUSES)}]", " ", said).lower().split():
        if word in REPEATS:
            repeat = REPEATS[word]
            continue
        if _GLUED_OH.fullmatch(word):
            word = word.replace("o", "0")
        digits = DIGIT_WORDS.get(word, word if word.isdigit() else "")
        if digits:
            out.append(digits[0] * repeat + digits[1:])
        repeat = 1
    return "".join(out)


def _bare(word: str) -> str:
    return word.lower().strip(_PAUSES + ";:!?'\"")


class NumberPass:
    """Built once per engine: the tokens a number may be written in, the rest suppressed."""

    def __init__(self, whisper_model, prompt: str):
        self.decoder = ConstrainedDecoder(whisper_model)
        self.tokenizer = self.decoder.tokenizer
        allowed = {i for i in range(self.tokenizer.eot) if _number_token(self.tokenizer.decode([i]))}
        allowed.add(self.tokenizer.eot)
        vocabulary = whisper_model.hf_tokenizer.get_vocab_size()
        self.suppress = [i for i in range(vocabulary) if i not in allowed]
        words = {ids[0] for w in WHOLE_VOCABULARY for form in (f" {w}", f" {w.capitalize()}")
                 if len(ids := self.tokenizer.encode(form)) == 1}
        self.suppress_but_words = [i for i in range(vocabulary) if i not in words]    # the end of text too
        self.prompt_tokens = self.tokenizer.encode(" " + prompt.strip())

    def best_numbers(self, encoder_output, frames: int, text: str) -> list[NumberReading]:
        """Each number said in this window (number_spans): its most likely UK-length reading, and the
        readings of other UK numbers scored within POSSIBLE_MARGIN of it (`possible`). A number read
        twice (a reading running on into the next) comes once, as a winner where it won anywhere."""
        if not worth_a_pass(text):
            return []
        tokens, winners, possible = text.split(), {}, {}
        for first, last in number_spans(tokens):
            ranked = self._ranked_in(encoder_output, frames, tokens, first, last)
            if ranked:
                winners.setdefault(ranked[0][1], NumberReading(ranked[0][1], first, last))
                for digits in possible_readings(ranked):
                    possible.setdefault(digits, NumberReading(digits, first, last, possible=True))
        return [*winners.values(), *(r for d, r in possible.items() if d not in winners)]

    def _ranked_in(self, encoder_output, frames: int, tokens: list[str], first: int, last: int) -> list[tuple]:
        """(log-likelihood, digits, said in words) of each distinct UK-length reading of the number said
        at tokens[first:last + 1] in each written form (all words, or with numerals), likeliest first,
        each at its best score; empty where none is whole."""
        suffix = " ".join(tokens[last + 1:])
        scored = []            # (log-likelihood of the whole text, digits, prefix, the number as written)
        for prefix, readings in self._readings_by_prefix(encoder_output, tokens, first).items():
            for said in readings:
                for digits in _candidates(digits_of(said)):
                    written = _spoken(digits) if digits != digits_of(said) else said
                    whole = f"{prefix} {written} {suffix}"
                    scored.append((self._likelihood(encoder_output, frames, whole), digits, prefix, written))
        scored.sort(reverse=True)
        valid = [s for s in scored if _UK_NUMBER.fullmatch(s[1])]
        if not valid:
            valid = sorted(self._one_digit_longer(encoder_output, frames, scored, suffix), reverse=True)
        best = {}
        for likelihood, digits, _, written in valid:
            best.setdefault((digits, not re.search(r"\d", written)), likelihood)
        return sorted(((score, *form) for form, score in best.items()), reverse=True)

    def _readings_by_prefix(self, encoder_output, tokens: list[str], first: int) -> dict[str, list[str]]:
        """Constrained readings after the text up to the number and one and two words less; and where
        any holds most of a number, readings of exactly 11 digit words after the whole prefix."""
        cuts = range(first, max(first - BACKOFF_WORDS, 0) - 1, -1)
        by_prefix = {" ".join(tokens[:cut]): [] for cut in cuts}
        for prefix, readings in by_prefix.items():
            readings += self._readings(encoder_output, prefix)
        said = [" ".join(tokens[first:]), *(r for readings in by_prefix.values() for r in readings)]
        if _most_digits(said) >= WHOLE_MIN_DIGITS:
            whole = " ".join(tokens[:first])
            by_prefix[whole] += self._whole_readings(encoder_output, whole)
        return by_prefix

    def _one_digit_longer(self, encoder_output, frames, scored, suffix):
        """The best reading one digit short, with each of its digits said twice in turn, each written as
        the reading was (with_digit_repeated). Only where no reading is whole: also where the likeliest
        short reading outscores every whole one found one more number on benchmarks/audio.py's clean
        8 kHz calls and lost another (a short reading's repeat beat the true whole one by 0.8 nats)."""
        short = [s for s in scored if _SHORT_BY_ONE.fullmatch(s[1])]
        if not short:
            return []
        _, digits, prefix, written = short[0]
        # A digit said twice heard once ("nine oh oh" as "nine oh"). Adding an "oh" anywhere as well
        # lost a number to a likelier wrong one on benchmarks/audio.py's calls.
        longer = {}
        for k in range(len(digits)):
            longer.setdefault(digits[:k + 1] + digits[k:], with_digit_repeated(written, k))
        return [(self._likelihood(encoder_output, frames, f"{prefix} {text} {suffix}"), d, prefix, text)
                for d, text in sorted(longer.items()) if _UK_NUMBER.fullmatch(d)]

    def _readings(self, encoder_output, prefix: str) -> list[str]:
        # The prefix's tokens come back at the head of each reading, and CTranslate2's max_length
        # reaches less far than len(prompt) + 30 suggests: that cut a 66-token prefix short (a number
        # said after 25 s of speech got no reading), so the prefix's length is added again.
        def longest(prompt, skip):
            return min(len(prompt) + skip + MAX_NUMBER_TOKENS, MAX_DECODER_TOKENS)

        return self._decode(encoder_output, prefix, BEAM, self.suppress, longest)

    def _whole_readings(self, encoder_output, prefix: str) -> list[str]:
        """Readings of exactly WHOLE_WORDS digit words: the end of text is suppressed, so the decode
        runs to max_length, which counts the prompt but for its first token (measured)."""
        return self._decode(encoder_output, prefix, WHOLE_BEAM, self.suppress_but_words,
                            lambda prompt, skip: min(len(prompt) - 1 + WHOLE_WORDS, MAX_DECODER_TOKENS))

    def _decode(self, encoder_output, prefix: str, beam: int, suppress: list[int], longest) -> list[str]:
        return self.decoder.readings(encoder_output, self.prompt_tokens, prefix, beam, suppress, longest)

    def _likelihood(self, encoder_output, frames: int, text: str) -> float:
        return self.decoder.likelihood(encoder_output, frames, text)


def number_segments(numbers: NumberPass, encoder_output, frames: int, segments) -> list[Segment]:
    """The `(spelled)` lines for one window's free segments, each number found timed over the segments
    that hold its words (spelling_pass.spelled_segments does the same for spelling); a possible
    reading gets a `(possible)` line over the same time."""
    text = " ".join(s.text.strip() for s in segments)
    found = numbers.best_numbers(encoder_output, frames, text)
    owner = [s for s in segments for _ in s.text.split()]      # the segment of each word of `text`
    return [Segment(owner[r.first].start, owner[r.last].end, r.digits, "possible" if r.possible else "spelled")
            for r in found]


def with_digit_repeated(written: str, k: int) -> str:
    """The reading with its k-th digit said once more, the rest as it was written: "oh double seven
    double oh nine oh two" with its 8th digit repeated is "oh double seven double oh nine oh oh two".
    Re-spelling the whole number digit by digit instead ("oh seven seven oh oh nine oh oh two") drops
    the "double"s the caller said, which alignment scores as a worse fit than readings keeping them:
    on a clean 8 kHz call of benchmarks/audio.py the true number scored -38 nats spelt out and -14
    written as the reading was, against -17 for the wrong whole number that call's pass chose."""
    digits = digits_of(written)
    wanted = digits[:k + 1] + digits[k:]
    at, repeat = 0, 1
    for piece in re.finditer(r"[^\s,.\-]+", written):
        word = piece.group()
        if word.lower() in REPEATS:
            repeat = REPEATS[word.lower()]
            continue
        said = len(digits_of(word)) + (repeat - 1 if digits_of(word) else 0)
        repeat = 1
        if at <= k < at + said:
            if _GLUED_OH.fullmatch(word.lower()) or word.isdigit():     # "7946", "O2O": its own character again
                cut = piece.start() + max(k - at - (said - len(word)), 0)
                longer = written[:cut + 1] + written[cut:]
            else:                                                       # "oh", "nine": the word again
                longer = f"{written[:piece.end()]} {word}{written[piece.end():]}"
            return longer if digits_of(longer) == wanted else _spoken(wanted)
        at += said
    return _spoken(wanted)


def _number_token(text: str) -> bool:
    """A token a number can be written with: up to three digits, a digit word, "double", a pause."""
    bare = text.strip(" ")
    return (bool(re.fullmatch(r"\d{1,3}", bare)) or bare.lower() in DIGIT_WORDS or bare.lower() in REPEATS
            or bare in {",", ".", "-"})


def _most_digits(readings: list[str]) -> int:
    return max((len(digits_of(r)) for r in readings), default=0)


def _candidates(digits: str) -> list[str]:
    """The reading, and where it runs on past a UK number's 11 digits, its first 11 as well: with
    only digits allowed, the words after the number ("thanks") come out as more digits. (Letting
    the word after the number end it instead lost numbers whose next word was a misheard digit.)"""
    if len(digits) > 11 and digits.startswith("0"):
        return [digits, digits[:11]]
    return [digits] if digits else []


def _spoken(digits: str) -> str:
    return " ".join(_SPOKEN[int(d)] for d in digits)
