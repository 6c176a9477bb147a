"""Default minimum score per entity type; `--min-score` (DetectorSettings.min_score) overrides them all.

| entity type | default min score | scores given (context word: +0.35, at least 0.4) |
|---|---|---|
| EMAIL_ADDRESS | 0.5 | pattern 0.9 |
| PHONE_NUMBER | 0.5 | UK number in an allocated range 0.6, right length but unallocated 0.55; `+CC` form 0.6; North American layout 0.55; bare digit groups 0.3 (need "tel", "call", "mobile"...) |
| UK_POSTCODE | 0.5 | valid outward/inward shape 0.6 (capitals; lower or mixed case with the space and a real postcode area, or after "postcode") |
| UK_NINO | 0.5 | HMRC prefix rules and suffix A-D 0.7 |
| UK_NHS | 0.5 | mod 11 required; after "NHS" 0.9, 3-3-4 layout 0.5, ten plain digits 0.35 (need "NHS"/"patient") |
| UK_SORT_CODE_ACCOUNT | 0.5 | sort code with an account number, or after "sort code", 0.6 |
| IBAN_CODE | 0.5 | mod 97 0.8 |
| CREDIT_CARD | 0.5 | Luhn; grouped 0.6, plain 0.5 |
| IP_ADDRESS | 0.5 | parsed by `ipaddress` 0.6 |
| DATE_OF_BIRTH | 0.5 | a date after "DOB", "date of birth", "born"... 0.8; a DOB column 0.95 |
| UK_PASSPORT | 0.5 | nine digits (or 2 letters + 7) after "passport" 0.7 |
| UK_DRIVING_LICENCE | 0.5 | DVLA layout with a valid month and day 0.7 |
| PERSON | 0.5 | name column / mail header 0.95; spaCy NER after cleaning 0.85; known first name + capitalised words 0.8; title + words 0.8; `SURNAME, Forename` or capitals from the name index 0.75; words ending in a known surname 0.7; one word after a cue ("my name is", "Dear") 0.65; one known first name, a list of names, two words no dictionary holds 0.6 |
| NAME_INDEX | 0.5 | every plausible name pair 0.5 (keyed for `find --name`, never a label: name_index.py) |
| US_* (off by default) | 0.5 | Presidio's own scores |

Spans of different types that overlap are resolved before the bar: the higher
score wins, then the longer span.
"""

from typing import Dict, Optional

DEFAULT_MIN_SCORE = 0.5
MIN_SCORES: Dict[str, float] = {}


def min_score_for(entity_type: str, override: Optional[float]) -> float:
    if override is not None:
        return override
    return MIN_SCORES.get(entity_type, DEFAULT_MIN_SCORE)
