"""A concern's status as one explicit state machine (SUP-5; the pattern of issue 12).

    received ──acknowledge──▶ acknowledged ──review──▶ under review ──refer──▶ referred
                                   │                       │                     │
                                   └───────────close (with an outcome)───────────┘──▶ closed

Every move is a reviewer's, carries a message to the reporter, and is audited with the reviewer
as actor (the reporter is never an actor). :func:`move` is the only code that writes
``Concern.status``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from commissioning.concerns.models import Concern
from commissioning.transitions import Transition

Status = Concern.Status

_CLOSE = Transition(
    action="concern.close",
    guard="An independent reviewer with an unlocked key, with an outcome and a message.",
    effects=("message to the reporter", "counts towards the published summary"),
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.RECEIVED, Status.ACKNOWLEDGED): Transition(
        action="concern.acknowledge",
        guard="An independent reviewer with an unlocked key, with a message.",
        effects=("message to the reporter", "stops the 7-day acknowledgement clock"),
    ),
    (Status.ACKNOWLEDGED, Status.UNDER_REVIEW): Transition(
        action="concern.review",
        guard="An independent reviewer with an unlocked key, with a message.",
        effects=("message to the reporter",),
    ),
    (Status.UNDER_REVIEW, Status.REFERRED): Transition(
        action="concern.refer",
        guard="An independent reviewer, naming mediation or a regulator and what is sent.",
        effects=("message to the reporter", "a referral record of what was sent"),
    ),
    (Status.ACKNOWLEDGED, Status.CLOSED): _CLOSE,
    (Status.UNDER_REVIEW, Status.CLOSED): _CLOSE,
    (Status.REFERRED, Status.CLOSED): _CLOSE,
}


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == Status(current)]


def problems(
    concern: Concern, target: Status, *, message: str, outcome: str = ""
) -> dict[str, str]:
    """Why ``concern`` cannot move to ``target``, by form field (empty when it can)."""
    current = Status(concern.status)
    if (current, target) not in TRANSITIONS:
        if current is Status.CLOSED:
            return {"__all__": "This concern is closed."}
        return {"__all__": f"A concern that is {current.label.lower()} cannot be moved there."}
    refused: dict[str, str] = {}
    if not message.strip():
        refused["message"] = "Enter a message to the reporter"
    if target is Status.CLOSED and outcome not in Concern.Outcome.values:
        refused["outcome"] = "Choose the outcome"
    return refused


def move(
    locked: Concern, target: Status, today: date, *, message: str, outcome: str = ""
) -> Transition:
    """Write ``target`` and its dates to a concern locked by the caller; refuses a move the
    table does not allow (nothing written)."""
    refused = problems(locked, target, message=message, outcome=outcome)
    if refused:
        raise ValidationError(refused)
    current = Status(locked.status)
    fields = ["status"]
    if locked.acknowledged_on is None:
        locked.acknowledged_on = today
        fields.append("acknowledged_on")
    if target is Status.CLOSED:
        locked.closed_on, locked.outcome = today, outcome
        fields += ["closed_on", "outcome"]
    locked.status = target
    locked.save(update_fields=fields)
    return TRANSITIONS[(current, target)]
