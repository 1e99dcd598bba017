"""Working-day arithmetic for England & Wales (PRO-3, PRO-4), vectorised with numpy's busday
functions and a holiday array from :mod:`~commissioning_analytics.timelines.bank_holidays`.

A *working day* is Monday to Friday and not an England & Wales bank holiday. Conventions:

* :func:`add_working_days` ``(day, n)`` is the ``n``-th working day strictly after ``day``
  (``n = 0`` gives ``day`` itself if it is a working day, else the next working day);
* :func:`working_days_between` ``(start, end)`` counts the working days ``d`` with
  ``start < d <= end``, so ``working_days_between(d, add_working_days(d, n)) == n`` for n ≥ 1.

Times, where they matter, are read in Europe/London (:func:`london_date`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import overload
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from commissioning_analytics.timelines.bank_holidays import (
    FIRST_SUPPORTED_YEAR,
    bank_holidays_between,
)

LONDON = ZoneInfo("Europe/London")
LAST_SUPPORTED_YEAR = 2200
"""The calendar covers 1978 to 2200; one-off holidays after today are unknown, of course."""

DateArray = npt.NDArray[np.datetime64]


@cache
def calendar() -> np.busdaycalendar:
    """The England & Wales working-day calendar (Monday to Friday less bank holidays)."""
    holidays = np.array(
        bank_holidays_between(FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR), dtype="datetime64[D]"
    )
    return np.busdaycalendar(weekmask="1111100", holidays=holidays)


def london_date(moment: datetime | date) -> date:
    """The calendar date in England & Wales of an aware ``datetime`` (a ``date`` is returned as is).

    Naive datetimes are refused: the project keeps every time zone-aware.
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("datetimes must be timezone-aware")
        return moment.astimezone(LONDON).date()
    return moment


def _as_days(days: date | npt.ArrayLike) -> DateArray:
    values = np.asarray(days, dtype="datetime64[D]")
    years = values.astype("datetime64[Y]").astype(int) + 1970
    if values.size and (years.min() < FIRST_SUPPORTED_YEAR or years.max() > LAST_SUPPORTED_YEAR):
        raise ValueError(
            f"working days are known from {FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}"
        )
    return values


def is_working_day(day: date) -> bool:
    return bool(np.is_busday(_as_days(day), busdaycal=calendar()))


def working_day_mask(days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Vectorised :func:`is_working_day`."""
    return np.asarray(np.is_busday(_as_days(days), busdaycal=calendar()))


def next_working_day_on_or_after(day: date) -> date:
    result = np.busday_offset(_as_days(day), 0, roll="forward", busdaycal=calendar())
    return date.fromisoformat(str(result))


@overload
def add_working_days(day: date, n: int) -> date: ...
@overload
def add_working_days(day: DateArray, n: int | npt.ArrayLike) -> DateArray: ...
def add_working_days(day: date | DateArray, n: int | npt.ArrayLike) -> date | DateArray:
    """The ``n``-th working day after ``day`` (see the module docstring); vectorised over arrays."""
    counts = np.asarray(n, dtype=np.int64)
    if (counts < 0).any():
        raise ValueError("n must be zero or more working days")
    days = _as_days(day)
    cal = calendar()
    # Rolling back to the last working day on or before ``day`` makes "after a Saturday" start
    # counting from the Friday, so one working day after a Saturday is the Monday.
    after = np.busday_offset(days, counts, roll="backward", busdaycal=cal)
    on_or_after = np.busday_offset(days, 0, roll="forward", busdaycal=cal)
    result = np.where(counts == 0, on_or_after, after)
    if isinstance(day, date):
        return date.fromisoformat(str(result[()]))
    return result


@overload
def working_days_between(start: date, end: date) -> int: ...
@overload
def working_days_between(start: DateArray, end: DateArray) -> npt.NDArray[np.int64]: ...
def working_days_between(
    start: date | DateArray, end: date | DateArray
) -> int | npt.NDArray[np.int64]:
    """Working days ``d`` with ``start < d <= end`` (negative when ``end`` is before ``start``)."""
    one = np.timedelta64(1, "D")
    counts = np.busday_count(_as_days(start) + one, _as_days(end) + one, busdaycal=calendar())
    if isinstance(start, date) and isinstance(end, date):
        return int(counts)
    return np.asarray(counts, dtype=np.int64)
