"""Calendar quarters as the returns name them ("2026Q3") and which of a contract's have ended
(SUP-1), on the calendar arithmetic of :mod:`commissioning.kernel.quarters`."""

from __future__ import annotations

import re
from datetime import date

from commissioning.kernel.quarters import (
    quarter_code,
    quarter_end,
    quarter_label,
    quarter_start,
    quarters,
)

__all__ = ["code_of", "ended_quarters", "label_of", "parse_quarter", "quarter_end"]

_CODE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def parse_quarter(code: str) -> tuple[date, date]:
    """``2026Q3`` → (1 July 2026, 30 September 2026); ValueError for anything else."""
    match = _CODE.match(code.strip())
    if not match:
        raise ValueError(f"{code!r} is not a quarter like 2026Q3")
    start = date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
    return start, quarter_end(start)


def code_of(start: date) -> str:
    return quarter_code(start)


def label_of(start: date) -> str:
    return quarter_label(quarter_start(start))


def ended_quarters(first: date, last: date, today: date) -> list[date]:
    """The first days of the quarters from ``first``'s to ``last``'s that ended before ``today``."""
    return [start for start in quarters(first, last) if quarter_end(start) < today]
