"""Identical content analysed by two workers is written once.

Local pool workers claim a content hash through a shared dict before they
analyse it; across machines a round trip per content would cost more than the
rare duplicate analysis, so each worker de-duplicates what it sees and the
driver drops the contents (and their findings) a result repeats.
"""
from __future__ import annotations

from collections import Counter

from ..analysis import TaskResult


class ContentDeduper:
    def __init__(self):
        self.seen: set[str] = set()

    def filter(self, result: TaskResult) -> TaskResult:
        repeated = {row["content_hash"] for row in result.contents if row["content_hash"] in self.seen}
        self.seen.update(row["content_hash"] for row in result.contents)
        if not repeated:
            return result
        dropped = Counter()
        for row in result.findings:
            if row["content_hash"] in repeated:
                dropped[row["entity_type"]] += row["count"]
        result.entity_counts.subtract(dropped)
        result.entity_counts = +result.entity_counts   # drop types that fell to zero
        result.findings = [r for r in result.findings if r["content_hash"] not in repeated]
        result.stats["analysed"] -= sum(1 for h in repeated if not h.startswith("name-"))
        result.contents = [r for r in result.contents if r["content_hash"] not in repeated]
        return result
