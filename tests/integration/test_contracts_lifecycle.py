"""The contract's lifecycle module (PBR-1, SUP-1; issue 12): an active contract ends on or after
its end date, or is terminated early with a reason; both are final, audited, and written only by
the lifecycle."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.contracts import lifecycle
from commissioning.contracts.models import Contract
from tests.contract_factories import ContractFactory
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

Status = Contract.Status
LAST_DAY = date(2028, 3, 31)  # the factory's end date


def _commissioner(contract: Contract) -> User:
    return member_of(contract.commissioning_body, role=User.Role.COMMISSIONER)


def test_the_table_ends_or_terminates_an_active_contract_only() -> None:
    """Issue 15: a mobilising contract only becomes active; only an active one closes."""
    assert set(lifecycle.TRANSITIONS) == {
        (Status.MOBILISING, Status.ACTIVE),
        (Status.ACTIVE, Status.ENDED),
        (Status.ACTIVE, Status.TERMINATED),
    }
    assert lifecycle.allowed_next(Status.ENDED) == []
    assert lifecycle.allowed_next(Status.MOBILISING) == [Status.ACTIVE]


def test_a_contract_ends_only_once_its_term_is_over() -> None:
    contract = ContractFactory()
    assert contract.end_date == LAST_DAY
    commissioner = _commissioner(contract)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(commissioner, contract, Status.ENDED, today=date(2028, 3, 30))
    assert info.value.message_dict == {
        "status": ["The contract runs until 31 March 2028: end it early by terminating it."]
    }
    contract.refresh_from_db()
    assert contract.status == Status.ACTIVE
    lifecycle.transition(commissioner, contract, Status.ENDED, today=LAST_DAY)
    contract.refresh_from_db()
    assert contract.status == Status.ENDED
    event = AuditEvent.objects.get(action="contract.end")
    assert event.changes == {"status": {"from": "active", "to": "ended"}}
    with pytest.raises(ValidationError, match="has ended: it can no longer change"):
        lifecycle.transition(commissioner, contract, Status.TERMINATED, reason="x", today=LAST_DAY)


def test_early_termination_needs_a_reason_and_a_commissioner_of_the_body() -> None:
    contract = ContractFactory()
    commissioner = _commissioner(contract)
    early = date(2027, 6, 1)
    with pytest.raises(PermissionDenied):
        lifecycle.transition(
            member_of(OrganisationFactory()), contract, Status.TERMINATED, reason="r", today=early
        )
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(commissioner, contract, Status.TERMINATED, reason=" ", today=early)
    assert info.value.message_dict == {"reason": ["Enter why the contract is ending early"]}
    with pytest.raises(ValidationError, match="term ended on 31 March 2028: mark it ended"):
        lifecycle.transition(commissioner, contract, Status.TERMINATED, reason="r", today=LAST_DAY)
    lifecycle.transition(
        commissioner, contract, Status.TERMINATED, reason="The provider closed.", today=early
    )
    assert contract.status == Status.TERMINATED
    event = AuditEvent.objects.get(action="contract.terminate")
    assert event.changes["reason"] == {"from": "", "to": "The provider closed."}
