"""The procurement timeline policy (PRO-3): a fair bid window and automatic deadline extension.

Seed 004 R2: "a minimum of two months … where partnership work is required or encouraged for
bidders, timescales should be longer"; R3: "if delays encroach on the time allotted for
developing bids, deadlines should be extended".

Rules, each a :class:`TimelinePolicy` setting:

1. the bid window (publication to bid deadline) is at least ``min_bid_window_weeks`` (8), plus
   ``consortium_extra_weeks`` (4) when consortium or partnership bids are encouraged;
2. the answers-published-by date is at least ``response_working_days`` working days after the
   question deadline (the guaranteed response time, PRO-4);
3. the bid deadline is at least ``working_days_after_answers`` working days after the
   answers-published-by date, and after any answer published late;
4. the bid deadline falls on a working day;
5. a qualifying planned procurement notice (UK3: published at least ``planned_notice_min_days``
   (40) days and at most ``planned_notice_max_days`` (365) days before the tender notice, PA 2023
   s.54 and Sch. 5) shortens the bid window of rule 1 to ``planned_notice_bid_window_weeks`` (4,
   plus the consortium weeks), as the Act shortens the minimum tender period; bidders still get
   the full window of rule 1 counted from the planned procurement notice (seed 004 R2's two
   months of notice stay whole, only earlier).

:func:`apply_change` takes a timeline and a change (a date moved, or a clarification answer
published on a given date) and returns the minimum compliant deadline, whether the deadline must
move automatically, and the reasons in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from commissioning_analytics.timelines.working_days import (
    add_working_days,
    next_working_day_on_or_after,
)

DateField = Literal["published_on", "question_deadline", "answers_by", "bid_deadline"]


@dataclass(frozen=True)
class TimelinePolicy:
    """Policy settings (PRO-3, PRO-4); the defaults follow seed 004 R2."""

    min_bid_window_weeks: int = 8
    consortium_extra_weeks: int = 4
    response_working_days: int = 5
    working_days_after_answers: int = 10
    planned_notice_min_days: int = 40
    planned_notice_max_days: int = 365
    planned_notice_bid_window_weeks: int = 4

    def __post_init__(self) -> None:
        values = (
            self.min_bid_window_weeks,
            self.consortium_extra_weeks,
            self.response_working_days,
            self.working_days_after_answers,
            self.planned_notice_min_days,
            self.planned_notice_max_days,
            self.planned_notice_bid_window_weeks,
        )
        if min(values) < 0:
            raise ValueError("timeline policy settings cannot be negative")

    def bid_window_weeks(self, consortium_encouraged: bool) -> int:
        extra = self.consortium_extra_weeks if consortium_encouraged else 0
        return self.min_bid_window_weeks + extra


@dataclass(frozen=True)
class Timeline:
    """An opportunity's published dates (dates in England & Wales); ``planned_notice_on`` is
    when its planned procurement notice (UK3) was published, if it was."""

    published_on: date
    question_deadline: date
    answers_by: date
    bid_deadline: date
    consortium_encouraged: bool = False
    planned_notice_on: date | None = None


def planned_notice_qualifies(timeline: Timeline, policy: TimelinePolicy) -> bool:
    """Whether the planned procurement notice may shorten the bid window (rule 5): published
    at least ``planned_notice_min_days`` and at most ``planned_notice_max_days`` days before the
    tender notice."""
    if timeline.planned_notice_on is None:
        return False
    lead = (timeline.published_on - timeline.planned_notice_on).days
    return policy.planned_notice_min_days <= lead <= policy.planned_notice_max_days


@dataclass(frozen=True)
class DateMoved:
    """A published date moved to ``new_date`` for ``reason``."""

    field: DateField
    new_date: date
    reason: str


@dataclass(frozen=True)
class AnswerPublished:
    """A clarification answer published on ``published_on`` (late if after ``answers_by``)."""

    published_on: date
    reason: str = "A clarification answer was published"


Change = DateMoved | AnswerPublished


@dataclass(frozen=True)
class ChangeOutcome:
    """What a change does to a timeline: the compliant ``timeline`` after it, the
    ``minimum_deadline`` the policy allows, whether the deadline had to ``move`` automatically
    (and whether the answers-published-by date did), and the reasons in words."""

    timeline: Timeline
    minimum_deadline: date
    deadline_moved: bool
    answers_by_moved: bool
    reasons: tuple[str, ...]

    def summary(self) -> str:
        head = (
            f"Bid deadline moves to {_long(self.timeline.bid_deadline)}."
            if self.deadline_moved
            else f"Bid deadline stays {_long(self.timeline.bid_deadline)}."
        )
        return " ".join([head, *self.reasons])


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _with_date(timeline: Timeline, field: DateField, day: date) -> Timeline:
    if field == "published_on":
        return replace(timeline, published_on=day)
    if field == "question_deadline":
        return replace(timeline, question_deadline=day)
    if field == "answers_by":
        return replace(timeline, answers_by=day)
    return replace(timeline, bid_deadline=day)


def _check_order(timeline: Timeline) -> None:
    if not (
        timeline.published_on
        <= timeline.question_deadline
        <= timeline.answers_by
        <= timeline.bid_deadline
    ):
        raise ValueError(
            "dates must run publication ≤ question deadline ≤ answers published ≤ bid deadline"
        )


def minimum_answers_by(timeline: Timeline, policy: TimelinePolicy) -> date:
    """The earliest answers-published-by date the guaranteed response time allows (rule 2)."""
    return add_working_days(timeline.question_deadline, policy.response_working_days)


def minimum_deadline(
    timeline: Timeline, policy: TimelinePolicy, late_answer_on: date | None = None
) -> tuple[date, tuple[str, ...]]:
    """The earliest compliant bid deadline (rules 1, 3 and 4), with the binding reason(s)."""
    weeks = policy.bid_window_weeks(timeline.consortium_encouraged)
    consortium = " because consortium or partnership bids are encouraged" if weeks > 8 else ""
    window_floor = next_working_day_on_or_after(timeline.published_on + timedelta(weeks=weeks))
    why_window = (
        f"the bid window must be at least {weeks} weeks{consortium} from publication on "
        f"{_long(timeline.published_on)}"
    )  # PRO-3 rule 1; requirement IDs stay out of the text people read
    if planned_notice_qualifies(timeline, policy):
        assert timeline.planned_notice_on is not None
        short = weeks - policy.min_bid_window_weeks + policy.planned_notice_bid_window_weeks
        short_floor = next_working_day_on_or_after(timeline.published_on + timedelta(weeks=short))
        notice_floor = next_working_day_on_or_after(
            timeline.planned_notice_on + timedelta(weeks=weeks)
        )
        window_floor = max(short_floor, notice_floor)
        why_window = (
            f"the planned procurement notice of {_long(timeline.planned_notice_on)} shortens "
            f"the bid window to at least {short} weeks{consortium} from publication on "
            f"{_long(timeline.published_on)}, and {weeks} weeks from that notice"
        )  # PRO-3 rule 5
    floors = [(window_floor, why_window)]
    answers_floor = add_working_days(timeline.answers_by, policy.working_days_after_answers)
    floors.append(
        (
            answers_floor,
            f"bidders need {policy.working_days_after_answers} working days after answers are "
            f"published on {_long(timeline.answers_by)}",  # PRO-3
        )
    )
    if late_answer_on is not None and late_answer_on > timeline.answers_by:
        floors.append(
            (
                add_working_days(late_answer_on, policy.working_days_after_answers),
                f"a clarification answer was published late on {_long(late_answer_on)}; bidders "
                f"need {policy.working_days_after_answers} working days after it",  # PRO-3, PRO-4
            )
        )
    best = max(day for day, _ in floors)
    return best, tuple(why for day, why in floors if day == best)


def apply_change(timeline: Timeline, change: Change, policy: TimelinePolicy) -> ChangeOutcome:
    """Apply ``change`` and move the answers-published-by date and the bid deadline where the
    policy requires (PRO-3: "when delays eat into bid time the deadline moves")."""
    _check_order(timeline)
    late_answer: date | None = None
    if isinstance(change, DateMoved):
        proposed = _with_date(timeline, change.field, change.new_date)
        reasons = [f"{change.field.replace('_', ' ').capitalize()} changed: {change.reason}."]
    else:
        proposed = timeline
        late_answer = change.published_on
        reasons = [f"{change.reason} on {_long(change.published_on)}."]
    if proposed.question_deadline < proposed.published_on:
        raise ValueError("the question deadline cannot be before publication")

    answers_floor = minimum_answers_by(proposed, policy)
    answers_by_moved = proposed.answers_by < answers_floor
    if answers_by_moved:
        proposed = replace(proposed, answers_by=answers_floor)
        reasons.append(
            f"Answers must be published by {_long(answers_floor)}: "
            f"{policy.response_working_days} working days after the question deadline."  # PRO-4
        )
    floor, why = minimum_deadline(proposed, policy, late_answer)
    deadline_moved = proposed.bid_deadline < floor
    if deadline_moved:
        proposed = replace(proposed, bid_deadline=floor)
        reasons.append(f"The deadline moves automatically because {'; and '.join(why)}.")
    elif (working := next_working_day_on_or_after(proposed.bid_deadline)) != proposed.bid_deadline:
        proposed = replace(proposed, bid_deadline=working)
        deadline_moved = True
        reasons.append("The deadline moves to the next working day.")
    return ChangeOutcome(proposed, floor, deadline_moved, answers_by_moved, tuple(reasons))


def check_timeline(timeline: Timeline, policy: TimelinePolicy) -> tuple[str, ...]:
    """Every way ``timeline`` breaks the policy, in words; empty when it complies."""
    _check_order(timeline)
    problems: list[str] = []
    answers_floor = minimum_answers_by(timeline, policy)
    if timeline.answers_by < answers_floor:
        problems.append(
            f"Answers must be published by {_long(answers_floor)} at the earliest: "
            f"{policy.response_working_days} working days after the question deadline."  # PRO-4
        )
    floor, why = minimum_deadline(timeline, policy)
    if timeline.bid_deadline < floor:
        problems.append(f"The bid deadline must be {_long(floor)} or later: {'; and '.join(why)}.")
    elif next_working_day_on_or_after(timeline.bid_deadline) != timeline.bid_deadline:
        problems.append("The bid deadline must fall on a working day.")
    return tuple(problems)
