"""The subject of a request: their value keys, and telling their findings from other people's.

A finding is the subject's when any keyed form of its text is one of the
query's keys; everything else detected is someone else's (or at least not
known to be the subject's), so it is redacted from a disclosure and left
alone by an erasure.
"""
from __future__ import annotations

from dataclasses import dataclass

from detectors.normalise import index_forms

from ..config import key_path_for
from ..find import query_keys
from ..keys import Keyer, load_or_create_secret

IDENTITY_TYPES = ("PERSON", "EMAIL_ADDRESS")   # what names *someone*: another person is present


@dataclass
class Subject:
    keyer: Keyer
    keys: dict[str, str]                  # {value_key: kind}

    def finding_keys(self, entity_type: str, text: str) -> set[str]:
        return {self.keyer.key(form) for form in index_forms(entity_type, text)}

    def owns(self, finding) -> bool:
        return bool(self.finding_keys(finding.entity_type, finding.text) & self.keys.keys())

    def split(self, findings) -> tuple[list, list]:
        """(the subject's findings, everyone else's).

        A keyed name pair (NAME_INDEX) of the subject is theirs, in whatever form it is written;
        another pair is nobody's (it labels nothing, so it is never redacted). A label that
        overlaps the subject's own name is the subject's too: NER reads `SMITH, Jane` as the
        person `Jane`, which must not come out as `SMITH, [REDACTED PERSON]`."""
        mine, others = [], []
        for f in findings:
            if self.owns(f):
                mine.append(f)
            elif f.entity_type != "NAME_INDEX":
                others.append(f)
        names = [f for f in mine if f.entity_type in ("NAME_INDEX", "PERSON") and f.start >= 0]
        inside = [f for f in others if f.entity_type == "PERSON" and _overlaps_any(f, names)]
        return mine + inside, [f for f in others if f not in inside]


def identifiers_of(**given) -> dict[str, list[str]]:
    """CLI options (tuples, maybe empty) -> {kind: [values]} for the given ones only."""
    return {kind: list(values) for kind, values in given.items() if values}


def load_keyer(inventory: str, key_path: str | None) -> Keyer:
    return Keyer(load_or_create_secret(key_path_for(inventory, key_path), create=False))


def load_subject(inventory: str, key_path: str | None, identifiers: dict[str, list[str]]) -> Subject:
    keyer = load_keyer(inventory, key_path)
    return Subject(keyer, query_keys(keyer, identifiers))


def _overlaps_any(finding, spans) -> bool:
    return finding.start >= 0 and any(finding.start < s.end and s.start < finding.end for s in spans)
