"""A clarification question's status as one explicit state machine (PRO-3, PRO-4; issue 12).

    awaiting ──answer──▶ answered
    awaiting ──close───▶ withdrawn | duplicate

Every move leaves ``awaiting`` and every other state is final. The table names each move's
audit action, guard and side effects; :mod:`commissioning.clarifications.services` runs the
guards that need input (the published wording, the reason, the question duplicated) and the side
effects, and :func:`move` here is the only code that writes ``Question.status``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from commissioning.clarifications.models import Question
from commissioning.transitions import Transition

Status = Question.Status


_CLOSE = Transition(
    action="clarification.close",
    guard="A commissioner of the body, with a reason that is published in place of an answer "
    "(and, for a duplicate, another question on the same opportunity).",
    effects=("audit clarification.close",),
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    # PRO-4 (published wording, asker never named unless confirmed); PRO-3 (late answers).
    (Status.AWAITING, Status.ANSWERED): Transition(
        action="clarification.answer",
        guard="A commissioner of the body, with an answer and the wording to publish, naming "
        "no registered organisation or person unless confirmed.",
        effects=(
            "audit clarification.answer",
            "notice clarifications.answered to interest holders and the asker",
            "bid deadline moved when the answer is late",
        ),
    ),
    (Status.AWAITING, Status.WITHDRAWN): _CLOSE,
    (Status.AWAITING, Status.DUPLICATE): _CLOSE,
}

CLOSING: tuple[Status, ...] = (Status.WITHDRAWN, Status.DUPLICATE)
"""The outcomes of closing a question without an answer."""


def move(locked: Question, target: Status | str, *, field: str, **changes: Any) -> Transition:
    """Write ``target`` and ``changes`` to a question locked by the caller: the only writer of
    ``Question.status``. Refused (as an error on the form's ``field``) unless the table has the
    move, i.e. unless the question is still awaiting an answer."""
    current = Status(locked.status)
    transition = TRANSITIONS.get((current, Status(target)))
    if transition is None:
        raise ValidationError({field: f"This question is already {current.label.lower()}"})
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = Status(target)
    locked.save(update_fields=["status", *changes])
    return transition
