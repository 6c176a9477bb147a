"""Stronger engines, each with a model directory the user supplies (nothing is downloaded).

- `vosk`: a Vosk/Kaldi model directory (e.g. vosk-model-small-en-us), `pip install vosk`.
- `faster-whisper`: a CTranslate2 Whisper model directory, `pip install faster-whisper`.
- `whisper-cpp`: a ggml model file or its directory, `pip install pywhispercpp`.

Each returns the same timed segments as pocketsphinx; Whisper and Vosk write
digits and addresses themselves, which the spoken-form rules leave alone.
"""
from __future__ import annotations

import glob
import json
import os

from ..errors import UnsupportedError
from .speech import Segment

ENGINES = ("pocketsphinx", "vosk", "faster-whisper", "whisper-cpp")


def load_plugin(name: str, model_dir: str | None):
    if name not in _LOADERS:
        raise UnsupportedError(f"audio: unknown speech engine {name!r} (one of {', '.join(ENGINES)})")
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

    def transcribe(self, pcm16k: bytes) -> list[Segment]:
        import vosk

        recogniser = vosk.KaldiRecognizer(self.model, 16000)
        recogniser.SetWords(True)
        results = []
        for at in range(0, len(pcm16k), 32000):
            if recogniser.AcceptWaveform(pcm16k[at:at + 32000]):
                results.append(json.loads(recogniser.Result()))
        results.append(json.loads(recogniser.FinalResult()))
        return [_vosk_segment(r) for r in results if r.get("result")]


def _vosk_segment(result: dict) -> Segment:
    words = result["result"]
    return Segment(words[0]["start"], words[-1]["end"], " ".join(w["word"] for w in words))


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model_dir: str):
        from faster_whisper import WhisperModel

        self.model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=1)

    def transcribe(self, pcm16k: bytes) -> list[Segment]:
        import numpy as np

        audio = np.frombuffer(pcm16k, "<i2").astype(np.float32) / 32768
        segments, _ = self.model.transcribe(audio, language="en", vad_filter=False)
        return [Segment(s.start, s.end, s.text.strip()) for s in segments if s.text.strip()]


class WhisperCppEngine:
    name = "whisper-cpp"

    def __init__(self, model_dir: str):
        from pywhispercpp.model import Model

        found = sorted(glob.glob(os.path.join(model_dir, "*.bin")))
        path = model_dir if os.path.isfile(model_dir) else (found[0] if found else "")
        if not path:
            raise UnsupportedError("audio: no ggml *.bin model in the whisper-cpp model directory")
        self.model = Model(path, n_threads=1, print_progress=False, print_realtime=False)

    def transcribe(self, pcm16k: bytes) -> list[Segment]:
        import numpy as np

        audio = np.frombuffer(pcm16k, "<i2").astype(np.float32) / 32768
        # whisper.cpp reports times in centiseconds
        return [Segment(s.t0 / 100, s.t1 / 100, s.text.strip())
                for s in self.model.transcribe(audio) if s.text.strip()]


_LOADERS = {"vosk": VoskEngine, "faster-whisper": FasterWhisperEngine, "whisper-cpp": WhisperCppEngine}
_PACKAGES = {"vosk": "vosk", "faster-whisper": "faster-whisper", "whisper-cpp": "pywhispercpp"}
