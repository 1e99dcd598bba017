"""The commissioning cycle as one explicit state machine (style.md convention 3, CYC-1).

Assess need → plan → procure → deliver → review, and from review back to assess need
(re-commissioning, CYC-4). Framework-free: :func:`commissioning.exercises.services.change_stage`
applies it, records the history and audits it; :func:`write` here is the only code that writes
an exercise's ``stage`` (issue 12).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    ASSESS_NEED = "assess_need"
    PLAN = "plan"
    PROCURE = "procure"
    DELIVER = "deliver"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def description(self) -> str:
        return STAGE_DESCRIPTIONS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.ASSESS_NEED: "Assess need",
    Stage.PLAN: "Plan",
    Stage.PROCURE: "Procure",
    Stage.DELIVER: "Deliver",
    Stage.REVIEW: "Review",
}

STAGE_DESCRIPTIONS: dict[Stage, str] = {
    Stage.ASSESS_NEED: "Understand the needs of the people the service is for, with providers.",
    Stage.PLAN: "Plan the service, its budget and how it will be bought.",
    Stage.PROCURE: "Run the tender or grant round and award.",
    Stage.DELIVER: "The service is delivered and its contract managed.",
    Stage.REVIEW: "Review outcomes and feedback to inform the next cycle.",
}

STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.ASSESS_NEED: frozenset({Stage.PLAN}),
    Stage.PLAN: frozenset({Stage.PROCURE, Stage.ASSESS_NEED}),
    Stage.PROCURE: frozenset({Stage.DELIVER, Stage.PLAN}),
    Stage.DELIVER: frozenset({Stage.REVIEW}),
    Stage.REVIEW: frozenset({Stage.ASSESS_NEED}),
}
"""Forward one stage; back from plan or procure when a plan is reworked; review restarts the
cycle. Stepping back always needs a reason (see :func:`check_transition`)."""


class TransitionError(ValueError):
    """A stage change the cycle does not allow.

    ``field`` names the input the message belongs to (``"stage"`` or ``"reason"``), so forms and
    the API can show the error next to it.
    """

    def __init__(self, message: str, field: str = "stage") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def is_backward(current: Stage, target: Stage) -> bool:
    return STAGE_ORDER.index(target) < STAGE_ORDER.index(current) and not (
        current is Stage.REVIEW and target is Stage.ASSESS_NEED
    )


def check_transition(current: Stage, target: Stage, reason: str) -> None:
    if target == current:
        raise TransitionError(f"The exercise is already at the “{current.label}” stage.")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(f"“{s.label}”" for s in allowed_next(current))
        raise TransitionError(
            f"An exercise at “{current.label}” can move only to {allowed}, not “{target.label}”."
        )
    if is_backward(current, target) and not reason.strip():
        raise TransitionError("Give a reason for moving the exercise back a stage.", field="reason")


def write(locked: Any, target: Stage, *, caller: Any = None) -> None:
    """Write ``target`` to an exercise locked by the caller whose move has been checked (see
    :func:`check_transition`): the only writer of ``stage``. ``caller`` is the caller's copy of
    the exercise, brought up to date too."""
    current = Stage(locked.stage)
    if target not in TRANSITIONS[current]:
        raise TransitionError(f"An exercise at “{current.label}” cannot move to “{target.label}”.")
    locked.stage = target.value
    locked.save(update_fields=["stage", "updated_at"])
    if caller is not None:
        caller.stage = locked.stage
        caller.updated_at = locked.updated_at


def seeded(record: Any, stage: Stage | str) -> Any:
    """``record``, a new exercise not yet saved, placed at ``stage``: synthetic demo data only,
    which records cycles that never ran on the platform. A real exercise starts at assess need
    (the field's default)."""
    record.stage = Stage(stage).value
    return record


def allowed_next(current: Stage) -> list[Stage]:
    return sorted(TRANSITIONS[current], key=STAGE_ORDER.index)


def is_restart(current: Stage, target: Stage) -> bool:
    """Review → assess need: the next commissioning cycle begins (re-commissioning, CYC-4)."""
    return current is Stage.REVIEW and target is Stage.ASSESS_NEED


class StepStatus(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"


def cycle_progress(current: Stage) -> list[tuple[Stage, StepStatus]]:
    """Every stage of the cycle in order, marked done, current or upcoming relative to
    ``current`` (within the present cycle: a restart begins again at assess need)."""
    position = STAGE_ORDER.index(current)
    steps: list[tuple[Stage, StepStatus]] = []
    for index, stage in enumerate(STAGE_ORDER):
        if index < position:
            status = StepStatus.DONE
        elif index == position:
            status = StepStatus.CURRENT
        else:
            status = StepStatus.UPCOMING
        steps.append((stage, status))
    return steps


def cycle_number(history: list[tuple[str, str]]) -> int:
    """Which commissioning cycle an exercise is in, from its ``(from, to)`` stage history: 1, plus
    one for every restart from review to assess need."""
    return 1 + sum(
        1
        for from_stage, to_stage in history
        if from_stage == Stage.REVIEW.value and to_stage == Stage.ASSESS_NEED.value
    )
