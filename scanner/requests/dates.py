"""Statutory dates: one calendar month to respond, extendable by two more (UK GDPR Art. 12(3))."""
from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 -> 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(received: date, extend: bool = False) -> date:
    return add_months(received, 3 if extend else 1)
