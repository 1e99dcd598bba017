"""A monitoring return's status as one explicit state machine (SUP-7; the pattern of issue 12).

    draft ──submit (a member, once the quarter has ended)──▶ submitted
    submitted | corrected ──correct (a member, with a reason)──▶ corrected

A submitted return is never edited silently: each change after submission keeps a
:class:`~commissioning.monitoring.models.Correction` with the reason, who and when, and what the
return said before. :func:`submit`, :func:`correct` and :func:`seed` are the only code that
writes ``MonitoringReturn.status``.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.monitoring.models import MonitoringReturn
from commissioning.transitions import Transition

Status = MonitoringReturn.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.DRAFT, Status.SUBMITTED): Transition(
        action="monitoring_return.submit",
        guard="An approved member of the organisation, after the quarter has ended, with "
        "people served, outputs and outcomes, and consent for every case study.",
        effects=("each funder sees the parts it is entitled to",),
    ),
    (Status.SUBMITTED, Status.CORRECTED): Transition(
        action="monitoring_return.correct",
        guard="An approved member of the organisation, with a reason.",
        effects=("the previous figures kept with the reason, who and when",),
    ),
    (Status.CORRECTED, Status.CORRECTED): Transition(
        action="monitoring_return.correct",
        guard="An approved member of the organisation, with a reason.",
        effects=("the previous figures kept with the reason, who and when",),
    ),
}


def is_draft(monitoring_return: MonitoringReturn) -> bool:
    return Status(monitoring_return.status) is Status.DRAFT


def submit_problems(monitoring_return: MonitoringReturn, today: date) -> dict[str, str]:
    """Why the return cannot be submitted today, by form field (empty when it can)."""
    if not is_draft(monitoring_return):
        return {"__all__": "This return has already been submitted."}
    end = monitoring_return.quarter_end
    if end >= today:
        return {
            "__all__": f"The quarter ends on {end.day} {end:%B %Y}: submit its return after that."
        }
    problems: dict[str, str] = {}
    if monitoring_return.people_served is None:
        problems["people_served"] = "Enter how many people you served in the quarter"
    if not monitoring_return.outputs.strip():
        problems["outputs"] = "Enter what you delivered in the quarter"
    if not monitoring_return.outcomes.strip():
        problems["outcomes"] = "Enter what changed for the people you served"
    return problems


def submit(locked: MonitoringReturn, actor: User, now: datetime) -> Transition:
    """Write submitted (with who and when) to a draft locked by the caller whose guards passed."""
    transition = TRANSITIONS.get((Status(locked.status), Status.SUBMITTED))
    if transition is None:
        raise ValidationError({"__all__": "This return has already been submitted."})
    locked.status = Status.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = actor
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return transition


def correct(locked: MonitoringReturn) -> Transition:
    """Write corrected to a submitted (or already corrected) return locked by the caller."""
    transition = TRANSITIONS.get((Status(locked.status), Status.CORRECTED))
    if transition is None:
        raise ValidationError({"__all__": "A draft is changed, not corrected: submit it first."})
    locked.status = Status.CORRECTED
    return transition


def seed(monitoring_return: MonitoringReturn, status: Status) -> None:
    """Save a synthetic demo return in ``status``: a history that never ran on the platform."""
    assert monitoring_return.is_synthetic, "only synthetic demo returns are seeded"
    monitoring_return.status = status
    monitoring_return.save()
