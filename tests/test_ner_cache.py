"""NER reads each distinct chunk once per worker, and the entities are the same as without the cache (issue 16)."""
from detectors.model import DEFAULT_MODEL
from detectors.ner import EntityCache, chunks, entities_many, load_ner

THREAD = [
    "Hi Emma,\n\nThe invoice is attached.\n\nKind regards,\n\nDear Oliver Bennett\nSales Manager\n",
    "Thanks Oliver.\n\n> Hi Emma,\n>\n> Kind regards,\n\nDear Oliver Bennett\nSales Manager\n",
    "Dear Oliver Bennett\nSales Manager\n",
]


class CountingNlp:
    """The real pipeline, counting the chunks it is given."""

    def __init__(self, nlp):
        self.nlp, self.read = nlp, []

    def pipe(self, texts, batch_size):
        texts = list(texts)
        self.read.extend(texts)
        return self.nlp.pipe(texts, batch_size=batch_size)


def test_repeated_chunks_are_read_once_with_the_same_entities():
    nlp = load_ner(DEFAULT_MODEL)
    plain = [entities_many(nlp, [t], "capitalised") for t in THREAD]       # each text on its own, no shared cache
    counting, cache = CountingNlp(nlp), EntityCache()
    first = entities_many(counting, THREAD[:2], "capitalised", cache)
    second = entities_many(counting, THREAD[2:], "capitalised", cache)
    assert first + second == [p[0] for p in plain]
    assert any(label == "PERSON" for ents in first for _, _, label in ents)
    assert len(counting.read) == len(set(counting.read))            # nothing read twice
    assert "Dear Oliver Bennett\nSales Manager\n" in counting.read
    assert len(counting.read) < sum(len(chunks(t, "capitalised")) for t in THREAD)   # repeats skipped


def test_the_cache_stays_within_its_bound():
    cache = EntityCache(max_chars=100)
    for n in range(50):
        cache.put(f"line number {n:03d}\n", [])
    assert cache.chars <= 100 and len(cache.entries) == cache.chars // len("line number 000\n")
    cache.put("x" * (EntityCache.MAX_PIECE + 1), [])
    assert "x" * (EntityCache.MAX_PIECE + 1) not in cache.entries
