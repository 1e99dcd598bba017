"""Clarification questions' guaranteed response time in working days (PRO-4)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from commissioning_analytics.timelines.clarifications import ResponseTime
from commissioning_analytics.timelines.working_days import LONDON


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


FIVE_DAYS = ResponseTime(working_days=5)


def test_response_due_over_christmas_2026() -> None:
    # Deemed received Tue 22 Dec; 23, 24, (25 and 28 holidays), 29, 30, 31 → Thu 31 Dec.
    assert FIVE_DAYS.due(london(2026, 12, 22, 10, 0)) == date(2026, 12, 31)


def test_after_the_cutoff_counts_from_the_next_working_day() -> None:
    asked = london(2026, 12, 22, 18, 0)
    assert FIVE_DAYS.deemed_received(asked) == date(2026, 12, 23)
    # 24, 29, 30, 31, (1 Jan holiday), Mon 4 Jan.
    assert FIVE_DAYS.due(asked) == date(2027, 1, 4)
    late_cutoff = ResponseTime(5, cutoff=time(19, 0))
    assert late_cutoff.deemed_received(asked) == date(2026, 12, 22)


def test_a_weekend_question_counts_from_monday() -> None:
    asked = london(2026, 12, 19, 9, 0)  # Saturday
    assert FIVE_DAYS.deemed_received(asked) == date(2026, 12, 21)
    assert FIVE_DAYS.due(asked) == date(2026, 12, 30)


def test_overdue_only_once_the_due_day_has_ended_in_london() -> None:
    asked = london(2026, 12, 22, 10, 0)  # due Thu 31 Dec 2026
    assert not FIVE_DAYS.is_overdue(asked, now=london(2026, 12, 31, 23, 59))
    assert FIVE_DAYS.is_overdue(asked, now=london(2027, 1, 1, 0, 1))
    on_time = london(2026, 12, 31, 16, 0)
    assert not FIVE_DAYS.is_overdue(asked, now=london(2027, 2, 1, 9, 0), answered_at=on_time)
    late = london(2027, 1, 4, 9, 0)
    assert FIVE_DAYS.is_overdue(asked, now=london(2027, 2, 1, 9, 0), answered_at=late)


def test_response_time_must_be_at_least_a_day() -> None:
    with pytest.raises(ValueError):
        ResponseTime(0)
