"""A quarterly social value report's status as one explicit state machine (EVA-3, LAW-1).

    submitted ──accept (a commissioner of the contract)──▶ accepted
    submitted ──query (a commissioner of the contract, with a question)──▶ queried
    queried ──report again (an approved member of the prime)──▶ submitted

An accepted figure is final. A queried one stays in the published table, marked as queried,
until the prime reports the quarter again. The table names each move's audit action, guard and
side effects; :func:`transition` is the only code that writes ``QuarterlyReport.status``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from commissioning.social_value.models import QuarterlyReport
from commissioning.transitions import Transition

Status = QuarterlyReport.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.SUBMITTED, Status.ACCEPTED): Transition(
        action="social_value.accept",
        guard="A commissioner of the contract.",
        effects=("the figure is final", "audit social_value.accept"),
    ),
    (Status.SUBMITTED, Status.QUERIED): Transition(
        action="social_value.query",
        guard="A commissioner of the contract, with a question.",
        effects=(
            "the figure is marked as queried in the published table",
            "audit social_value.query, with the question",
        ),
    ),
    (Status.QUERIED, Status.SUBMITTED): Transition(
        action="social_value.report",
        guard="An approved member of the prime, reporting the quarter again.",
        effects=("the new figure replaces the queried one", "audit social_value.report"),
    ),
}

#: The commissioner's decisions by the word the form uses.
DECISIONS = {"accept": Status.ACCEPTED, "query": Status.QUERIED}


def is_final(report: QuarterlyReport) -> bool:
    return Status(report.status) is Status.ACCEPTED


def is_queried(report: QuarterlyReport) -> bool:
    return Status(report.status) is Status.QUERIED


def problems(report: QuarterlyReport, target: Status) -> dict[str, str]:
    """Why ``report`` cannot move to ``target`` (empty when it can)."""
    current = Status(report.status)
    if (current, target) in TRANSITIONS:
        return {}
    if current is Status.ACCEPTED:
        return {"__all__": "This figure has been accepted: it can no longer change."}
    return {"__all__": f"This figure is already {current.label.lower()}."}


def transition(locked: QuarterlyReport, target: Status) -> Transition:
    """Write ``target`` to a report locked by the caller whose guards have passed; returns the
    move's table entry."""
    found = TRANSITIONS.get((Status(locked.status), target))
    if found is None:
        raise ValidationError(problems(locked, target))
    locked.status = target
    return found
