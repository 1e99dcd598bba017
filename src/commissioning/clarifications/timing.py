"""When a clarification answer is due and whether it is overdue (PRO-4): plain functions over
the analytics core's :class:`~commissioning_analytics.timelines.clarifications.ResponseTime`
(England & Wales working days and bank holidays). No database here, so unit tests need none.
"""

from __future__ import annotations

from datetime import date, datetime

from commissioning_analytics.timelines.clarifications import ResponseTime
from commissioning_analytics.timelines.working_days import london_date


def due_date(asked_at: datetime, working_days: int) -> date:
    """The last London date on which the answer is on time: ``working_days`` working days after
    the day the question counts as received (the next working day when asked on a weekend, a
    bank holiday or after 17:00)."""
    return ResponseTime(working_days).due(asked_at)


def is_overdue(due_on: date, now: datetime, answered_at: datetime | None = None) -> bool:
    """Late: answered after ``due_on`` (London date), or unanswered once a day after it began."""
    moment = answered_at if answered_at is not None else now
    return london_date(moment) > due_on


def long_date(day: date) -> str:
    """``Wednesday 30 December 2026`` (GOV.UK date style)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def overdue_label(due_on: date) -> str:
    return f"Overdue: answer was due by {long_date(due_on)}"
