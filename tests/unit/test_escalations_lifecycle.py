"""An escalation's lifecycle (REF-2): raised → acknowledged → responded, or raised → responded;
responded is final; a response needs text. And an API token's: active → revoked, final."""

from __future__ import annotations

import pytest

from commissioning.escalations import lifecycle
from commissioning.escalations.models import RESPONSE_MAX_LENGTH, Escalation
from commissioning.service_accounts import lifecycle as token_lifecycle

Status = Escalation.Status


def escalation(status: Status) -> Escalation:
    return Escalation(status=status)


def test_the_transition_table() -> None:
    assert set(lifecycle.TRANSITIONS) == {
        (Status.RAISED, Status.ACKNOWLEDGED),
        (Status.ACKNOWLEDGED, Status.RESPONDED),
        (Status.RAISED, Status.RESPONDED),
    }
    assert lifecycle.allowed_next(Status.RAISED) == [Status.ACKNOWLEDGED, Status.RESPONDED]
    assert lifecycle.allowed_next(Status.RESPONDED) == []
    for transition in lifecycle.TRANSITIONS.values():
        assert transition.action.startswith("escalation.") and transition.guard


def test_acknowledge_only_once() -> None:
    assert lifecycle.problems(escalation(Status.RAISED), Status.ACKNOWLEDGED) == {}
    assert lifecycle.problems(escalation(Status.ACKNOWLEDGED), Status.ACKNOWLEDGED) == {
        "__all__": "This escalation has already been acknowledged."
    }


@pytest.mark.parametrize("current", [Status.RAISED, Status.ACKNOWLEDGED])
def test_a_response_needs_its_text(current: Status) -> None:
    assert lifecycle.problems(escalation(current), Status.RESPONDED, response="  ") == {
        "response": "Enter your response to the provider"
    }
    too_long = "x" * (RESPONSE_MAX_LENGTH + 1)
    assert "response" in lifecycle.problems(
        escalation(current), Status.RESPONDED, response=too_long
    )
    assert lifecycle.problems(escalation(current), Status.RESPONDED, response="Seen.") == {}


def test_responded_is_final() -> None:
    for target in (Status.ACKNOWLEDGED, Status.RESPONDED):
        assert lifecycle.problems(escalation(Status.RESPONDED), target, response="x") == {
            "__all__": "This escalation has already been responded to."
        }


def test_a_token_is_revoked_once() -> None:
    token_status = token_lifecycle.Status
    assert set(token_lifecycle.TRANSITIONS) == {(token_status.ACTIVE, token_status.REVOKED)}
