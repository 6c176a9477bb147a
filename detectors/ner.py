"""spaCy NER, loaded once, only the `ner` component, fed in batches.

Long texts are cut into chunks at line breaks so memory stays flat, and a
chunk with no capitalised word is never sent to the model (no name there).
"""
import re
from typing import Iterable, List, Tuple

import spacy

CHUNK_CHARS = 20_000
BATCH_SIZE = 64
# A name needs a capital letter followed by a lower-case letter, or a
# run of capitals (SMITH): without one, NER has nothing to find.
_MAY_HOLD_NAME = re.compile(r"\b[A-Z][A-Za-z'\-]+")

Entity = Tuple[int, int, str]  # start, end, label


def load_ner(model: str):
    """The pipeline with everything but `ner` excluded (sm's ner has its own tok2vec)."""
    nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])
    nlp.max_length = CHUNK_CHARS * 2
    return nlp


def chunks(text: str) -> List[Tuple[int, str]]:
    """(offset, piece) pieces of at most ~CHUNK_CHARS, cut at a newline where possible."""
    pieces, offset = [], 0
    while offset < len(text):
        end = min(len(text), offset + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", offset + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append((offset, text[offset:end]))
        offset = end
    return pieces


def entities_many(nlp, texts: Iterable[str]) -> List[List[Entity]]:
    """NER entities per text, batching every chunk of every text through nlp.pipe."""
    texts = list(texts)
    jobs = [(i, off, piece) for i, t in enumerate(texts) for off, piece in chunks(t) if _MAY_HOLD_NAME.search(piece)]
    found: List[List[Entity]] = [[] for _ in texts]
    docs = nlp.pipe((piece for _, _, piece in jobs), batch_size=BATCH_SIZE)
    for (i, off, _), doc in zip(jobs, docs):
        found[i].extend((off + e.start_char, off + e.end_char, e.label_) for e in doc.ents)
    return found
