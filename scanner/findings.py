"""Turning detector findings into keyed, content-addressed rows (no plaintext)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from connectors.document import page_at
from detectors.normalise import index_forms, mask, name_words

from .keys import Keyer


@dataclass
class Aggregate:
    count: int = 0
    score: float = 0.0
    first_offset: int = -1
    first_page: int | None = None       # the page (or recognised image) of first_offset, where known
    ocr: bool = False                   # first_offset lies in text recognised from pixels
    preview: str = ""


@dataclass
class ContentFindings:
    """Findings of one unique content, aggregated by (entity type, kind, value key)."""

    chars: int = 0
    status: str = "ok"
    pages: list = field(default_factory=list)    # the extracted text's PageMarks (fill in as it is read)
    by_key: dict[tuple[str, str, str], Aggregate] = field(default_factory=dict)
    name_words: set[str] | None = None   # NER deferred: the text's name words (scanner/labels.py)

    def add(self, keyer: Keyer, entity_type: str, text: str, score: float, offset: int) -> None:
        self._add(keyer, ((entity_type, text, score, offset),))

    def add_unit(self, keyer: Keyer, findings, offset: int, skip: int = -1) -> None:
        """The findings of one analysis unit whose text starts at `offset` in the content (-1: a text
        outside it, a file name), but those wholly inside its first `skip` characters, which the unit
        before it reported (the chunks' overlap). One call a unit, not one a finding (issue 16)."""
        self._add(keyer, ((f.entity_type, f.text, f.score, offset + f.start if offset >= 0 and f.start >= 0 else -1)
                          for f in findings if not 0 <= f.end <= skip))

    def _add(self, keyer: Keyer, values) -> None:
        """(entity type, text, score, offset) of each finding, counted under each of its value keys."""
        by_key = self.by_key
        for entity_type, text, score, offset in values:
            for by in value_keys(keyer, entity_type, text):
                agg = by_key.get(by)
                if agg is None:   # built whole: a scan makes one per value and content (half its findings)
                    by_key[by] = self._first(entity_type, text, score, offset)
                    continue
                agg.count += 1
                if score > agg.score:
                    agg.score = score
                if 0 <= offset < agg.first_offset or agg.first_offset < 0:
                    agg.first_offset = offset
                    agg.first_page, agg.ocr = self._page(offset)
                if not agg.preview:
                    agg.preview = masked_preview(entity_type, text)

    def _first(self, entity_type: str, text: str, score: float, offset: int) -> Aggregate:
        first_page, ocr = self._page(offset)
        return Aggregate(1, score if score > 0.0 else 0.0, offset, first_page, ocr, masked_preview(entity_type, text))

    def _page(self, offset: int) -> tuple[int | None, bool]:
        """The page (or recognised image) holding `offset`, and whether it is OCR text; none without pages."""
        mark = page_at(self.pages, offset) if offset >= 0 and self.pages else None
        return (mark.page or None, mark.ocr) if mark else (None, False)

    def add_name_words(self, text: str) -> None:
        if self.name_words is None:
            self.name_words = set()
        self.name_words.update(name_words(text))

    def rows(self, content_hash: str, detector: str) -> list[dict]:
        return [dict(content_hash=content_hash, entity_type=etype, kind=kind, value_key=key,
                     count=a.count, score=round(a.score, 4), first_offset=a.first_offset,
                     first_page=a.first_page, ocr=a.ocr, preview=a.preview, detector=detector)
                for (etype, kind, key), a in self.by_key.items()]


# Per process and bounded: a thread repeats the same names, addresses and numbers in every message
# and quoted copy (28,034 findings of 1,460 forms on the mail benchmark), so each value's forms are
# normalised, split and keyed once, not once per finding (issue 16).
@functools.lru_cache(maxsize=32768)
def value_keys(keyer: Keyer, entity_type: str, text: str) -> tuple[tuple[str, str, str], ...]:
    """The (entity type, kind, value key) of each normalised form of one finding's value."""
    forms = index_forms(entity_type, text)
    return tuple((entity_type, form.split(":", 1)[0], keyer.key(form)) for form in forms)


# Per process and bounded, for the same reason: a value's masked preview, once per value, not per row.
masked_preview = functools.lru_cache(maxsize=32768)(mask)


# 31 bits of the HMAC (an int32 in Parquet): a false match only costs a file labelled that need not be,
# and at 68 words a content it is one in 30 million per word; 4 bytes a word keep the inventory small.
WORD_KEY_BITS = 31


# Per process and bounded: the same words recur in every text of a share or mailbox, and an HMAC per
# word of every content was 4 % of a deferred scan.
@functools.lru_cache(maxsize=65536)
def word_key(keyer: Keyer, word: str) -> int:
    """A name word of a text whose NER is deferred, keyed (scanner/labels.py)."""
    return int(keyer.key("word:" + word)[:8], 16) >> (32 - WORD_KEY_BITS)


def label_columns(found: ContentFindings, keyer: Keyer) -> dict:
    """The `contents` columns of one analysed content: NER pending with its keyed words, or labelled."""
    if found.name_words is None:
        return dict(ner_pending=False, name_words=None)
    return dict(ner_pending=True, name_words=sorted({word_key(keyer, w) for w in found.name_words}))
