"""Escalation response targets in working hours and days (REF-2), on hand-worked figures around
the spring bank holiday (Monday 25 May 2026) and Christmas 2026 (Friday 25 December, and Monday
28 December for Boxing Day, a Saturday)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commissioning_analytics.timelines.response_targets import (
    Target,
    Timing,
    WorkingHours,
    deadline,
    describe_duration,
    lateness,
    received,
    summarise,
    targets_from_settings,
)
from commissioning_analytics.timelines.working_days import LONDON


def london(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


FRIDAY_BEFORE_BANK_HOLIDAY = london(2026, 5, 22, 16, 30)


@pytest.mark.parametrize(
    ("target", "due"),
    [
        # Clock hours run through the night and the weekend.
        (Target(1, "hours"), london(2026, 5, 22, 17, 30)),
        (Target(4, "hours"), london(2026, 5, 22, 20, 30)),
        # 30 minutes on Friday; Monday is a bank holiday; 1 h 30 on Tuesday from 09:00.
        (Target(2, "working_hours"), london(2026, 5, 26, 10, 30)),
        (Target(0, "working_days"), london(2026, 5, 22, 17, 0)),
        # Received Friday: the first working day after it is Tuesday 26 (Monday is a holiday).
        (Target(1, "working_days"), london(2026, 5, 26, 17, 0)),
        (Target(3, "working_days"), london(2026, 5, 28, 17, 0)),
        # 8 working hours: 30 minutes Friday, 7 h 30 on Tuesday.
        (Target(8, "working_hours"), london(2026, 5, 26, 16, 30)),
        # 9 working hours: 30 minutes Friday, 8 h Tuesday, 30 minutes Wednesday.
        (Target(9, "working_hours"), london(2026, 5, 27, 9, 30)),
    ],
)
def test_deadlines_around_a_bank_holiday_weekend(target: Target, due: datetime) -> None:
    assert deadline(FRIDAY_BEFORE_BANK_HOLIDAY, target) == due


def test_raised_after_the_close_on_christmas_eve_is_received_on_tuesday_29_december() -> None:
    christmas_eve_evening = london(2026, 12, 24, 18, 0)
    assert received(christmas_eve_evening) == london(2026, 12, 29, 9, 0)
    assert deadline(christmas_eve_evening, Target(0, "working_days")) == london(2026, 12, 29, 17)
    assert deadline(christmas_eve_evening, Target(2, "working_hours")) == london(2026, 12, 29, 11)
    assert deadline(christmas_eve_evening, Target(1, "working_days")) == london(2026, 12, 30, 17)


def test_raised_before_opening_starts_at_nine_and_a_saturday_on_monday() -> None:
    assert received(london(2026, 6, 3, 7, 15)) == london(2026, 6, 3, 9, 0)
    assert deadline(london(2026, 6, 6, 11, 0), Target(2, "working_hours")) == london(2026, 6, 8, 11)


def test_a_time_given_in_utc_is_read_in_london_summer_time() -> None:
    # 15:30 UTC is 16:30 BST: the same Friday as above.
    raised = datetime(2026, 5, 22, 15, 30, tzinfo=UTC)
    assert deadline(raised, Target(2, "working_hours")) == london(2026, 5, 26, 10, 30)


def test_other_working_hours_are_a_setting() -> None:
    from datetime import time

    early = WorkingHours(opens=time(8), closes=time(16))
    assert deadline(london(2026, 6, 3, 15, 0), Target(2, "working_hours"), early) == london(
        2026, 6, 4, 9, 0
    )


def test_lateness_is_zero_in_time_and_counts_on_while_unanswered() -> None:
    due = london(2026, 5, 26, 10, 30)
    assert lateness(due, london(2026, 5, 26, 10, 30), now=due) == timedelta(0)
    assert lateness(due, london(2026, 5, 26, 13, 45), now=due) == timedelta(hours=3, minutes=15)
    assert lateness(due, None, now=london(2026, 5, 27, 10, 30)) == timedelta(days=1)


def test_durations_in_words() -> None:
    assert describe_duration(timedelta(hours=3, minutes=15)) == "3 hours 15 minutes"
    assert describe_duration(timedelta(days=1, hours=2, minutes=5)) == "1 day 2 hours"
    assert describe_duration(timedelta(minutes=1)) == "1 minute"
    assert describe_duration(timedelta(seconds=20)) == "less than a minute"
    assert Target(0, "working_days").describe() == "by the end of the same working day"
    assert Target(2, "working_hours").describe() == "within 2 working hours"
    assert Target(1, "hours").describe() == "within 1 hour"


def test_targets_are_checked() -> None:
    with pytest.raises(ValueError, match="unit"):
        Target(1, "weeks")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="positive"):
        Target(0, "hours")
    parsed = targets_from_settings(
        {"x": {"acknowledge": (1, "hours"), "respond": (3, "working_days")}}
    )
    assert parsed["x"]["respond"] == Target(3, "working_days")


def test_the_record_by_urgency_on_a_hand_table() -> None:
    """Four escalations, checked at noon on Monday 1 June 2026:

    * immediate A: acknowledged after 30 min (due 1 h), responded after 5 h (due 4 h): late;
    * immediate B: acknowledged after 2 h (due 1 h): late; responded after 3 h: in time;
    * same-day C: acknowledged in time, not responded, due 17:00 today: not measured yet;
    * same-day D: not acknowledged, due yesterday: measured and late on both.
    """
    now = london(2026, 6, 1, 12, 0)
    t0 = london(2026, 5, 29, 10, 0)
    h = timedelta(hours=1)
    timings = [
        Timing("immediate", t0, t0 + h, t0 + h / 2, t0 + 4 * h, t0 + 5 * h),
        Timing("immediate", t0, t0 + h, t0 + 2 * h, t0 + 4 * h, t0 + 3 * h),
        Timing("same_day", now - h, now + h, now - h / 2, london(2026, 6, 1, 17), None),
        Timing("same_day", t0, t0 + 2 * h, None, t0 + 7 * h, None),
    ]
    by_urgency, overall = summarise(timings, now, ["immediate", "same_day", "three_days"])
    immediate, same_day, three_days = by_urgency
    assert (
        immediate.raised,
        immediate.acknowledge.measured,
        immediate.acknowledge.within_target,
    ) == (2, 2, 1)
    assert immediate.acknowledge.median == timedelta(hours=1, minutes=15)
    assert immediate.respond.within_target == 1 and immediate.respond.median == 4 * h
    assert (same_day.raised, same_day.acknowledge.measured, same_day.acknowledge.within_target) == (
        2,
        2,
        1,
    )
    assert (same_day.respond.measured, same_day.respond.within_target) == (1, 0)
    assert same_day.respond.median is None
    assert three_days.raised == 0 and three_days.acknowledge.share_within_target is None
    assert overall.raised == 4
    assert overall.acknowledge.share_within_target == pytest.approx(2 / 4)
    assert overall.respond.share_within_target == pytest.approx(1 / 3)
    assert overall.respond.late == 2


def test_working_hours_in_words() -> None:
    from datetime import time

    from commissioning.escalations.targets import _clock

    assert [_clock(time(9)), _clock(time(17)), _clock(time(12, 30)), _clock(time(0))] == [
        "9am",
        "5pm",
        "12:30pm",
        "12am",
    ]
