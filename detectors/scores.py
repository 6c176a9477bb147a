"""Default minimum score per entity type; `--min-score` (DetectorSettings.min_score) overrides them all.

| entity type | default min score | why |
|---|---|---|
| EMAIL_ADDRESS | 0.5 | the pattern is exact (0.9) |
| PHONE_NUMBER | 0.5 | UK numbers validated by phonenumbers score 0.6; bare digit groups (0.3) need a context word |
| UK_POSTCODE | 0.5 | valid outward/inward shape (0.6) |
| UK_NINO | 0.5 | HMRC prefix rules (0.7) |
| UK_NHS | 0.5 | mod 11 passes 1 random number in 11: 3-3-4 layout (0.5) or a context word |
| UK_SORT_CODE_ACCOUNT | 0.5 | sort code with account number or label (0.6) |
| IBAN_CODE | 0.5 | mod 97 (0.8) |
| CREDIT_CARD | 0.5 | Luhn (0.5-0.6) |
| IP_ADDRESS | 0.5 | parsed by ipaddress (0.6) |
| DATE_OF_BIRTH | 0.5 | only next to "DOB", "born"... (0.8) |
| UK_PASSPORT | 0.5 | only next to "passport" (0.7) |
| UK_DRIVING_LICENCE | 0.5 | DVLA layout with a valid month and day (0.7) |
| PERSON | 0.5 | spaCy NER after cleaning (0.85), structured fields (0.95) |
| anything else | 0.5 | |
"""
from typing import Dict, Optional

DEFAULT_MIN_SCORE = 0.5
MIN_SCORES: Dict[str, float] = {}


def min_score_for(entity_type: str, override: Optional[float]) -> float:
    if override is not None:
        return override
    return MIN_SCORES.get(entity_type, DEFAULT_MIN_SCORE)
