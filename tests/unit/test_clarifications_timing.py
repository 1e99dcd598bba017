"""Pure rules of clarification questions (PRO-4): when an answer is due under the guaranteed
response time (England & Wales working days) and when it is overdue. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.clarifications.timing import due_date, is_overdue, long_date, overdue_label
from commissioning_analytics.timelines.working_days import (
    LONDON,
    is_working_day,
    working_days_between,
)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("asked", "days", "due"),
    [
        (at(2027, 3, 15, 10, 0), 5, date(2027, 3, 22)),  # Monday → next Monday
        (at(2027, 3, 15, 17, 0), 5, date(2027, 3, 23)),  # at the 17:00 cut-off: from Tuesday
        (at(2027, 3, 13, 10, 0), 1, date(2027, 3, 16)),  # Saturday: received Monday, due Tuesday
        # Thursday 24 December 2026: Christmas (Friday 25) and the Boxing Day substitute
        # (Monday 28, as 26 December is a Saturday) are not working days.
        (at(2026, 12, 24, 10, 0), 3, date(2026, 12, 31)),
        (at(2026, 12, 23, 10, 0), 3, date(2026, 12, 30)),
        # Maundy Thursday 2027: Good Friday and Easter Monday skipped.
        (at(2027, 3, 25, 9, 0), 2, date(2027, 3, 31)),
    ],
)
def test_due_date(asked: datetime, days: int, due: date) -> None:
    assert due_date(asked, days) == due


def test_due_date_reads_the_time_in_london() -> None:
    # 16:30 UTC in British Summer Time is 17:30 in London: after the cut-off.
    asked = datetime(2027, 6, 14, 16, 30, tzinfo=UTC)
    assert due_date(asked, 1) == date(2027, 6, 16)


def test_a_response_time_below_one_working_day_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        due_date(at(2027, 3, 15, 10, 0), 0)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
    st.integers(min_value=1, max_value=30),
)
def test_the_due_date_is_a_working_day_the_promised_distance_away(
    naive: datetime, days: int
) -> None:
    asked = naive.replace(tzinfo=LONDON)
    due = due_date(asked, days)
    assert is_working_day(due)
    # Counted from the day asked, or from the next working day (after 17:00, weekend, holiday).
    assert working_days_between(asked.date(), due) in (days, days + 1)
    assert due > asked.date()


def test_overdue_only_once_the_day_after_the_due_date_begins() -> None:
    due = date(2027, 3, 22)
    assert not is_overdue(due, at(2027, 3, 22, 23, 59))
    assert is_overdue(due, at(2027, 3, 23, 0, 0))


def test_an_answer_is_late_by_the_date_it_was_published() -> None:
    due = date(2027, 3, 22)
    later = at(2027, 4, 30, 9, 0)
    assert not is_overdue(due, later, answered_at=at(2027, 3, 22, 18, 0))
    assert is_overdue(due, later, answered_at=at(2027, 3, 23, 9, 0))


def test_labels() -> None:
    assert long_date(date(2026, 12, 30)) == "Wednesday 30 December 2026"
    assert overdue_label(date(2026, 12, 30)) == (
        "Overdue: answer was due by Wednesday 30 December 2026"
    )
