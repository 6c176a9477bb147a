"""The Detector: cheap recognisers on raw text, spaCy NER only where a name can be, then cleaning.

The pattern recognisers are Presidio recognisers, but we call them directly
(`find`) instead of through AnalyzerEngine: that skips a full spaCy pipeline
per text, which measured three orders of magnitude slower than the regexes.
"""

import hashlib
import re
import json
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
from detectors.recognizers import build_recognisers
from detectors.recognizers.base import windows
from detectors.scores import min_score_for
from detectors.spans import SpanSet
from detectors.valid_text import valid_fields, valid_text

DETECTOR_VERSION = "3"   # 3: the name index


class Detector:
    def __init__(self, settings: DetectorSettings = DetectorSettings()):
        self.settings = settings
        self.recognisers = build_recognisers(settings.enable, settings.disable)
        self.prefilter = prefilter_for(self.recognisers)   # None: hyperscan absent, every window searched
        self.person_enabled = not ({"person", "spacynerperson"} & {n.lower() for n in settings.disable})
        wants_ner = settings.use_ner and self.person_enabled and not settings.ner_deferred
        self.nlp = load_ner(settings.model) if wants_ner else None
        self.entity_cache = EntityCache()   # per process: repeated mail text is read by NER once
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
        items = [(valid_text(text or ""), valid_fields(fields)) for text, fields in items]
        ents = (entities_many(self.nlp, (t for t, _ in items), self.settings.ner_scope, self.entity_cache)
                if self.nlp
                else [[] for _ in items])
        return [self._one(text, fields, e) for (text, fields), e in zip(items, ents)]

    def _one(self, text: str, fields: Sequence, entities) -> List[Finding]:
        patterns = resolve_overlaps(self._pattern_findings(text))
        # The name index is keyed for `find`, whatever NER labels (name_index.py); NAME_INDEX is no label.
        index = name_index(text) if self.person_enabled else []
        people = person_findings(text, entities, patterns, index) if self.person_enabled else []
        blocked = not_person_spans(fields)
        people = [p for p in people if not any(s < p.end and p.start < e for s, e in blocked)]
        structured = [f for f in field_findings(text, fields) if self._wanted(f.entity_type)]
        index += field_name_index(fields) if self.person_enabled else []
        found = _dedupe(patterns + people + structured + index)
        keep = [f for f in found if f.score >= min_score_for(f.entity_type, self.settings.min_score)]
        return sorted(keep, key=lambda f: (f.start, f.end, f.entity_type))

    def _wanted(self, entity_type: str) -> bool:
        return (
            entity_type == "PERSON"
            and self.person_enabled
            or any(entity_type in r.supported_entities for r in self.recognisers)
        )

    def _pattern_findings(self, text: str) -> List[Finding]:
        results = []
        spans = {}   # the windows worth searching, per needed character class
        # Where each recogniser's matches can end (one compiled scan); None: search every window.
        candidates = self.prefilter.scan(text) if self.prefilter else None
        for index, recogniser in enumerate(self.recognisers):
            needs = getattr(recogniser, "NEEDS", None)
            if needs is None:
                found = _run(recogniser, text)
            else:
                where = candidates[index] if candidates else None
                if where is not None and where.nowhere:
                    continue
                if needs not in spans:
                    spans[needs] = windows(text, re.compile(needs))
                found = recogniser.find_in(text, spans[needs], where)
            for r in found:
                score = r.score
                if has_context(text, r.start, r.end, recogniser.context or ()):
                    score = boosted(score)
                name = type(recogniser).__name__
                results.append(
                    Finding(r.entity_type, r.start, r.end, text[r.start : r.end], round(score, 3), name)
                )
        return results


def _run(recogniser, text: str):
    if hasattr(recogniser, "find"):
        return recogniser.find(text)
    return recogniser.analyze(text, recogniser.supported_entities, None)


def resolve_overlaps(findings: List[Finding]) -> List[Finding]:
    """Where spans overlap, the higher score wins, then the longer span: one piece of text, one type."""
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
