"""The commissioning cycle as a state machine (CYC-1, CYC-4): every pair of stages, no database."""

from __future__ import annotations

import itertools

import pytest

from commissioning.exercises.lifecycle import (
    STAGE_ORDER,
    Stage,
    StepStatus,
    TransitionError,
    allowed_next,
    check_transition,
    cycle_number,
    cycle_progress,
    is_backward,
    is_restart,
)

S = Stage
FORWARD = {(S.ASSESS_NEED, S.PLAN), (S.PLAN, S.PROCURE), (S.PROCURE, S.DELIVER)}
FORWARD |= {(S.DELIVER, S.REVIEW)}
BACKWARD = {(S.PLAN, S.ASSESS_NEED), (S.PROCURE, S.PLAN)}
RESTART = {(S.REVIEW, S.ASSESS_NEED)}
ALLOWED = FORWARD | BACKWARD | RESTART
ALL_PAIRS = list(itertools.product(Stage, Stage))


def test_the_cycle_runs_assess_plan_procure_deliver_review() -> None:
    assert [s.label for s in STAGE_ORDER] == [
        "Assess need",
        "Plan",
        "Procure",
        "Deliver",
        "Review",
    ]


@pytest.mark.parametrize(("current", "target"), sorted(FORWARD | RESTART))
def test_forward_moves_and_the_restart_need_no_reason(current: Stage, target: Stage) -> None:
    check_transition(current, target, "")


@pytest.mark.parametrize(("current", "target"), sorted(BACKWARD))
def test_moving_back_needs_a_reason(current: Stage, target: Stage) -> None:
    with pytest.raises(TransitionError, match="Give a reason") as refused:
        check_transition(current, target, "   ")
    assert refused.value.field == "reason"
    check_transition(current, target, "The plan needs rework after market engagement")


@pytest.mark.parametrize(("current", "target"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_every_other_pair_is_refused_even_with_a_reason(current: Stage, target: Stage) -> None:
    with pytest.raises(TransitionError) as refused:
        check_transition(current, target, "Because")
    assert refused.value.field == "stage"
    assert current.label in refused.value.message


@pytest.mark.parametrize("stage", list(Stage))
def test_staying_put_is_not_a_move(stage: Stage) -> None:
    with pytest.raises(TransitionError, match="already at"):
        check_transition(stage, stage, "reason")


@pytest.mark.parametrize("current", list(Stage))
def test_allowed_next_lists_exactly_the_allowed_targets_in_cycle_order(current: Stage) -> None:
    expected = [target for target in STAGE_ORDER if (current, target) in ALLOWED]
    assert allowed_next(current) == expected


def test_refusal_names_where_the_exercise_can_go() -> None:
    with pytest.raises(TransitionError) as refused:
        check_transition(S.ASSESS_NEED, S.DELIVER, "")
    assert "“Plan”" in str(refused.value)
    assert "“Deliver”" in str(refused.value)


def test_review_to_assess_need_restarts_the_cycle_and_is_not_backward() -> None:
    assert is_restart(S.REVIEW, S.ASSESS_NEED)
    assert not is_backward(S.REVIEW, S.ASSESS_NEED)
    assert not any(is_restart(c, t) for c, t in ALL_PAIRS if (c, t) != (S.REVIEW, S.ASSESS_NEED))


@pytest.mark.parametrize(("current", "target"), sorted(BACKWARD))
def test_backward_pairs_are_backward(current: Stage, target: Stage) -> None:
    assert is_backward(current, target)


def test_cycle_number_counts_restarts_only() -> None:
    history = [("", "assess_need"), ("assess_need", "plan"), ("plan", "assess_need")]
    assert cycle_number(history) == 1
    history += [("assess_need", "plan"), ("plan", "procure"), ("procure", "deliver")]
    history += [("deliver", "review"), ("review", "assess_need")]
    assert cycle_number(history) == 2


@pytest.mark.parametrize("current", list(Stage))
def test_progress_marks_done_current_and_upcoming(current: Stage) -> None:
    steps = cycle_progress(current)
    assert [stage for stage, _ in steps] == list(STAGE_ORDER)
    position = STAGE_ORDER.index(current)
    assert [status for _, status in steps] == (
        [StepStatus.DONE] * position
        + [StepStatus.CURRENT]
        + [StepStatus.UPCOMING] * (len(STAGE_ORDER) - position - 1)
    )
