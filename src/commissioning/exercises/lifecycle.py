"""The commissioning cycle as one explicit state machine (style.md convention 3, CYC-1).

Assess need → plan → procure → deliver → review, and from review back to assess need
(re-commissioning, CYC-4). Framework-free: the service layer applies it and records history.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    ASSESS_NEED = "assess_need"
    PLAN = "plan"
    PROCURE = "procure"
    DELIVER = "deliver"
    REVIEW = "review"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.ASSESS_NEED: "Assess need",
    Stage.PLAN: "Plan",
    Stage.PROCURE: "Procure",
    Stage.DELIVER: "Deliver",
    Stage.REVIEW: "Review",
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
    """A stage change the cycle does not allow."""


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
        raise TransitionError("Give a reason for moving the exercise back a stage.")


def allowed_next(current: Stage) -> list[Stage]:
    return sorted(TRANSITIONS[current], key=STAGE_ORDER.index)
