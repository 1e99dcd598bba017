"""A mediation request's status as one explicit state machine (SUP-3; the pattern of issue 12).

    requested ──accept──▶ accepted ──resolve──▶ resolved
                              └────not resolve──▶ not_resolved
    requested ──decline──▶ declined
    requested ──withdraw─▶ withdrawn

The independent reviewer accepts a request naming the mediator, or declines it with a reason,
then records how the mediation ended; the sub-contractor may withdraw it while it waits.
``resolved``, ``not_resolved``, ``declined`` and ``withdrawn`` are final. :func:`move` is the only
code that writes ``MediationRequest.status``; the services run the guards (who may move it,
:mod:`.access`) inside the move's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.mediation.models import MEDIATOR_MAX_LENGTH, TEXT_MAX_LENGTH, MediationRequest
from commissioning.transitions import Transition

Status = MediationRequest.Status

_BY_REVIEWER = "An independent reviewer (access.can_review)."
_NOTIFY = "notify the members of the sub-contractor and of the prime"

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.REQUESTED, Status.ACCEPTED): Transition(
        action="mediation.accept",
        guard=_BY_REVIEWER + " Names the mediator.",
        effects=("audit mediation.accept", _NOTIFY),
    ),
    (Status.REQUESTED, Status.DECLINED): Transition(
        action="mediation.decline",
        guard=_BY_REVIEWER + " Gives the reason.",
        effects=("audit mediation.decline", _NOTIFY),
    ),
    (Status.REQUESTED, Status.WITHDRAWN): Transition(
        action="mediation.withdraw",
        guard="An approved member of the sub-contractor that asked (access.can_withdraw).",
        effects=("audit mediation.withdraw", _NOTIFY),
    ),
    (Status.ACCEPTED, Status.RESOLVED): Transition(
        action="mediation.resolve",
        guard=_BY_REVIEWER + " Records the outcome agreed.",
        effects=("audit mediation.resolve", _NOTIFY),
    ),
    (Status.ACCEPTED, Status.NOT_RESOLVED): Transition(
        action="mediation.not_resolved",
        guard=_BY_REVIEWER + " Records why it was not resolved.",
        effects=("audit mediation.not_resolved", _NOTIFY),
    ),
}

_FINAL_STATE = {
    Status.RESOLVED: "This mediation has already been resolved.",
    Status.NOT_RESOLVED: "This mediation has already ended without a resolution.",
    Status.DECLINED: "This request has already been declined.",
    Status.WITHDRAWN: "This request has been withdrawn.",
}

_REQUIRED_TEXT = {
    Status.ACCEPTED: ("mediator", "Enter the name of the mediator", MEDIATOR_MAX_LENGTH),
    Status.DECLINED: ("reason", "Enter why the request is declined", TEXT_MAX_LENGTH),
    Status.RESOLVED: ("outcome", "Enter the outcome agreed", TEXT_MAX_LENGTH),
    Status.NOT_RESOLVED: ("outcome", "Enter why the dispute was not resolved", TEXT_MAX_LENGTH),
}


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == Status(current)]


def problems(request: MediationRequest, target: Status, *, text: str = "") -> dict[str, str]:
    """Why ``request`` cannot move to ``target``, by form field (empty when it can)."""
    current = Status(request.status)
    if (current, target) not in TRANSITIONS:
        if current in _FINAL_STATE:
            return {"__all__": _FINAL_STATE[current]}
        if current is Status.ACCEPTED:
            return {"__all__": "This request has already been accepted for mediation."}
        return {"__all__": "The mediation has not started yet: accept the request first."}
    if target in _REQUIRED_TEXT:
        field, missing, limit = _REQUIRED_TEXT[target]
        if not text.strip():
            return {field: missing}
        if len(text.strip()) > limit:
            return {field: f"This must be {limit} characters or fewer"}
    return {}


def move(
    locked: MediationRequest, target: Status, actor: User, now: datetime, *, text: str = ""
) -> Transition:
    """Write ``target`` and its stamps to a request locked by the caller, whose guards have
    passed; refuses a move the table does not allow (nothing written)."""
    refused = problems(locked, target, text=text)
    if refused:
        raise ValidationError(refused)
    current = Status(locked.status)
    text = text.strip()
    fields = ["status"]
    if target is Status.ACCEPTED:
        locked.decided_at, locked.decided_by, locked.mediator = now, actor, text
        fields += ["decided_at", "decided_by", "mediator"]
    elif target is Status.DECLINED:
        locked.decided_at, locked.decided_by, locked.decline_reason = now, actor, text
        fields += ["decided_at", "decided_by", "decline_reason"]
    elif target is Status.WITHDRAWN:
        locked.withdrawn_at, locked.withdrawn_by = now, actor
        fields += ["withdrawn_at", "withdrawn_by"]
    else:
        locked.concluded_at, locked.concluded_by, locked.outcome = now, actor, text
        fields += ["concluded_at", "concluded_by", "outcome"]
    locked.status = target
    locked.save(update_fields=fields)
    return TRANSITIONS[(current, target)]


def seeded(status: Status | str, **fields: Any) -> MediationRequest:
    """An unsaved request already in ``status``: synthetic demo data only."""
    return MediationRequest(status=status, is_synthetic=True, **fields)
