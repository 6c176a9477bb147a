"""spaCy NER, loaded once, only the `ner` component, fed in batches.

Long texts are cut into chunks at line breaks so memory stays flat, and
lines with no capitalised word are never sent to the model (no name there).
"""

import re
from typing import Iterable, List, Tuple

import spacy

CHUNK_CHARS = 20_000
BATCH_SIZE = 64
# A name needs a capital letter followed by a lower-case letter, or a
# run of capitals (SMITH): without one, NER has nothing to find.
_MAY_HOLD_NAME = re.compile(r"[A-Z][a-z]")

Entity = Tuple[int, int, str]  # start, end, label


def load_ner(model: str):
    """The pipeline with everything but `ner` excluded (sm's ner has its own tok2vec)."""
    nlp = spacy.load(
        model, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
    )
    nlp.max_length = CHUNK_CHARS * 2
    return nlp


def chunks(text: str) -> List[Tuple[int, str]]:
    """(offset, piece) runs of consecutive lines that may hold a name, each at most ~CHUNK_CHARS.

    Lines without a capitalised word (call records, numeric CSV rows) never
    reach the model; a run is cut at a line break, or hard at CHUNK_CHARS
    when one line is longer than that.
    """
    pieces: List[Tuple[int, str]] = []
    run_start = run_end = None
    for line in re.finditer(r"[^\n]*\n?", text):
        if not line.group():
            break
        if not _MAY_HOLD_NAME.search(line.group()):
            run_start = _flush(text, run_start, run_end, pieces)
            continue
        if run_start is not None and line.end() - run_start > CHUNK_CHARS:
            run_start = _flush(text, run_start, run_end, pieces)
        run_start = line.start() if run_start is None else run_start
        run_end = line.end()
    _flush(text, run_start, run_end, pieces)
    return pieces


def _flush(text: str, start, end, pieces) -> None:
    """Append text[start:end] in pieces of at most CHUNK_CHARS; returns None (the new run start)."""
    while start is not None and start < end:
        pieces.append((start, text[start : min(end, start + CHUNK_CHARS)]))
        start += CHUNK_CHARS
    return None


def entities_many(nlp, texts: Iterable[str]) -> List[List[Entity]]:
    """NER entities per text, batching every chunk of every text through nlp.pipe."""
    texts = list(texts)
    jobs = [(i, off, piece) for i, t in enumerate(texts) for off, piece in chunks(t)]
    found: List[List[Entity]] = [[] for _ in texts]
    docs = nlp.pipe((piece for _, _, piece in jobs), batch_size=BATCH_SIZE)
    for (i, off, _), doc in zip(jobs, docs):
        found[i].extend((off + e.start_char, off + e.end_char, e.label_) for e in doc.ents)
    return found
