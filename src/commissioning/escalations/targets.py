"""The response targets of settings (``ESCALATION_TARGETS``, ``ESCALATION_WORKING_HOURS``) as
the analytics core's :class:`Target` objects, and each escalation's standing against them (REF-2).
The arithmetic is in :mod:`commissioning_analytics.timelines.response_targets`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings

from commissioning.escalations.models import Escalation
from commissioning_analytics.timelines.response_targets import (
    Target,
    Timing,
    WorkingHours,
    deadline,
    describe_duration,
    lateness,
    targets_from_settings,
)

STEPS = ("acknowledge", "respond")


def working_hours() -> WorkingHours:
    opens, closes = settings.ESCALATION_WORKING_HOURS
    return WorkingHours(time.fromisoformat(opens), time.fromisoformat(closes))


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def describe_working_hours() -> str:
    """ "9am to 5pm", as the pages say it."""
    hours = working_hours()
    return f"{_clock(hours.opens)} to {_clock(hours.closes)}"


def targets() -> dict[str, dict[str, Target]]:
    return targets_from_settings(settings.ESCALATION_TARGETS)


def deadlines(urgency: str, raised_at: datetime) -> tuple[datetime, datetime]:
    """When acknowledgement and response are due for an escalation raised at ``raised_at``."""
    by_step = targets()[urgency]
    hours = working_hours()
    return (
        deadline(raised_at, by_step["acknowledge"], hours),
        deadline(raised_at, by_step["respond"], hours),
    )


@dataclass(frozen=True)
class Standing:
    """One step of one escalation against its target, as the pages show it."""

    step: str
    target: str
    due: datetime
    done_at: datetime | None
    late: bool
    text: str
    """"Within target", "Late by 2 hours 5 minutes", "Due by …" or "Overdue by …"."""


def standing(escalation: Escalation, step: str, now: datetime) -> Standing:
    due = escalation.acknowledge_by if step == "acknowledge" else escalation.respond_by
    done_at = escalation.acknowledged_at if step == "acknowledge" else escalation.responded_at
    late_by = lateness(due, done_at, now)
    if done_at is not None:
        text = f"Late by {describe_duration(late_by)}" if late_by else "Within target"
    elif late_by:
        text = f"Overdue by {describe_duration(late_by)}"
    else:
        text = "Not yet due"
    target = targets().get(escalation.urgency, {}).get(step)
    return Standing(
        step=step,
        target=target.describe() if target else "",
        due=due,
        done_at=done_at,
        late=bool(late_by),
        text=text,
    )


def timing(escalation: Escalation) -> Timing:
    return Timing(
        urgency=escalation.urgency,
        raised_at=escalation.raised_at,
        acknowledge_by=escalation.acknowledge_by,
        acknowledged_at=escalation.acknowledged_at,
        respond_by=escalation.respond_by,
        responded_at=escalation.responded_at,
    )
