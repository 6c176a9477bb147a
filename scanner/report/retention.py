"""The retention period: `90d`, `6w`, `18m`, `2y`."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UsageError

UNITS = {"d": "to_days", "w": "to_weeks", "m": "to_months", "y": "to_years"}
WORDS = {"d": "day", "w": "week", "m": "month", "y": "year"}
DEFAULT_RETENTION = "2y"


@dataclass(frozen=True)
class Retention:
    amount: int
    unit: str

    @property
    def text(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def words(self) -> str:
        word = WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"

    @property
    def sql_interval(self) -> str:
        # Calendar arithmetic in DuckDB: 18 months before 31 August is 28 or 29 February.
        return f"{UNITS[self.unit]}({self.amount})"


def parse_retention(text: str) -> Retention:
    match = re.fullmatch(r"\s*(\d{1,4})\s*([dwmy])\s*", text.lower())
    if not match or int(match.group(1)) == 0:
        raise UsageError(f"--retention: expected a number and d, w, m or y (90d, 18m, 2y), got {text!r}")
    return Retention(int(match.group(1)), match.group(2))
