"""The prefilter on text that is not only ASCII (issue 16): each non-ASCII character is handed to Hyperscan
as a byte the patterns read at least as permissively as Python reads the character
(detectors/prefilter_view.py), so every Python match still ends where the compiled scan says one can,
and the findings are those of a search of every window."""

import random
import re
import sys
import unicodedata

import pytest
from faker import Faker

from detectors import prefilter, prefilter_view
from detectors.detector import Detector
from detectors.prefilter_view import CASE_FOLDS, SAMPLES, UNSURE, canonical
from detectors.recognizers import build_recognisers
from detectors.recognizers.uk_nhs_recognizer import UkNhsNumberRecognizer
from detectors import DetectorSettings

needs_hyperscan = pytest.mark.skipif(prefilter.hyperscan is None,
                                     reason="hyperscan is not installed (no wheel for this platform)")

# What real mail holds beyond ASCII, and characters Python's `re` reads unlike Hyperscan's ASCII rules:
# Unicode digits (\d to Python), the IGNORECASE folds onto ASCII letters, \x1c-\x1f, odd spaces.
UNICODE = ("\u2019\u2018\u201c\u201d\u2013\u2014\u2026\u00a3\u20ac\u00a0\u00a0\u202f\u2009\u3000\u2028\u0085"
           "\u00e9\u00eb\u00e1\u0141\u0142\u00f8\u00df\u00c9\u00c5\u03b6\u0416\u6881\u00b2\u00bd"
           "\u0663\u0660\uff15\u0966\u0130\u0131\u017f\u212a\x1c\x1d\x1e\x1f\U0001f642\u00ad\u200b\u0301")
NEAR = "0123456789" * 4 + " -./:()+#@=\n" * 2 + "ABCDEHJKLNPRSTWXYZabdenostikx_" + UNICODE * 2
FORMS = ["07700 900123", "+44 (0)20 7946 0123", "HU7 4QT", "QQ 12 34 56 C", "943 476 5919", "192.168.0.1",
         "GB82 WEST 1234 5698 7654 32", "4111 1111 1111 1111", "2001:db8::1", "MORGA753116SM9IJ",
         "1-800-555-0199"]


def _assigned(start: int = 0x80) -> str:
    """Every assigned character from `start` on. Unassigned and private-use code points have no
    properties for re (not \\d \\w \\s, no case): they are OTHER, as the tests below check on a sample."""
    return "".join(ch for ch in map(chr, range(start, sys.maxunicode + 1))
                   if unicodedata.category(ch) not in ("Cn", "Co", "Cs"))


def _prefiltered_recognisers():
    recognisers = [r for r in build_recognisers(frozenset(), frozenset()) if hasattr(r, "prefilter_patterns")]
    for recogniser in recognisers:
        recogniser.PREFILTER = True
    return recognisers


def _random_texts(seed: int, count: int) -> list:
    """Random runs of identifier and non-ASCII characters, and real forms with characters swapped
    for non-ASCII ones (a no-break space, a Unicode digit, ı for i...)."""
    rnd = random.Random(seed)
    texts = []
    for _ in range(count):
        noise = "".join(rnd.choice(NEAR) for _ in range(rnd.randint(5, 150)))
        form = list(rnd.choice(FORMS))
        for _ in range(rnd.randint(0, 2)):
            form[rnd.randrange(len(form))] = rnd.choice(UNICODE + " ")
        before = rnd.choice(["", " ", "\u00a0", "\n"])
        texts.append(f"{noise}{before}{''.join(form)}{rnd.choice(UNICODE)}{noise[::-1]}")
    return texts


def _unicode_mail(seed: int, count: int) -> list:
    """Mail as clients write it: accented and non-Latin names, typographic punctuation, no-break spaces."""
    fakes = [Faker(locale) for locale in ("en_GB", "fr_FR", "pl_PL", "ga_IE", "tr_TR", "el_GR", "zh_CN")]
    for n, fake in enumerate(fakes):
        fake.seed_instance(seed + n)
    rnd, texts = random.Random(seed), []
    for _ in range(count):
        fake, uk = rnd.choice(fakes), fakes[0]
        text = (f"Hi {fake.first_name()},\n\n{uk.paragraph()} It\u2019s \u00a3{rnd.randint(5, 9999):,} "
                f"\u2013 \u201cdue\u201d\u2026 \U0001f642\n\nKind regards,\n{fake.name()}\n"
                f"T:\u00a0{uk.phone_number()}\n{uk.street_address()},\u00a0{uk.postcode()}\n"
                f"IBAN\u00a0{uk.iban()} card {uk.credit_card_number()}")
        texts.append(text.replace(" ", "\u00a0") if rnd.random() < 0.3 else text)
    return texts


@needs_hyperscan
def test_every_python_match_on_unicode_text_ends_where_the_scan_says_one_can():
    """The superset, pattern by pattern, on random unicode text: no window is searched whole for it."""
    recognisers = _prefiltered_recognisers()
    scanner = prefilter.Prefilter(recognisers)
    checked = whole = 0
    for text in _random_texts(seed=21, count=600) + _unicode_mail(seed=4, count=60):
        for recogniser, where in zip(recognisers, scanner.scan(text)):
            for pattern, (regex, flags) in enumerate(recogniser.prefilter_patterns()):
                for match in re.finditer(regex, text, flags):
                    if match.end() == match.start():
                        continue
                    if where._unsure_data is not None:   # searched whole (no character is, today)
                        whole += 1
                        continue
                    assert match.end() in where._ends[pattern], (type(recogniser).__name__, regex, match)
                    checked += 1
    assert checked > 600 and whole == 0


@needs_hyperscan
def test_unicode_text_gives_the_same_findings_and_is_not_searched_whole():
    with_prefilter = Detector(DetectorSettings(use_ner=False))
    without = Detector(DetectorSettings(use_ner=False))
    without.prefilter = None
    texts = _random_texts(seed=8, count=300) + _unicode_mail(seed=9, count=60)
    found = 0
    for text in texts:
        plain = without._pattern_findings(text)
        assert with_prefilter._pattern_findings(text) == plain, text
        found += len(plain)
    assert found > 300
    # Before, a window holding any of these was searched whole; now none is.
    views = [c._unsure_data for text in _unicode_mail(seed=9, count=20)
             for c in with_prefilter.prefilter.scan(text) if c]
    assert views and not any(views)


def test_the_case_folds_are_every_character_ignorecase_matches_with_ascii():
    everything = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)   # all
    folds = set(re.findall(r"[\x00-\x7f]", everything, re.IGNORECASE))
    folds |= set(re.findall("|".join(chr(c) for c in range(0x41, 0x5B)), everything, re.IGNORECASE))
    assert folds == set(CASE_FOLDS)


def test_a_back_reference_sees_the_case_folds_as_the_ascii_letters_they_equal():
    """re takes İ as equal to i and I, and K to k and K, in a back-reference under IGNORECASE (ı and ſ
    only themselves): their bytes must be those letters for Hyperscan, checked over all of Unicode."""
    everything = [ch for ch in _assigned(0) if ch != "\n"]
    patterns = tuple((regex, int(flags)) for regex, flags in UkNhsNumberRecognizer().prefilter_patterns())
    table = prefilter_view.view_table(patterns)

    def byte(ch):
        return chr(table[canonical(ch)[0]])

    for fold in CASE_FOLDS:
        lines = "\n".join(fold + other for other in everything)
        equal = {m.group()[1] for m in re.finditer(r"(?m)^(.)\1$", lines, re.IGNORECASE)}
        assert fold in equal and all(byte(other).lower() == byte(fold).lower() for other in equal), fold
    assert byte("\u0130") == "i" and byte("\u212a") == "k"


def test_a_class_reads_like_its_sample_at_every_matcher_of_the_recognisers():
    """What the byte choice rests on: every pattern matcher answers for each non-ASCII character what it
    answers for the sample of the character's class (on every assigned character, and a sample of the rest)."""
    rest = "".join(chr(c) for c in range(0x378, sys.maxunicode + 1, 97) if unicodedata.category(chr(c)) in ("Cn", "Co"))
    assert set(canonical(rest)) == {prefilter_view.OTHER}
    everything = _assigned() + rest
    view = canonical(everything)
    by_class = {}
    for code in set(view):
        by_class[code] = "".join(ch for ch, b in zip(everything, view) if b == code)
    assert set(by_class) == {prefilter_view.DIGIT, prefilter_view.WORD, prefilter_view.SPACE,
                             prefilter_view.OTHER, *CASE_FOLDS.values()}
    samples = {**SAMPLES, prefilter_view.OTHER: "\u2019"}
    matchers = {}
    for recogniser in _prefiltered_recognisers():
        for site in prefilter_view._sites(tuple(recogniser.prefilter_patterns())):
            if site[0] == "character":
                matchers[site[3]] = site[1]
    assert len(matchers) > 20
    for matcher in matchers.values():
        for code, chars in by_class.items():
            expected = bool(matcher.fullmatch(samples[code]))
            found = len(matcher.findall(chars))
            assert found == (len(chars) if expected else 0), (matcher, hex(code))


def test_a_class_no_byte_can_stand_for_stays_unsure():
    """A byte read at least as permissively everywhere may not exist: the class stays UNSURE."""
    # [^\W\d_] (letters) takes é; the only ASCII bytes it takes are letters, which [^a-z] refuses.
    table = prefilter_view.view_table(((r"[^\W\d_]", 0), (r"[^a-zA-Z]x", 0)))
    assert table[prefilter_view.WORD] == UNSURE
    assert table[prefilter_view.SPACE] != UNSURE and table[prefilter_view.OTHER] == prefilter_view.OTHER
    # Inside a negative look-behind the byte may be read less permissively, never more.
    table = prefilter_view.view_table(((r"(?<![\w+])\d", 0),))
    assert chr(table[prefilter_view.WORD]) in "_" and re.match(r"\s", chr(table[prefilter_view.SPACE]))
    # An opcode the walk does not follow: every class UNSURE (the window is searched whole, as before).
    assert set(prefilter_view.view_table(((r"(a)?(?(1)b|c)", 0),))[c] for c in SAMPLES) == {UNSURE}
