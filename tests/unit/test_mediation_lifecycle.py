"""A mediation request's lifecycle (SUP-3): requested → accepted → resolved or not resolved;
requested → declined or withdrawn; the four ends are final; accepting names a mediator,
declining gives a reason, closing records the outcome."""

from __future__ import annotations

import pytest

from commissioning.mediation import lifecycle
from commissioning.mediation.models import MEDIATOR_MAX_LENGTH, MediationRequest

Status = MediationRequest.Status
FINAL = (Status.RESOLVED, Status.NOT_RESOLVED, Status.DECLINED, Status.WITHDRAWN)


def request(status: Status) -> MediationRequest:
    return MediationRequest(status=status)


def test_the_transition_table() -> None:
    assert lifecycle.allowed_next(Status.REQUESTED) == [
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    ]
    assert lifecycle.allowed_next(Status.ACCEPTED) == [Status.RESOLVED, Status.NOT_RESOLVED]
    for final in FINAL:
        assert lifecycle.allowed_next(final) == []
    for transition in lifecycle.TRANSITIONS.values():
        assert transition.action.startswith("mediation.") and transition.guard


@pytest.mark.parametrize("final", FINAL)
def test_nothing_leaves_a_final_state(final: Status) -> None:
    for target in Status:
        assert "__all__" in lifecycle.problems(request(final), target, text="x")


def test_an_outcome_waits_for_the_mediation_to_start() -> None:
    assert lifecycle.problems(request(Status.REQUESTED), Status.RESOLVED, text="Agreed") == {
        "__all__": "The mediation has not started yet: accept the request first."
    }


@pytest.mark.parametrize(
    ("source", "target", "field"),
    [
        (Status.REQUESTED, Status.ACCEPTED, "mediator"),
        (Status.REQUESTED, Status.DECLINED, "reason"),
        (Status.ACCEPTED, Status.RESOLVED, "outcome"),
        (Status.ACCEPTED, Status.NOT_RESOLVED, "outcome"),
    ],
)
def test_each_step_by_the_reviewer_needs_its_text(
    source: Status, target: Status, field: str
) -> None:
    assert set(lifecycle.problems(request(source), target, text="  ")) == {field}
    assert lifecycle.problems(request(source), target, text="Given") == {}


def test_a_mediators_name_has_a_limit() -> None:
    too_long = "x" * (MEDIATOR_MAX_LENGTH + 1)
    assert lifecycle.problems(request(Status.REQUESTED), Status.ACCEPTED, text=too_long) == {
        "mediator": f"This must be {MEDIATOR_MAX_LENGTH} characters or fewer"
    }


def test_withdrawing_needs_no_text() -> None:
    assert lifecycle.problems(request(Status.REQUESTED), Status.WITHDRAWN) == {}
