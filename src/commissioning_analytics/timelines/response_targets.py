"""Response targets for escalations (REF-2): when an answer is due, whether it came in time, and
a body's record over many escalations.

A target is an amount and a unit:

* ``hours``: clock hours from the moment of raising, day or night (for the most urgent: risk does
  not wait for office hours);
* ``working_hours``: hours counted only inside the working day (``WorkingHours``, 09:00 to 17:00
  Europe/London by default) on working days (Monday to Friday, not an England & Wales bank
  holiday). Raised outside them, the clock starts when the next working day opens;
* ``working_days``: by the close of the ``n``-th working day after the working day it was received
  on; ``0`` is the close of that same working day. Raised after the close or on a day that is
  not a working day, it is received on the next working day.

The record (:func:`summarise`) counts, for each urgency, the escalations raised, the share
acknowledged and the share responded to within target, and the median times taken. An escalation
counts towards a share once it is answered or its deadline has passed unanswered (then it is
late); one still within its time is not counted yet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from commissioning_analytics.timelines.working_days import (
    LONDON,
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
)

Unit = Literal["hours", "working_hours", "working_days"]
UNITS: tuple[Unit, ...] = ("hours", "working_hours", "working_days")


@dataclass(frozen=True)
class WorkingHours:
    """The working day's opening and closing times, Europe/London."""

    opens: time = time(9)
    closes: time = time(17)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError("the working day must open before it closes")

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.opens, tzinfo=LONDON)

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.closes, tzinfo=LONDON)


@dataclass(frozen=True)
class Target:
    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"a target's unit is one of {', '.join(UNITS)}")
        if self.amount < 0 or (self.amount == 0 and self.unit != "working_days"):
            raise ValueError("a target needs a positive amount (0 only for working days)")

    def describe(self) -> str:
        """The target in words, as the pages show it."""
        if self.unit == "working_days" and self.amount == 0:
            return "by the end of the same working day"
        words = {"hours": "hour", "working_hours": "working hour", "working_days": "working day"}
        noun = words[self.unit] + ("" if self.amount == 1 else "s")
        return f"within {self.amount} {noun}"


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(LONDON)


def received(moment: datetime, hours: WorkingHours = WorkingHours()) -> datetime:
    """When the working clock starts for something raised at ``moment``: the moment itself inside
    working hours, otherwise the opening of the next working day (Europe/London)."""
    local = _aware(moment)
    day = local.date()
    if is_working_day(day) and local < hours.closing(day):
        return max(local, hours.opening(day))
    following = (
        add_working_days(day, 1) if is_working_day(day) else next_working_day_on_or_after(day)
    )
    return hours.opening(following)


def deadline(raised_at: datetime, target: Target, hours: WorkingHours = WorkingHours()) -> datetime:
    """When an answer to something raised at ``raised_at`` is due under ``target`` (Europe/London;
    see the module docstring for each unit)."""
    if target.unit == "hours":
        return (_aware(raised_at).astimezone(UTC) + timedelta(hours=target.amount)).astimezone(
            LONDON
        )
    start = received(raised_at, hours)
    if target.unit == "working_days":
        day = start.date()
        return hours.closing(add_working_days(day, target.amount) if target.amount else day)
    remaining = timedelta(hours=target.amount)
    cursor = start
    while True:
        # Wall-clock arithmetic inside one working day (London time; no working day has a
        # change of the clocks in it).
        available = hours.closing(cursor.date()) - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
        cursor = hours.opening(add_working_days(cursor.date(), 1))


def lateness(due: datetime, done_at: datetime | None, now: datetime) -> timedelta:
    """How late an answer was (or, while there is none, is so far): zero when in time."""
    moment = done_at if done_at is not None else now
    late = _aware(moment).astimezone(UTC) - _aware(due).astimezone(UTC)
    return max(late, timedelta(0))


def describe_duration(span: timedelta) -> str:
    """``timedelta(days=1, hours=2)`` → "1 day 2 hours"; minutes only under a day; under a
    minute, "less than a minute"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours_part, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'' if days == 1 else 's'}")
    if hours_part:
        parts.append(f"{hours_part} hour{'' if hours_part == 1 else 's'}")
    if mins and not days:
        parts.append(f"{mins} minute{'' if mins == 1 else 's'}")
    return " ".join(parts)


@dataclass(frozen=True)
class Timing:
    """One escalation as the record sees it."""

    urgency: str
    raised_at: datetime
    acknowledge_by: datetime
    acknowledged_at: datetime | None
    respond_by: datetime
    responded_at: datetime | None


@dataclass(frozen=True)
class Measure:
    """One step (acknowledge or respond) over a group of escalations."""

    measured: int
    """Answered, or past the deadline unanswered."""
    within_target: int
    median: timedelta | None
    """The median time from raising to the answer, over those answered."""

    @property
    def late(self) -> int:
        return self.measured - self.within_target

    @property
    def share_within_target(self) -> float | None:
        return self.within_target / self.measured if self.measured else None


@dataclass(frozen=True)
class Record:
    urgency: str
    raised: int
    acknowledge: Measure
    respond: Measure


@dataclass
class _Tally:
    measured: int = 0
    within: int = 0
    taken: list[float] = field(default_factory=list)

    def add(
        self, raised_at: datetime, due: datetime, done_at: datetime | None, now: datetime
    ) -> None:
        if done_at is None and now <= due:
            return
        self.measured += 1
        if done_at is not None:
            self.taken.append((done_at - raised_at).total_seconds())
            self.within += int(done_at <= due)

    def measure(self) -> Measure:
        median = timedelta(seconds=statistics.median(self.taken)) if self.taken else None
        return Measure(self.measured, self.within, median)


def summarise(
    timings: Iterable[Timing], now: datetime, urgencies: Sequence[str] = ()
) -> tuple[list[Record], Record]:
    """The record for each urgency (in the order of ``urgencies``, then any others, each listed
    even when none were raised) and for all of them together."""
    groups: dict[str, tuple[list[int], _Tally, _Tally]] = {
        u: ([0], _Tally(), _Tally()) for u in urgencies
    }
    overall = ([0], _Tally(), _Tally())
    for timing in timings:
        group = groups.setdefault(timing.urgency, ([0], _Tally(), _Tally()))
        for count, acknowledged, responded in (group, overall):
            count[0] += 1
            acknowledged.add(timing.raised_at, timing.acknowledge_by, timing.acknowledged_at, now)
            responded.add(timing.raised_at, timing.respond_by, timing.responded_at, now)

    def record(urgency: str, parts: tuple[list[int], _Tally, _Tally]) -> Record:
        return Record(urgency, parts[0][0], parts[1].measure(), parts[2].measure())

    return [record(u, parts) for u, parts in groups.items()], record("", overall)


def targets_from_settings(
    configured: Mapping[str, Mapping[str, Sequence[object]]],
) -> dict[str, dict[str, Target]]:
    """``{"immediate": {"acknowledge": (1, "hours"), ...}}`` as :class:`Target` objects, checked."""
    result: dict[str, dict[str, Target]] = {}
    for urgency, steps in configured.items():
        result[urgency] = {}
        for step in ("acknowledge", "respond"):
            amount, unit = steps[step]
            result[urgency][step] = Target(int(str(amount)), unit)  # type: ignore[arg-type]
    return result
