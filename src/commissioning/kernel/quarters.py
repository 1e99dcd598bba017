"""Calendar quarters (January to March, April to June, …): the periods that referral counts,
supply-chain returns, bid-candy flags and payment notices are reckoned in (REF-1, SUP-1, SUP-2,
LAW-1). One place for the arithmetic, so every page agrees on where a quarter begins and ends."""

from __future__ import annotations

from datetime import date, timedelta

_MONTHS = ("January", "April", "July", "October")
_ENDS = ("March", "June", "September", "December")


def quarter_start(day: date) -> date:
    """The first day of the quarter ``day`` falls in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(start: date) -> date:
    """The first day of the quarter after the one starting on ``start``."""
    month = start.month + 3
    return date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


def quarter_end(start: date) -> date:
    """The last day of the quarter starting on ``start``."""
    return next_quarter(start) - timedelta(days=1)


def quarters(first: date, last: date) -> list[date]:
    """The first days of each quarter from ``first``'s to ``last``'s, oldest first."""
    found, current = [], quarter_start(first)
    while current <= last:
        found.append(current)
        current = next_quarter(current)
    return found


def quarter_label(start: date) -> str:
    """ "July to September 2026"."""
    index = (start.month - 1) // 3
    return f"{_MONTHS[index]} to {_ENDS[index]} {start.year}"


def quarter_code(start: date) -> str:
    """ "2026Q3"."""
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"
