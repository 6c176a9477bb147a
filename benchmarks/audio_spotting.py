"""Request-time spotting, measured before it is built: is one known number said in a call?

At `find --phone`/`sar` time the subject's number is known. This measures the
test such a feature would run, on the same espeak-ng calls as
benchmarks/audio.py: Whisper base (pdsweep[whisper]) transcribes the call
freely, then scores, by forced decoding (CTranslate2's `align`), the same
transcript with its number-like words replaced by the asked-for number. The
number is "heard" when that costs less than THRESHOLD nats of log-likelihood
against the free transcript. Each call is asked for its own number (recall)
and for four others (false spots): three said in other calls (same drama
ranges, often only the last digits differ: the hard case) and one of another
range. Nothing here is in the product yet.

    python benchmarks/audio_spotting.py               # 3 voices x 2 speeds x 2 conditions
    python benchmarks/audio_spotting.py --seed 8      # other numbers
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from audio import SPEEDS, VOICES, _pcm16k, make_call, render  # noqa: E402
from connectors.media import packaged_whisper  # noqa: E402
from connectors.media.engines import WHISPER_PROMPT, FasterWhisperEngine  # noqa: E402
from detectors.spoken import REPEATS, _bare, _symbol  # noqa: E402

THRESHOLDS = (-2.0, -6.0, -10.0, -14.0)
CONDITIONS = ("8k-clean", "8k-noise")


def number_like(token: str) -> bool:
    return any(re.search(r"\d", p) or _bare(p) in REPEATS or _symbol(_bare(p)) or _bare(p) == "o"
               for p in token.split("-"))


def with_number(text: str, number: str) -> str | None:
    """The transcript with the span from its first to its last number-like word replaced."""
    tokens = text.split()
    at = [k for k, t in enumerate(tokens) if number_like(t)]
    if not at:
        return None
    first, last = at[0], at[-1]
    tail = tokens[last][len(tokens[last].rstrip(".,;:!?")):]
    return " ".join(tokens[:first] + [f"{number[:5]} {number[5:]}{tail}"] + tokens[last + 1:])


class Scorer:
    def __init__(self):
        from faster_whisper.tokenizer import Tokenizer

        self.engine = FasterWhisperEngine(None)
        model = self.engine.model
        self.tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="en")

    def free_text(self, audio: np.ndarray) -> str:
        segments, _ = self.engine.model.transcribe(audio, language="en", beam_size=1,
                                                   condition_on_previous_text=False, initial_prompt=WHISPER_PROMPT)
        return " ".join(s.text.strip() for s in segments)

    def encoded(self, audio: np.ndarray):
        from faster_whisper.audio import pad_or_trim

        features = self.engine.model.feature_extractor(audio)
        return self.engine.model.encode(pad_or_trim(features)), min(features.shape[-1], 3000)

    def log_likelihood(self, encoded, text: str) -> float:
        encoder_output, frames = encoded
        tokens = self.tokenizer.encode(" " + text.strip())
        result = self.engine.model.model.align(encoder_output, self.tokenizer.sot_sequence, [tokens], frames)[0]
        return float(np.sum(np.log(np.maximum(result.text_token_probs, 1e-12))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not packaged_whisper.available():
        sys.exit("needs pdsweep[whisper]")
    tmp = tempfile.mkdtemp(prefix="pdsweep-spot-bench-")
    try:
        calls = make_phone_calls(args.seed, tmp)
        scores, audio_s, cpu_s, checks = score(calls)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Spotting one known number (Whisper base, forced-decoding likelihood ratio); {len(calls)} calls, "
          f"{audio_s / 60:.1f} audio min, {audio_s / cpu_s:.2f}x real time per core for a free transcript "
          f"and {checks} numbers checked per call")
    print(f"{'threshold':>9} {'condition':10} {'recall':>7} {'false spots':>11}")
    for threshold in THRESHOLDS:
        for condition in CONDITIONS:
            own = [d for is_own, d, c in scores if is_own and c == condition]
            other = [d for is_own, d, c in scores if not is_own and c == condition]
            print(f"{threshold:9.1f} {condition:10} {sum(d >= threshold for d in own):3d}/{len(own):<3d} "
                  f"{sum(d >= threshold for d in other):5d}/{len(other):<5d}")


def make_phone_calls(seed: int, tmp: str):
    rng, calls = random.Random(seed), []
    for voice in (v for v in VOICES if v[0] == "espeak-ng"):     # the hard case; audio.py also has flite
        for speed in SPEEDS:
            said, _, expected = make_call("phone", rng)
            for condition in CONDITIONS:
                path = os.path.join(tmp, f"{voice[1]}-{speed}-{condition}.wav")
                render(said, voice, speed, condition, path)
                pcm = np.frombuffer(_pcm16k(path, tmp), "<i2").astype(np.float32) / 32768
                calls.append(("0" + expected.split("+44", 1)[1], pcm, condition))
    return calls


def score(calls):
    scorer, scores = Scorer(), []
    numbers = sorted({number for number, _, _ in calls})
    audio_s = cpu_s = 0.0
    for own, audio, condition in calls:
        started = time.process_time()
        text = scorer.free_text(audio)
        encoded = scorer.encoded(audio)
        free = scorer.log_likelihood(encoded, text)
        asked = [own] + [n for n in numbers if n != own][:3] + ["02079460123"]
        for number in asked:
            replaced = with_number(text, number)
            gap = scorer.log_likelihood(encoded, replaced) - free if replaced else float("-inf")
            scores.append((number == own, gap, condition))
        cpu_s += time.process_time() - started
        audio_s += len(audio) / 16000
    return scores, audio_s, cpu_s, len(asked)


if __name__ == "__main__":
    main()
