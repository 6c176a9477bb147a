"""The Detector: cheap recognisers on raw text, spaCy NER only where a name can be, then cleaning.

The pattern recognisers are Presidio recognisers, but we call them directly
(`find`) instead of through AnalyzerEngine: that skips a full spaCy pipeline
per text, which measured three orders of magnitude slower than the regexes.
"""

import functools
import hashlib
import json
import operator
import re
from typing import Iterable, List, Sequence, Tuple

import spacy

from detectors.context import boosted, has_context
from detectors.gazetteer import preload_word_lists
from detectors.fields import field_findings, not_person_spans
from detectors.model import DetectorSettings, Finding
from detectors.name_index import field_name_index, name_index
from detectors.names import person_findings
from detectors.prefilter import prefilter_for
from detectors.ner import EntityCache, entities_many, load_ner
from detectors.quoted import split, to_original
from detectors.recognizers import build_recognisers
from detectors.recognizers.base import windows
from detectors.scores import min_score_for
from detectors.spans import SpanSet
from detectors.valid_text import valid_fields, valid_text
from detectors.version import DETECTOR_VERSION



class Detector:
    def __init__(self, settings: DetectorSettings = DetectorSettings()):
        self.settings = settings
        self.recognisers = build_recognisers(settings.enable, settings.disable)
        self.prefilter = prefilter_for(self.recognisers)   # None: hyperscan absent, every window searched
        self.person_enabled = not ({"person", "spacynerperson"} & {n.lower() for n in settings.disable})
        wants_ner = settings.use_ner and self.person_enabled and not settings.ner_deferred
        self.nlp = load_ner(settings.model) if wants_ner else None
        self.entity_cache = EntityCache()   # per process: repeated mail text is read by NER once
        self.segment_cache = SegmentCache()  # per process: a quoted copy of a message is read once
        if self.person_enabled:
            preload_word_lists()  # once per process, not inside the first file's analysis
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> str:
        model = (
            f"{self.nlp.meta['name']}-{self.nlp.meta['version']}"
            if self.nlp
            else f"{self.settings.model}:off"
        )
        state = {
            "version": DETECTOR_VERSION,
            "model": model,
            "use_ner": self.settings.use_ner,
            "ner_scope": self.settings.ner_scope,
            "min_score": self.settings.min_score,
            "recognisers": sorted(type(r).__name__ for r in self.recognisers),
            "spacy": spacy.__version__,
        }
        if self.settings.ner_deferred:   # absent otherwise: existing fingerprints stay as they were
            state["ner_deferred"] = True
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]

    def analyze(self, text: str, fields: Sequence = ()) -> List[Finding]:
        return self.analyze_many([(text, fields)])[0]

    def analyze_many(self, items: Iterable[Tuple[str, Sequence]]) -> List[List[Finding]]:
        """Findings per (text, fields). A mail text (one with a message, reply or forward header) is
        read as its segments (detectors/quoted.py), each distinct segment once per process; any
        other text whole, exactly as before.

        valid_text runs on the whole text first, so every segment is a valid string. Everything a
        text says alone (patterns and their overlaps, the name index, NER and the person rules) is
        worked out per segment in its own offsets: segments are disjoint in the original, so no
        finding of one can overlap a finding of another, and only evidence across a segment's edge
        is lost (a name NER labels ORG in the header block no longer vetoes it in the signature:
        44 PERSON findings on the mail corpus change recogniser and score, none its span or key,
        `benchmarks/quoted_diff.py`). Fields, the person blocks they give and _dedupe then see
        the findings in the original text's offsets, as before."""
        items = [(valid_text(text or ""), valid_fields(fields)) for text, fields in items]
        plans = [split(text) for text, _ in items]
        whole = [text for (text, _), segments in zip(items, plans) if segments is None]
        known = {s.text: self.segment_cache.get(s.text) for segments in plans if segments for s in segments}
        fresh = [text for text, found in known.items() if found is None]
        ents = iter(self._entities(whole + fresh))
        done = {text: self._text_findings(text, e) for text, e in zip(whole, ents)}
        for text, e in zip(fresh, ents):
            known[text] = self._text_findings(text, e)
            self.segment_cache.put(text, known[text])
        return [self._one(text, fields, done[text] if segments is None else _from_segments(segments, known))
                for (text, fields), segments in zip(items, plans)]

    def _entities(self, texts: List[str]) -> list:
        if not self.nlp:
            return [[] for _ in texts]
        return entities_many(self.nlp, texts, self.settings.ner_scope, self.entity_cache)

    def _text_findings(self, text: str, entities) -> Tuple[list, list, list]:
        """What a text says alone, whatever fields come with it: patterns, people, the name index."""
        patterns = resolve_overlaps(self._pattern_findings(text))
        # The name index is keyed for `find`, whatever NER labels (name_index.py); NAME_INDEX is no label.
        index = name_index(text) if self.person_enabled else []
        people = person_findings(text, entities, patterns, index) if self.person_enabled else []
        return patterns, people, index

    def _one(self, text: str, fields: Sequence, text_findings) -> List[Finding]:
        """Fields apply to the whole text, whether its findings came whole or in segments."""
        patterns, people, index = text_findings
        blocked = not_person_spans(fields)
        if blocked:
            people = [p for p in people if not any(s < p.end and p.start < e for s, e in blocked)]
        structured = [f for f in field_findings(text, fields) if self._wanted(f.entity_type)]
        index = index + field_name_index(fields) if self.person_enabled else index
        found = _dedupe(patterns + people + structured + index)
        bars = {t: min_score_for(t, self.settings.min_score) for t in {f.entity_type for f in found}}
        keep = [f for f in found if f.score >= bars[f.entity_type]]
        return sorted(keep, key=_IN_TEXT_ORDER)

    def _wanted(self, entity_type: str) -> bool:
        return entity_type in self._wanted_types

    @functools.cached_property
    def _wanted_types(self) -> frozenset:
        """What a structured field may report: PERSON where person rules are on, and every type a
        recogniser supports (looked up once, not for every field of every text)."""
        supported = {t for r in self.recognisers for t in r.supported_entities}
        return frozenset(supported | ({"PERSON"} if self.person_enabled else set()))

    def _pattern_findings(self, text: str) -> List[Finding]:
        results = []
        spans = {}   # the windows worth searching, per needed character class
        # Where each recogniser's matches can end (one compiled scan); None: search every window. A text
        # holding no character any recogniser NEEDS (most prose has no digit) has no window to narrow.
        candidates = self.prefilter.scan(text) if self.prefilter and self._needed.search(text) else None
        for index, (recogniser, needs, name, context) in enumerate(self._plan):
            if needs is None:
                found = [(r.entity_type, r.start, r.end, r.score) for r in _run(recogniser, text)]
            else:
                where = candidates[index] if candidates else None
                if where is not None and where.nowhere:
                    continue
                if needs not in spans:
                    spans[needs] = windows(text, needs)
                entity = recogniser.ENTITY   # found_in gives tuples, not a RecognizerResult a match
                found = [(entity, start, end, score)
                         for start, end, score in recogniser.found_in(text, spans[needs], where)]
            for entity_type, start, end, score in found:
                if has_context(text, start, end, context):
                    score = boosted(score)
                results.append(Finding(entity_type, start, end, text[start:end], round(score, 3), name))
        return results

    @functools.cached_property
    def _needed(self) -> "re.Pattern":
        """Any character some recogniser NEEDS: where a text holds none, every such recogniser's
        windows are empty (a recogniser without NEEDS ignores the prefilter)."""
        needs = sorted({needs.pattern for _, needs, _, _ in self._plan if needs is not None})
        return re.compile("|".join(f"(?:{n})" for n in needs) or "(?!)")

    @functools.cached_property
    def _plan(self) -> List[tuple]:
        """Per recogniser, what _pattern_findings reads of it for every text, looked up once: the
        compiled NEEDS (None: searched whole), its name and its context words."""
        return [(r, re.compile(r.NEEDS) if getattr(r, "NEEDS", None) is not None else None, type(r).__name__,
                 tuple(r.context or ())) for r in self.recognisers]


_IN_TEXT_ORDER = operator.attrgetter("start", "end", "entity_type")


def _run(recogniser, text: str):
    if hasattr(recogniser, "find"):
        return recogniser.find(text)
    return recogniser.analyze(text, recogniser.supported_entities, None)


def _from_segments(segments, known: dict) -> Tuple[list, list, list]:
    """The segments' findings, moved to the original text's offsets, kind by kind."""
    found = ([], [], [])
    for segment in segments:
        for kind, findings in zip(found, known[segment.text]):
            if findings:   # most segments hold no finding of most kinds
                kind.extend(to_original(findings, segment))
    return found


class SegmentCache(EntityCache):
    """The findings of segments already read by this worker, keyed by the segment's text: a
    thread quotes each message again in every reply, and an HTML twin repeats the plain part's
    quote. Bounded like EntityCache (first in, first out, by characters held); a segment is a
    message's part, so longer ones than NER's chunks are worth keeping."""

    MAX_PIECE = 200_000


def resolve_overlaps(findings: List[Finding]) -> List[Finding]:
    """Where spans overlap, the higher score wins, then the longer span: one piece of text, one type."""
    if len(findings) < 2:   # most texts and segments: nothing can overlap
        return list(findings)
    ranked = sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start))
    kept: List[Finding] = []
    taken = SpanSet()
    for f in ranked:
        if not taken.overlaps(f.start, f.end):
            kept.append(f)
            taken.add(f.start, f.end)
    return kept


def _dedupe(findings: List[Finding]) -> List[Finding]:
    """Same type and span from two sources (NER and a name column): keep the higher score."""
    best = {}
    for f in findings:
        key = (f.entity_type, f.start, f.end, f.text if f.start < 0 else "")
        if key not in best or f.score > best[key].score:
            best[key] = f
    return list(best.values())
