"""Clarification questions' guaranteed response time in working days (PRO-4, seed 004 R4).

A question is *deemed received* on the England & Wales date it arrived, or on the next working
day when it arrived on a weekend, a bank holiday or after the daily cut-off (17:00 London time by
default). Its answer is *due* ``response_working_days`` working days after that day, by the end
of the day in London; it is *overdue* once a London day after the due date has begun without an
answer (or when the answer came after the due date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from commissioning_analytics.timelines.working_days import (
    LONDON,
    add_working_days,
    london_date,
    next_working_day_on_or_after,
)

DEFAULT_CUTOFF = time(17, 0)
"""Questions arriving at or after this London time count from the next working day."""


@dataclass(frozen=True)
class ResponseTime:
    """A published guaranteed response time (PRO-4)."""

    working_days: int
    cutoff: time = DEFAULT_CUTOFF

    def __post_init__(self) -> None:
        if self.working_days < 1:
            raise ValueError("the guaranteed response time must be at least one working day")

    def deemed_received(self, asked_at: datetime) -> date:
        """The working day a question counts as received (see the module docstring)."""
        local = london_date(asked_at)
        after_cutoff = asked_at.astimezone(LONDON).time() >= self.cutoff
        start = next_working_day_on_or_after(local)
        if after_cutoff and start == local:
            return add_working_days(local, 1)
        return start

    def due(self, asked_at: datetime) -> date:
        """The last London date on which the answer is on time."""
        return add_working_days(self.deemed_received(asked_at), self.working_days)

    def is_overdue(
        self, asked_at: datetime, now: datetime, answered_at: datetime | None = None
    ) -> bool:
        """Whether the answer is late: answered after the due date, or unanswered after it."""
        due = self.due(asked_at)
        if answered_at is not None:
            return london_date(answered_at) > due
        return london_date(now) > due
