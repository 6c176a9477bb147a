"""Speech engines behind one interface: 16 kHz mono s16le in, timed segments of words out.

The default engine is pocketsphinx: its PyPI wheel ships an English acoustic
model, a language model and a dictionary, so `pip install` alone gives
offline transcription. Measured on synthetic telephone calls (benchmarks/
audio.py), its open-vocabulary decode gets few digits right, so each speech
segment is decoded three times: with the language model (the words, for
names and context), with a grammar of the words identifiers are spoken in
(digits, "oh", "double", "treble", the NATO alphabet, "at", "dot") and with
a digits-only grammar (its N_BEST readings), each on its own line. A
stronger engine with a user-supplied model directory plugs in through
`engines.py`.
"""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Protocol

BYTES_PER_SECOND = 32000          # 16 kHz, 16-bit mono
N_BEST = 1                        # digit readings kept per segment (3: no more numbers, more false ones)
_NBEST_SCAN = 60
_MAX_SEGMENT_S = 20.0             # a longer stretch of speech is cut (decoder memory, excerpt size)

DIGITS = ("oh zero one two three four five six seven eight nine double treble triple hundred")
NATO = ("alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike "
        "november oscar papa quebec romeo sierra tango uniform victor whiskey whisky xray yankee zulu")
SPELLING_WORDS = "at dot underscore dash hyphen"


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    text: str
    # "words" (open vocabulary), "spelled" (the identifier grammar, a number pass's reading) or
    # "possible" (a number nearly as likely as the spelled one: number_pass.POSSIBLE_MARGIN)
    kind: str = "words"


def no_progress() -> None:
    """What an engine calls between windows when nobody is timing it."""


class SpeechEngine(Protocol):
    """`progress` is called after each window or stretch of speech: the scanner's per-document time
    limit is re-armed by it, so an hour's recording is not cut off as one slow step (a window is)."""
    name: str

    def transcribe(self, pcm16k: bytes, progress: Callable[[], None] = no_progress) -> list[Segment]:
        ...


def identifier_grammar(dictionary_words) -> str:
    """JSGF: any run of the words identifiers are spoken in (those the dictionary knows)."""
    # Single letters stay out: 26 one-phone words in a loop made the search ~400x slower.
    words = [w for w in f"{DIGITS} {NATO} {SPELLING_WORDS}".split() if w in dictionary_words]
    header = "#JSGF V1.0;\ngrammar identifiers;\npublic <said> = <word>+;\n"
    return header + "<word> = " + " | ".join(words) + ";\n"


class PocketsphinxEngine:
    name = "pocketsphinx"

    def __init__(self, model_dir: str | None = None):
        from pocketsphinx import Decoder, Segmenter, get_model_path

        kwargs = dict(samprate=16000, loglevel="FATAL")
        if model_dir:          # a user's own model: <dir>/acoustic-model, <dir>/*.lm.bin, <dir>/*.dict
            kwargs.update(_user_model(model_dir))
        # Narrower beams than the defaults: 3-4x faster (the default beams read no more digits right
        # on the benchmark's calls).
        kwargs.update(beam=1e-40, wbeam=1e-24, maxhmmpf=3000, maxwpf=5)
        self.words = Decoder(**kwargs)
        known = {w for w in f"{DIGITS} {NATO} {SPELLING_WORDS}".split() if self.words.lookup_word(w)}
        self.spelled = _grammar_decoder(Decoder(**kwargs), identifier_grammar(known))
        self.digits = _grammar_decoder(Decoder(**kwargs), identifier_grammar(set(DIGITS.split())))
        # Shorter pauses end a segment than pocketsphinx's default: a number said after a
        # sentence then stands in its own segment, which the grammars decode far better.
        self._segmenter = lambda: Segmenter(window=0.15, ratio=0.75, sample_rate=16000)
        self.model = model_dir or get_model_path()

    def transcribe(self, pcm16k: bytes, progress: Callable[[], None] = no_progress) -> list[Segment]:
        out = []
        for start, end, pcm in speech_regions(self._segmenter(), pcm16k):
            words = _decode(self.words, pcm)
            if words:
                out.append(Segment(start, end, words))
            spelled = _decode(self.spelled, pcm)
            if spelled:
                out.append(Segment(start, end, spelled, "spelled"))
            out.extend(Segment(start, end, digits, "spelled") for digits in _digit_readings(self.digits, pcm))
            progress()
        return out


def speech_regions(segmenter, pcm16k: bytes):
    """(start_s, end_s, pcm) of each stretch of speech, none longer than _MAX_SEGMENT_S."""
    for seg in segmenter.segment(io.BytesIO(pcm16k)):
        step = int(_MAX_SEGMENT_S * BYTES_PER_SECOND)
        for at in range(0, len(seg.pcm), step):
            piece = seg.pcm[at:at + step]
            start = seg.start_time + at / BYTES_PER_SECOND
            yield start, start + len(piece) / BYTES_PER_SECOND, piece


def _grammar_decoder(decoder, grammar: str):
    decoder.add_jsgf_string("grammar", grammar)
    decoder.activate_search("grammar")
    return decoder


def _digit_readings(decoder, pcm: bytes) -> list[str]:
    """The N_BEST most likely distinct digit strings. One digit misheard is common and the right
    reading is sometimes second or third, but on benchmarks/audio.py's calls three readings
    recovered no more numbers and tripled the false ones, so one is kept by default."""
    best = _decode(decoder, pcm)
    if len(best.split()) < 3:
        return []
    readings = [best]
    for hyp in itertools.islice(decoder.nbest(), _NBEST_SCAN):
        words = " ".join(w for w in hyp.hypstr.split() if not w.startswith(("<", "[")))
        if words and words not in readings:
            readings.append(words)
        if len(readings) == N_BEST:
            break
    return readings


def _decode(decoder, pcm: bytes) -> str:
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    words = [w for w in (hyp.hypstr.split() if hyp else []) if not w.startswith(("<", "["))]
    return " ".join(w.split("(")[0] for w in words)


def _user_model(model_dir: str) -> dict:
    import glob
    import os

    found = dict(hmm=os.path.join(model_dir, "acoustic-model"))
    for key, pattern in (("lm", "*.lm.bin"), ("dict", "*.dict")):
        matches = sorted(glob.glob(os.path.join(model_dir, pattern)))
        if matches:
            found[key] = matches[0]
    return found


def resolve_engine(name: str, model_dir: str | None) -> str:
    """The engine `auto` stands for here, without loading it (the scan's fingerprint names it)."""
    if name != "auto":
        return name
    from . import packaged_whisper

    return "faster-whisper" if model_dir is None and packaged_whisper.available() else "pocketsphinx"


def load_engine(name: str, model_dir: str | None) -> SpeechEngine:
    """One engine per worker process and setting: models take seconds to load.

    `auto`: Whisper base where its PyPI packages are installed (`pdsweep[whisper]`; far
    more digits right, benchmarks/audio.py), else pocketsphinx, which pdsweep always has.
    The engine is cached under the name `auto` resolves to, not under `auto`: an engine loaded
    while Whisper was unavailable must not stand for `auto` once it is (a test that hid Whisper
    made a later test in the same process transcribe with pocketsphinx)."""
    return _loaded(resolve_engine(name, model_dir), model_dir)


@lru_cache(maxsize=2)
def _loaded(name: str, model_dir: str | None) -> SpeechEngine:
    if name == "pocketsphinx":
        return PocketsphinxEngine(model_dir)
    from .engines import load_plugin

    return load_plugin(name, model_dir)
