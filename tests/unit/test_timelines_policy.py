"""The PRO-3 timeline policy: 8-week bid window (+4 weeks for consortium bids), answers before
the deadline, and automatic deadline moves. Dates below were worked out by hand on a calendar."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning_analytics.timelines.policy import (
    AnswerPublished,
    DateMoved,
    Timeline,
    TimelinePolicy,
    apply_change,
    check_timeline,
    minimum_deadline,
)

POLICY = TimelinePolicy()

# Published Mon 5 Jan 2026; questions by Fri 30 Jan; answers (5 working days later) by Fri 6 Feb;
# deadline Fri 6 Mar. 8 weeks from 5 Jan is Mon 2 Mar; 10 working days after 6 Feb is Fri 20 Feb.
BASE = Timeline(
    published_on=date(2026, 1, 5),
    question_deadline=date(2026, 1, 30),
    answers_by=date(2026, 2, 6),
    bid_deadline=date(2026, 3, 6),
)


def test_a_compliant_timeline_has_no_problems() -> None:
    assert check_timeline(BASE, POLICY) == ()
    floor, reasons = minimum_deadline(BASE, POLICY)
    assert floor == date(2026, 3, 2)
    assert "8 weeks" in reasons[0]


def test_a_deadline_change_leaving_less_than_8_weeks_moves_to_the_minimum() -> None:
    change = DateMoved("bid_deadline", date(2026, 2, 20), "Funding year ends early")
    outcome = apply_change(BASE, change, POLICY)
    assert outcome.deadline_moved
    assert outcome.minimum_deadline == date(2026, 3, 2)
    assert outcome.timeline.bid_deadline == date(2026, 3, 2)
    assert "Funding year ends early" in outcome.reasons[0]
    assert "at least 8 weeks" in outcome.reasons[-1]
    assert "Bid deadline moves to Monday 2 March 2026." in outcome.summary()


def test_a_deadline_moved_later_is_kept() -> None:
    outcome = apply_change(BASE, DateMoved("bid_deadline", date(2026, 3, 20), "More time"), POLICY)
    assert not outcome.deadline_moved
    assert outcome.timeline.bid_deadline == date(2026, 3, 20)
    assert outcome.summary().startswith("Bid deadline stays Friday 20 March 2026.")


def test_a_deadline_moved_to_a_bank_holiday_moves_to_the_next_working_day() -> None:
    change = DateMoved("bid_deadline", date(2026, 4, 3), "More time")  # Good Friday
    outcome = apply_change(BASE, change, POLICY)
    assert outcome.deadline_moved
    assert outcome.timeline.bid_deadline == date(2026, 4, 7)  # after Easter Monday
    assert outcome.reasons[-1] == "The deadline moves to the next working day."


def test_consortium_bids_need_12_weeks() -> None:
    consortium = Timeline(
        BASE.published_on, BASE.question_deadline, BASE.answers_by, BASE.bid_deadline, True
    )
    problems = check_timeline(consortium, POLICY)
    assert len(problems) == 1
    # 5 Jan + 12 weeks = Mon 30 March 2026.
    assert "Monday 30 March 2026 or later" in problems[0]
    assert "consortium or partnership bids are encouraged" in problems[0]


def test_the_window_floor_rolls_past_a_bank_holiday() -> None:
    # Published Mon 9 Feb 2026 + 12 weeks = Mon 4 May 2026, the early May bank holiday.
    timeline = Timeline(
        date(2026, 2, 9), date(2026, 3, 2), date(2026, 3, 9), date(2026, 5, 8), True
    )
    floor, _ = minimum_deadline(timeline, POLICY)
    assert floor == date(2026, 5, 5)


def test_a_delayed_publication_moves_the_deadline() -> None:
    change = DateMoved("published_on", date(2026, 1, 19), "Sign-off delayed")
    outcome = apply_change(BASE, change, POLICY)
    # 19 Jan + 8 weeks = Mon 16 March 2026.
    assert outcome.timeline.bid_deadline == date(2026, 3, 16)
    assert outcome.deadline_moved


def test_a_late_answer_moves_the_deadline_to_10_working_days_after_it() -> None:
    outcome = apply_change(BASE, AnswerPublished(date(2026, 2, 26)), POLICY)
    # Fri 27 Feb (1), 2–6 Mar (6), 9–12 Mar (10): Thu 12 March 2026.
    assert outcome.deadline_moved
    assert outcome.timeline.bid_deadline == date(2026, 3, 12)
    assert "published late on Thursday 26 February 2026" in outcome.reasons[-1]


def test_a_late_answer_that_leaves_enough_time_moves_nothing() -> None:
    outcome = apply_change(BASE, AnswerPublished(date(2026, 2, 10)), POLICY)
    assert not outcome.deadline_moved
    assert outcome.timeline == BASE


def test_a_late_answer_before_easter_counts_working_days_only() -> None:
    timeline = Timeline(date(2026, 1, 26), date(2026, 2, 27), date(2026, 3, 6), date(2026, 4, 1))
    outcome = apply_change(timeline, AnswerPublished(date(2026, 3, 25)), POLICY)
    # 26, 27, 30, 31 Mar, 1, 2 Apr (6), Good Friday and Easter Monday skipped, 7–10 Apr (10).
    assert outcome.timeline.bid_deadline == date(2026, 4, 10)


def test_a_later_question_deadline_moves_answers_and_then_the_deadline() -> None:
    outcome = apply_change(BASE, DateMoved("question_deadline", date(2026, 2, 13), "Q&A"), POLICY)
    assert outcome.answers_by_moved and not outcome.deadline_moved
    assert outcome.timeline.answers_by == date(2026, 2, 20)
    outcome = apply_change(BASE, DateMoved("question_deadline", date(2026, 2, 16), "Q&A"), POLICY)
    # Answers by Mon 23 Feb; 10 working days later is Mon 9 March.
    assert outcome.timeline.answers_by == date(2026, 2, 23)
    assert outcome.timeline.bid_deadline == date(2026, 3, 9)
    assert outcome.deadline_moved


def test_answers_by_moved_later_moves_the_deadline() -> None:
    change = DateMoved("answers_by", date(2026, 2, 27), "Legal review of answers")
    outcome = apply_change(BASE, change, POLICY)
    # 10 working days after Fri 27 Feb: Fri 13 March 2026.
    assert outcome.timeline.bid_deadline == date(2026, 3, 13)
    assert outcome.reasons[0] == "Answers by changed: Legal review of answers."


def test_check_timeline_flags_short_answer_time_and_a_weekend_deadline() -> None:
    rushed = Timeline(date(2026, 1, 5), date(2026, 1, 30), date(2026, 2, 2), date(2026, 3, 7))
    problems = check_timeline(rushed, POLICY)
    assert any("Friday 6 February 2026" in p for p in problems)
    assert any("working day" in p for p in problems)


def test_policy_settings_change_the_rules() -> None:
    relaxed = TimelinePolicy(min_bid_window_weeks=6, working_days_after_answers=5)
    floor, _ = minimum_deadline(BASE, relaxed)
    assert floor == date(2026, 2, 16)  # 5 Jan + 6 weeks
    with pytest.raises(ValueError):
        TimelinePolicy(min_bid_window_weeks=-1)


def test_dates_out_of_order_are_refused() -> None:
    muddled = Timeline(date(2026, 1, 5), date(2026, 3, 30), date(2026, 2, 6), date(2026, 3, 6))
    with pytest.raises(ValueError):
        check_timeline(muddled, POLICY)
    with pytest.raises(ValueError):
        apply_change(BASE, DateMoved("published_on", date(2026, 2, 1), "x"), POLICY)
