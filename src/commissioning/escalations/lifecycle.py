"""An escalation's status as one explicit state machine (REF-2; the pattern of issue 12).

    raised ──acknowledge──▶ acknowledged ──respond──▶ responded
    raised ──respond───────────────────────────────▶ responded   (acknowledged at the same time)

Probation acknowledges an escalation, then responds to it; responding straight away
acknowledges it too. ``responded`` is final. The table names each move's audit action, guard and
side effects; :func:`move` is the only code that writes ``Escalation.status`` and the services
run the guards (who may answer) inside the move's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.escalations.models import RESPONSE_MAX_LENGTH, Escalation
from commissioning.transitions import Transition

Status = Escalation.Status

_RESPOND = Transition(
    action="escalation.respond",
    guard="A probation practitioner of a probation body serving the contract, with the "
    "response (access.can_answer).",
    effects=("audit escalation.respond, with the time taken against the target",),
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.RAISED, Status.ACKNOWLEDGED): Transition(
        action="escalation.acknowledge",
        guard="A probation practitioner of a probation body serving the contract "
        "(access.can_answer).",
        effects=("audit escalation.acknowledge, with the time taken against the target",),
    ),
    (Status.ACKNOWLEDGED, Status.RESPONDED): _RESPOND,
    (Status.RAISED, Status.RESPONDED): _RESPOND,
}


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == Status(current)]


def problems(escalation: Escalation, target: Status, *, response: str = "") -> dict[str, str]:
    """Why ``escalation`` cannot move to ``target``, by form field (empty when it can)."""
    current = Status(escalation.status)
    if (current, target) not in TRANSITIONS:
        if current is Status.RESPONDED:
            return {"__all__": "This escalation has already been responded to."}
        return {"__all__": "This escalation has already been acknowledged."}
    if target is Status.RESPONDED:
        if not response.strip():
            return {"response": "Enter your response to the provider"}
        if len(response.strip()) > RESPONSE_MAX_LENGTH:
            return {"response": f"Response must be {RESPONSE_MAX_LENGTH} characters or fewer"}
    return {}


def move(
    locked: Escalation, target: Status, actor: User, now: datetime, *, response: str = ""
) -> Transition:
    """Write ``target`` and its stamps to an escalation locked by the caller, whose guards have
    passed; refuses a move the table does not allow (nothing written)."""
    refused = problems(locked, target, response=response)
    if refused:
        raise ValidationError(refused)
    current = Status(locked.status)
    fields = ["status"]
    if locked.acknowledged_at is None:
        locked.acknowledged_at, locked.acknowledged_by = now, actor
        fields += ["acknowledged_at", "acknowledged_by"]
    if target is Status.RESPONDED:
        locked.responded_at, locked.responded_by = now, actor
        locked.response = response.strip()
        fields += ["responded_at", "responded_by", "response"]
    locked.status = target
    locked.save(update_fields=fields)
    return TRANSITIONS[(current, target)]


def seeded(status: Status | str, **fields: Any) -> Escalation:
    """An unsaved escalation already in ``status``: synthetic demo data only, which records
    answers that were never given on the platform."""
    return Escalation(status=status, is_synthetic=True, **fields)
