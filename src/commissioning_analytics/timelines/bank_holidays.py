"""England & Wales bank holidays, computed from the rules plus a table of one-off changes.

Used for working-day arithmetic in clarification response times (PRO-4) and timelines (PRO-3).

The regular holidays (since the early May bank holiday began in 1978):

* New Year's Day (1 January);
* Good Friday and Easter Monday (Easter Sunday by the anonymous Gregorian algorithm);
* the early May bank holiday (first Monday in May);
* the spring bank holiday (last Monday in May);
* the summer bank holiday (last Monday in August);
* Christmas Day and Boxing Day.

New Year's Day, Christmas Day and Boxing Day falling on a Saturday or Sunday are replaced by a
substitute day: the next weekday that is not already a holiday (so Christmas on a Saturday gives
Monday 27 and Boxing Day Tuesday 28; Boxing Day on a Saturday gives Monday 28).

One-off changes by royal proclamation cannot be computed; :data:`ONE_OFF_MOVES` and
:data:`ONE_OFF_EXTRAS` list the known ones. A future proclamation must be added to those tables.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

FIRST_SUPPORTED_YEAR = 1978
"""The first year with the current pattern of holidays (the early May bank holiday began)."""

ONE_OFF_MOVES: dict[date, date] = {
    date(1995, 5, 1): date(1995, 5, 8),  # early May moved for the 50th anniversary of VE Day
    date(2002, 5, 27): date(2002, 6, 4),  # spring moved for the Golden Jubilee
    date(2012, 5, 28): date(2012, 6, 4),  # spring moved for the Diamond Jubilee
    date(2020, 5, 4): date(2020, 5, 8),  # early May moved for the 75th anniversary of VE Day
    date(2022, 5, 30): date(2022, 6, 2),  # spring moved for the Platinum Jubilee
}
"""Regular holiday → the date it was moved to by proclamation."""

ONE_OFF_EXTRAS: dict[date, str] = {
    date(1999, 12, 31): "Millennium Eve",
    date(2002, 6, 3): "Golden Jubilee bank holiday",
    date(2011, 4, 29): "Royal wedding",
    date(2012, 6, 5): "Diamond Jubilee bank holiday",
    date(2022, 6, 3): "Platinum Jubilee bank holiday",
    date(2022, 9, 19): "State Funeral of Queen Elizabeth II",
    date(2023, 5, 8): "Coronation of King Charles III",
}
"""Additional one-off bank holidays."""

_SATURDAY = 5


def easter_sunday(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> tuple[date, ...]:
    """The England & Wales bank holidays of ``year``, in date order.

    >>> [d.isoformat() for d in bank_holidays(2026)][-2:]
    ['2026-12-25', '2026-12-28']
    """
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(f"bank holidays are computed from {FIRST_SUPPORTED_YEAR} onwards")
    easter = easter_sunday(year)
    fixed = [
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    ]
    days = {ONE_OFF_MOVES.get(day, day) for day in fixed}
    days |= {day for day in ONE_OFF_EXTRAS if day.year == year}
    # Days that take a substitute when they fall at a weekend: those on a weekday are holidays
    # in their own right first, then each weekend one takes the next free weekday, in order.
    anniversaries = (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26))
    days |= {day for day in anniversaries if day.weekday() < _SATURDAY}
    for day in anniversaries:
        if day.weekday() >= _SATURDAY:
            while day.weekday() >= _SATURDAY or day in days:
                day += timedelta(days=1)
            days.add(day)
    return tuple(sorted(days))


def bank_holidays_between(first_year: int, last_year: int) -> tuple[date, ...]:
    """Every bank holiday from ``first_year`` to ``last_year`` inclusive, in date order."""
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    return tuple(day for year in range(first_year, last_year + 1) for day in bank_holidays(year))


def is_bank_holiday(day: date) -> bool:
    return day in bank_holidays(day.year)
