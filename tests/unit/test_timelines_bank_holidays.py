"""England & Wales bank holidays (PRO-3, PRO-4): checked against the published GOV.UK lists."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning_analytics.timelines.bank_holidays import (
    bank_holidays,
    bank_holidays_between,
    easter_sunday,
    is_bank_holiday,
)


def _days(year: int, *month_days: tuple[int, int]) -> tuple[date, ...]:
    return tuple(date(year, m, d) for m, d in month_days)


PUBLISHED = {
    2024: _days(2024, (1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    2025: _days(2025, (1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)),
    # Boxing Day 2026 is a Saturday: its substitute is Monday 28 December.
    2026: _days(2026, (1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
    # 2022: New Year's Day substitute, the Platinum Jubilee (spring bank holiday moved to Thursday
    # 2 June plus Friday 3 June), the State Funeral, and Christmas Day (a Sunday) substituted on
    # Tuesday 27 after Boxing Day on Monday 26.
    2022: _days(
        2022, (1, 3), (4, 15), (4, 18), (5, 2), (6, 2), (6, 3), (8, 29), (9, 19), (12, 26), (12, 27)
    ),
    # 2020: the early May bank holiday moved to Friday 8 May for VE Day's 75th anniversary.
    2020: _days(2020, (1, 1), (4, 10), (4, 13), (5, 8), (5, 25), (8, 31), (12, 25), (12, 28)),
    # 2023: the Coronation on Monday 8 May; New Year's Day (a Sunday) substituted on 2 January.
    2023: _days(
        2023, (1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)
    ),
    # 2021: Christmas Day and Boxing Day both at the weekend: Monday 27 and Tuesday 28.
    2021: _days(2021, (1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_bank_holidays_match_the_published_list(year: int) -> None:
    assert bank_holidays(year) == PUBLISHED[year]


@pytest.mark.parametrize(
    "expected",
    [
        date(2008, 3, 23),
        date(2011, 4, 24),
        date(2019, 4, 21),
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2038, 4, 25),
    ],
)
def test_easter_sunday_by_the_anonymous_gregorian_algorithm(expected: date) -> None:
    assert easter_sunday(expected.year) == expected


def test_one_offs_of_2011_and_2012() -> None:
    assert date(2011, 4, 29) in bank_holidays(2011)  # royal wedding
    holidays_2012 = bank_holidays(2012)
    assert date(2012, 6, 4) in holidays_2012 and date(2012, 6, 5) in holidays_2012
    assert date(2012, 5, 28) not in holidays_2012  # spring bank holiday moved


def test_every_year_has_at_least_eight_weekday_holidays() -> None:
    for year in range(1978, 2100):
        days = bank_holidays(year)
        assert len(days) >= 8
        assert all(day.weekday() < 5 and day.year == year for day in days)
        assert list(days) == sorted(set(days))


def test_between_and_is_bank_holiday() -> None:
    both = bank_holidays_between(2024, 2025)
    assert both == PUBLISHED[2024] + PUBLISHED[2025]
    assert is_bank_holiday(date(2026, 12, 28))
    assert not is_bank_holiday(date(2026, 12, 26))  # a Saturday: the holiday is substituted
    with pytest.raises(ValueError):
        bank_holidays_between(2025, 2024)
    with pytest.raises(ValueError):
        bank_holidays(1970)
