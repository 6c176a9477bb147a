"""spaCy NER, loaded once, only the `ner` component, fed in batches.

Long texts are cut into chunks at line breaks so memory stays flat, and
lines with no capitalised word are never sent to the model (no name there).
"""

import re
from typing import Iterable, List, Tuple

import spacy

from detectors.ner_ops import use_numpy_blas

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
    use_numpy_blas(nlp)   # the same model, its matrix products at about 3x the speed (ner_ops.py)
    return nlp


# The scopes NER can run on. "names" is the default: NER is three orders of magnitude slower than
# the regexes, and a line that holds no known first name, title or cue word holds no two-word
# name a subject lookup could match; the regex name candidates still see every line.
NER_SCOPES = ("names", "capitalised", "all")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][A-Za-z'’\-]+")
_CUE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "lord", "lady", "dear",
              "name", "surname", "forename", "attn"}


def _line_wanted(scope: str):
    if scope == "all":
        return lambda line: True
    if scope == "capitalised":
        return lambda line: _MAY_HOLD_NAME.search(line) is not None
    from detectors.gazetteer import first_names
    known = first_names()

    def holds_name_cue(line: str) -> bool:
        """A known first name or a title/cue word next to another capitalised word:
        "Dear Emma Holt", "Mr Okafor", "HOLT, Emma", "Emma J. Holt". A lone first name
        ("Tomomi", "May", a Latin word in a name list) is left to the regex candidates."""
        words = list(_CAPITALISED_WORD.finditer(line))
        for k, word in enumerate(words):
            w = word.group().casefold()
            if w not in known and w not in _CUE_WORDS:
                continue
            after = words[k + 1] if k + 1 < len(words) else None
            if after is not None and _only_space_or_initial(line[word.end():after.start()]):
                return True
            before = words[k - 1] if k else None
            if before is not None and line[before.end():word.start()].strip() == ",":
                return True
        return False
    return holds_name_cue


def _only_space_or_initial(gap: str) -> bool:
    """Between two words of one name: spaces, a full stop after a title, or initials (" A. ")."""
    return len(gap) <= 8 and _NAME_GAP.fullmatch(gap) is not None


_NAME_GAP = re.compile(r"\.?[ \t]+(?:[A-Z]\.?[ \t]+)*")


def chunks(text: str, scope: str = "capitalised") -> List[Tuple[int, str]]:
    """(offset, piece) runs of consecutive lines that may hold a name, each at most ~CHUNK_CHARS.

    Lines without a capitalised word (call records, numeric CSV rows) never
    reach the model; a run is cut at a line break, or hard at CHUNK_CHARS
    when one line is longer than that.
    """
    pieces: List[Tuple[int, str]] = []
    wanted = _line_wanted(scope)
    run_start = run_end = None
    for line in re.finditer(r"[^\n]*\n?", text):
        if not line.group():
            break
        if not wanted(line.group()):
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


class EntityCache:
    """NER entities of chunks already read by this worker, keyed by the chunk's exact text.

    Mail repeats itself: greetings, signatures, the HTML twin of a plain part, quoted and
    forwarded copies of earlier messages. The model gives the same entities for the same
    string, so a chunk read once is not read again (issue 16). First in, first out, bounded
    by characters held; long chunks (rarely repeated) are not kept.
    """

    MAX_PIECE = 4_000

    def __init__(self, max_chars: int = 4_000_000):
        self.max_chars = max_chars
        self.chars = 0
        self.entries: dict = {}

    def get(self, piece: str):
        return self.entries.get(piece)

    def put(self, piece: str, entities: List[Tuple[int, int, str]]) -> None:
        if len(piece) > self.MAX_PIECE or piece in self.entries:
            return
        self.entries[piece] = entities
        self.chars += len(piece)
        while self.chars > self.max_chars:
            oldest = next(iter(self.entries))
            self.chars -= len(oldest)
            del self.entries[oldest]


def entities_many(nlp, texts: Iterable[str], scope: str = "names",
                  cache: "EntityCache | None" = None) -> List[List[Entity]]:
    """NER entities per text, batching every chunk of every text (each distinct one once) through nlp.pipe."""
    texts = list(texts)
    jobs = [(i, off, piece) for i, t in enumerate(texts) for off, piece in chunks(t, scope)]
    cache = cache if cache is not None else EntityCache()
    known = {piece: cache.get(piece) for _, _, piece in jobs}
    todo = [piece for piece, ents in known.items() if ents is None]
    for piece, doc in zip(todo, nlp.pipe(todo, batch_size=BATCH_SIZE)):
        known[piece] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        cache.put(piece, known[piece])
    found: List[List[Entity]] = [[] for _ in texts]
    for i, off, piece in jobs:
        found[i].extend((off + s, off + e, label) for s, e, label in known[piece])
    return found
