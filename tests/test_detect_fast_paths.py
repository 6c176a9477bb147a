"""The detectors' shortcuts (issue 16) give exactly what the plain readings they replace give.

Each is checked against the plain reading, written out here, on generated text full of the
cases it skips: quote prefixes at every depth, blank and white-space lines, reply headers, and
windows with and without context words and sentence ends.
"""

import random
from bisect import bisect_right

import pytest

from detectors import context, quoted
from detectors.model import Finding
from detectors.recognizers import ON_BY_DEFAULT

PIECES = ["> ", ">", ">> ", "> > ", "\n", "\n\n", "\n\n\n", " \n", ">\n", "> \n", "\t\n", "\xa0\n", "\r\n",
          "On Tue, 9 Jan 2024, Jane Smith wrote:\n", "On Tue, 9 Jan 2024, Jane Smith <\n", "jane@x.com> wrote:\n",
          "From: Jane <j@x.com>\n", "Sent: Monday\n", "To: Bob\n", "Subject: hi\n", "Cc: Ann\n",
          "-----Original Message-----\n", "---------- Forwarded message ---------\n", "hello there\n",
          "Jane Smith 07700 900123\n", "text", ":", "--", "wrote:"]


def _texts(count: int, seed: int):
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def _plain_split(text: str):
    """quoted.split as it read before its shortcuts: every line a Line, every run line by line."""
    if ":" not in text:
        return None
    found, at = [], 0
    for raw in text.split("\n"):
        if at >= len(text):
            break
        end = min(at + len(raw) + 1, len(text))
        depth, kept = 0, at
        if raw.startswith(">"):
            prefix = quoted._PREFIX.match(raw)
            depth, kept = prefix.group().count(">"), at + prefix.end()
        found.append(quoted.Line(at, kept, end, depth, text[kept:end]))
        at = end
    heads = quoted._headers(found)
    if not any(heads):
        return None
    segments, run, blanks = [], [], 0
    for i, line in enumerate(found):
        if line.blank:
            blanks += 1
            if run:
                run.append(i)
            continue
        first = run[0] if run else i
        if run and (blanks >= 2 or line.depth != found[first].depth or heads[i] != heads[first]):
            segments.append(_plain_segment(text, [found[k] for k in run]))
            run = []
        blanks = 0
        run.append(i)
    if run:
        segments.append(_plain_segment(text, [found[k] for k in run]))
    return segments


def _plain_segment(text: str, run):
    while run[-1].blank:
        run.pop()
    starts, origins, ends, at = [], [], [], 0
    for line in run:
        if ends and line.kept == ends[-1]:
            ends[-1] = line.end
        else:
            starts.append(at)
            origins.append(line.kept)
            ends.append(line.end)
        at += line.end - line.kept
    pieces = [text[kept:end] for kept, end in zip(origins, ends)]
    return quoted.Segment("".join(pieces), tuple(starts), tuple(origins))


def test_split_cuts_as_the_plain_reading_does():
    texts = _texts(4000, 16)
    cut = 0
    for text in texts:
        expected = _plain_split(text)
        assert quoted.split(text) == expected, repr(text)
        cut += expected is not None
    assert cut > 1000   # the generated texts are mail, mostly


def test_findings_move_back_as_each_offset_maps():
    for text in _texts(1500, 17):
        for segment in quoted.split(text) or ():
            size = len(segment.text)
            found = [Finding("X", s, e, segment.text[s:e], 0.5, "r")
                     for s in range(size) for e in (s, s + 1, min(size, s + 7)) if e >= s]
            found.append(Finding("PERSON", -1, -1, "Jane", 0.95, "field"))
            expected = [(f.entity_type, *segment.original_span(f.start, f.end), f.text) for f in found]
            assert [(f.entity_type, f.start, f.end, f.text) for f in quoted.to_original(found, segment)] == expected


def _plain_context(before: str, after: str, words: tuple) -> bool:
    before = context._SENTENCE_END.split(before)[-1]
    after = context._SENTENCE_END.split(after)[0]
    regex = context.context_regex(words)
    return bool(regex.search(before) or regex.search(after))


@pytest.mark.parametrize("cls", [c for c in ON_BY_DEFAULT if c.CONTEXT])
def test_context_words_are_found_as_within_the_sentence(cls):
    words = tuple(cls.CONTEXT)
    rng = random.Random(cls.__name__)
    parts = list(words) + ["x", "a", "mobile", " ", ".", "!", "?", "\n", "\n\n", " \n \n", "-", "'", "3"]
    seen = set()
    for _ in range(3000):
        before = "".join(rng.choice(parts) for _ in range(rng.randint(0, 9)))
        after = "".join(rng.choice(parts) for _ in range(rng.randint(0, 6)))
        expected = _plain_context(before, after, words)
        assert context._context_around.__wrapped__(before, after, words) == expected, (before, after)
        seen.add(expected)
    assert seen == {True, False}
