"""Working-day arithmetic over England & Wales bank holidays (PRO-3, PRO-4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning_analytics.timelines.bank_holidays import is_bank_holiday
from commissioning_analytics.timelines.working_days import (
    add_working_days,
    is_working_day,
    london_date,
    next_working_day_on_or_after,
    working_day_mask,
    working_days_between,
)

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))


def test_adding_over_christmas_2026_skips_the_boxing_day_substitute() -> None:
    # Fri 25 Dec holiday, Sat 26, Sun 27, Mon 28 (Boxing Day substitute).
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    # Thu 31 Dec → Fri 1 Jan is a holiday → Mon 4 Jan 2027.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_adding_over_easter_2025() -> None:
    # Good Friday 18 April, Easter Monday 21 April 2025.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert add_working_days(date(2025, 4, 16), 5) == date(2025, 4, 25)
    assert working_days_between(date(2025, 4, 17), date(2025, 4, 22)) == 1


def test_from_a_weekend_day_counting_starts_on_the_next_working_day() -> None:
    saturday = date(2026, 11, 21)
    assert add_working_days(saturday, 1) == date(2026, 11, 23)
    assert add_working_days(saturday, 0) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
    assert next_working_day_on_or_after(date(2026, 12, 25)) == date(2026, 12, 29)


def test_vectorised_forms_agree_with_the_scalar_ones() -> None:
    starts = np.array(["2026-12-24", "2025-04-17", "2026-05-01"], dtype="datetime64[D]")
    result = add_working_days(starts, np.array([1, 1, 1]))
    assert result.tolist() == [date(2026, 12, 29), date(2025, 4, 22), date(2026, 5, 5)]
    counts = working_days_between(starts, result)
    assert counts.tolist() == [1, 1, 1]
    mask = working_day_mask(np.array(["2026-12-28", "2026-12-29"], dtype="datetime64[D]"))
    assert mask.tolist() == [False, True]


def test_refuses_negative_counts_and_dates_outside_the_calendar() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
    with pytest.raises(ValueError):
        add_working_days(date(1970, 1, 5), 1)


def test_london_date_reads_aware_times_in_london_and_refuses_naive_ones() -> None:
    # 23:30 UTC on 1 June is 00:30 BST on 2 June.
    assert london_date(datetime(2026, 6, 1, 23, 30, tzinfo=UTC)) == date(2026, 6, 2)
    assert london_date(datetime(2026, 1, 1, 23, 30, tzinfo=UTC)) == date(2026, 1, 1)
    assert london_date(date(2026, 1, 1)) == date(2026, 1, 1)
    with pytest.raises(ValueError):
        london_date(datetime(2026, 6, 1, 12, 0))


@given(dates, st.integers(min_value=0, max_value=400))
def test_adding_working_days_never_lands_on_a_weekend_or_holiday(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert result.weekday() < 5
    assert not is_bank_holiday(result)
    assert is_working_day(result)
    assert result >= day


@given(dates, st.integers(min_value=1, max_value=400))
def test_counting_inverts_adding(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert working_days_between(day, result) == n
    # and nothing earlier would do: the day before has one working day fewer
    assert working_days_between(day, result - timedelta(days=1)) == n - 1
