"""Rule 5 of the timeline policy (issue 11 item 9, PRO-3, PA 2023 s.54): a planned procurement
notice (UK3) published 40 days to 12 months before the tender notice shortens the bid window to
4 weeks (8 when consortium bids are encouraged), never below the full window counted from the
UK3. Dates worked out by hand on a calendar."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from commissioning_analytics.timelines.policy import (
    Timeline,
    TimelinePolicy,
    check_timeline,
    minimum_deadline,
    planned_notice_qualifies,
)

POLICY = TimelinePolicy()

# Published Mon 5 Jan 2026; questions by Fri 9 Jan; answers by Fri 16 Jan (5 working days);
# 10 working days after the answers is Fri 30 Jan; 4 weeks from 5 Jan is Mon 2 Feb, 8 weeks
# Mon 2 Mar, 12 weeks Mon 30 Mar.
SHORT = Timeline(
    published_on=date(2026, 1, 5),
    question_deadline=date(2026, 1, 9),
    answers_by=date(2026, 1, 16),
    bid_deadline=date(2026, 2, 2),
)


@pytest.mark.parametrize(
    ("planned", "qualifies"),
    [
        (None, False),
        (date(2025, 12, 1), False),  # 35 days before: too late to count
        (date(2025, 11, 26), True),  # exactly 40 days
        (date(2025, 1, 5), True),  # exactly 365 days
        (date(2025, 1, 4), False),  # more than 12 months before
    ],
)
def test_which_planned_notices_qualify(planned: date | None, qualifies: bool) -> None:
    assert planned_notice_qualifies(replace(SHORT, planned_notice_on=planned), POLICY) is qualifies


def test_a_qualifying_planned_notice_allows_a_four_week_bid_window() -> None:
    timeline = replace(SHORT, planned_notice_on=date(2025, 11, 19))  # 47 days before
    assert check_timeline(timeline, POLICY) == ()
    floor, reasons = minimum_deadline(timeline, POLICY)
    assert floor == date(2026, 2, 2)
    assert "planned procurement notice of Wednesday 19 November 2025" in reasons[0]
    assert "at least 4 weeks" in reasons[0]


def test_without_a_qualifying_notice_the_same_window_is_refused() -> None:
    for planned in (None, date(2025, 12, 1)):
        timeline = replace(SHORT, planned_notice_on=planned)
        assert minimum_deadline(timeline, POLICY)[0] == date(2026, 3, 2)
        problems = check_timeline(timeline, POLICY)
        assert problems and problems[0].startswith(
            "The bid deadline must be Monday 2 March 2026 or later"
        )


def test_consortium_bids_keep_their_extra_weeks() -> None:
    timeline = replace(SHORT, planned_notice_on=date(2025, 11, 19), consortium_encouraged=True)
    assert minimum_deadline(timeline, POLICY)[0] == date(2026, 3, 2)  # 8 weeks, not 12
    assert minimum_deadline(replace(timeline, planned_notice_on=None), POLICY)[0] == date(
        2026, 3, 30
    )


def test_the_full_window_still_runs_from_the_planned_notice() -> None:
    """With a policy whose shortened window is shorter than the notice's lead, the full window
    counted from the UK3 binds: bidders never get less notice in all."""
    policy = TimelinePolicy(planned_notice_bid_window_weeks=1, working_days_after_answers=0)
    timeline = replace(SHORT, planned_notice_on=date(2025, 11, 26))  # 40 days before
    # 1 week from Mon 5 Jan is 12 Jan; answers by 16 Jan; 8 weeks from Wed 26 Nov is Wed 21 Jan.
    floor, reasons = minimum_deadline(timeline, policy)
    assert floor == date(2026, 1, 21)
    assert "and 8 weeks from that notice" in reasons[0]


def test_the_reasons_people_read_carry_no_requirement_ids() -> None:
    """Issue 11 item 23: requirement IDs (PRO-3, PRO-4) belong in docstrings, not in the text
    the commissioner reads."""
    late = replace(SHORT, bid_deadline=date(2026, 1, 26), answers_by=date(2026, 1, 12))
    for planned in (None, date(2025, 11, 19)):
        timeline = replace(late, planned_notice_on=planned)
        texts = [*check_timeline(timeline, POLICY), *minimum_deadline(timeline, POLICY)[1]]
        assert texts
        assert not [text for text in texts if re.search(r"\b[A-Z]{3}-\d", text)], texts
