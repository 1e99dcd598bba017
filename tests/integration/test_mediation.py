"""Mediation between a sub-contractor and its prime (SUP-3): a sub-contractor's member asks, the
prime is told, the independent reviewer accepts naming a mediator and records the outcome; every
step is dated, attributed and audited, refused from the wrong state (400) or by the wrong person
(403) with nothing written; nobody outside the dispute reads a request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.mediation import services
from commissioning.mediation.models import MediationRequest
from commissioning.notifications.models import Notification
from tests.contract_factories import ContractPartyFactory, contract_with_parties
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of

pytestmark = pytest.mark.django_db
Status = MediationRequest.Status


@dataclass
class Cast:
    contract: Contract
    subcontractor: Organisation
    sub_member: User
    prime_member: User
    commissioner: User
    reviewer: User
    outsider: User


@pytest.fixture
def c() -> Cast:
    contract = contract_with_parties()
    party = contract.parties.filter(role=ContractParty.Role.SUBCONTRACTOR).first()
    assert party is not None and party.organisation is not None
    return Cast(
        contract=contract,
        subcontractor=party.organisation,
        sub_member=member_of(party.organisation, username="sub-worker"),
        prime_member=member_of(contract.prime, username="prime-worker"),
        commissioner=member_of(
            contract.commissioning_body, role=User.Role.COMMISSIONER, username="commissioner"
        ),
        reviewer=UserFactory(role=User.Role.REVIEWER, username="reviewer"),
        outsider=member_of(OrganisationFactory(name="Unrelated charity"), username="outsider"),
    )


ASK = {
    "category": "payment",
    "what_happened": "Our invoices for the last two quarters have been paid 75 days late.",
    "outcome_sought": "Payment within the 30 days the sub-contract says.",
}


def _ask(c: Cast) -> MediationRequest:
    return services.ask(c.sub_member, c.contract, subcontractor=None, **ASK)


def _snapshot() -> tuple[list[Any], int, int]:
    rows = list(MediationRequest.objects.order_by("pk").values())
    return rows, AuditEvent.objects.count(), Notification.objects.count()


def test_a_subcontractor_asks_the_prime_is_told_and_the_reviewer_mediates_to_an_outcome(
    c: Cast,
) -> None:
    sub = client_for(c.sub_member)
    contract_page = sub.get(c.contract.get_absolute_url()).text
    ask_url = reverse("mediation:ask", args=[c.contract.reference])
    assert ask_url in contract_page
    assert ask_url not in client_for(c.prime_member).get(c.contract.get_absolute_url()).text

    response = sub.post(ask_url, {"subcontractor": c.subcontractor.pk, **ASK})
    made = MediationRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert (made.status, made.subcontractor, made.prime) == (
        Status.REQUESTED,
        c.subcontractor,
        c.contract.prime,
    )
    assert made.requested_by == c.sub_member and made.requested_at is not None
    told = Notification.objects.filter(kind="mediation.requested")
    assert set(told.values_list("user__username", flat=True)) == {
        "prime-worker",
        "sub-worker",
        "reviewer",
    }
    # The notice leaves the platform by email: it never carries what happened.
    assert not told.filter(body__contains="75 days").exists()
    assert AuditEvent.objects.filter(action="mediation.request").count() == 1

    reviewer = client_for(c.reviewer)
    open_list = reverse("mediation:open")
    assert f'href="{open_list}"' in reviewer.get(made.get_absolute_url()).text  # the menu
    assert f'href="{open_list}"' not in sub.get(made.get_absolute_url()).text
    assert made.get_absolute_url() in reviewer.get(open_list).text
    response = reviewer.post(
        reverse("mediation:accept", args=[made.pk]), {"mediator": "Jo Bloggs, Mediation Ltd"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.mediator, made.decided_by) == (
        Status.ACCEPTED,
        "Jo Bloggs, Mediation Ltd",
        c.reviewer,
    )
    assert set(
        Notification.objects.filter(kind="mediation.accepted").values_list(
            "user__username", flat=True
        )
    ) == {"prime-worker", "sub-worker"}

    response = reviewer.post(
        reverse("mediation:outcome", args=[made.pk]),
        {"resolved": "yes", "outcome": "The prime pays within 30 days from April."},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.RESOLVED and made.concluded_by == c.reviewer
    assert made.outcome == "The prime pays within 30 days from April."
    assert list(
        AuditEvent.objects.filter(target_id=str(made.pk), action__startswith="mediation.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["mediation.request", "mediation.accept", "mediation.resolve"]
    assert Notification.objects.filter(kind="mediation.resolved").count() == 2

    page = client_for(c.prime_member).get(made.get_absolute_url()).text
    assert "Jo Bloggs, Mediation Ltd" in page and "30 days from April" in page
    assert "3 steps" in page
    assert made.get_absolute_url() not in reviewer.get(reverse("mediation:open")).text


def test_the_reviewer_declines_or_records_no_resolution_and_the_subcontractor_withdraws(
    c: Cast,
) -> None:
    declined = _ask(c)
    services.decline(c.reviewer, declined, "This is a matter for the contract's commissioner.")
    declined.refresh_from_db()
    assert declined.status == Status.DECLINED and declined.decided_by == c.reviewer
    withdrawn = _ask(c)
    response = client_for(c.sub_member).post(reverse("mediation:withdraw", args=[withdrawn.pk]))
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.withdrawn_by == c.sub_member
    ended = _ask(c)
    services.accept(c.reviewer, ended, "Sam Smith")
    services.conclude(c.reviewer, ended, resolved=False, outcome="The prime would not attend.")
    ended.refresh_from_db()
    assert ended.status == Status.NOT_RESOLVED and ended.outcome == "The prime would not attend."


def test_nobody_outside_the_dispute_reads_a_request(c: Cast) -> None:
    made = _ask(c)
    for user in (c.sub_member, c.prime_member, c.commissioner, c.reviewer):
        assert client_for(user).get(made.get_absolute_url()).status_code == 200, user.username
    assert client_for(c.outsider).get(made.get_absolute_url()).status_code == 403
    for user in (c.outsider, c.sub_member, c.prime_member):
        assert client_for(user).get(reverse("mediation:open")).status_code == 403
    anonymous = Client().get(made.get_absolute_url())
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]


def test_the_prime_and_outsiders_cannot_ask(c: Cast) -> None:
    ask_url = reverse("mediation:ask", args=[c.contract.reference])
    for user in (c.prime_member, c.outsider, c.reviewer, c.commissioner):
        client = client_for(user)
        assert client.get(ask_url).status_code == 403, user.username
        assert client.post(ask_url, ASK).status_code == 403, user.username
        with pytest.raises(PermissionDenied):
            services.ask(user, c.contract, subcontractor=c.contract.prime, **ASK)
    assert not MediationRequest.objects.exists()


def test_a_prime_also_named_as_a_subcontractor_still_cannot_ask_against_itself(c: Cast) -> None:
    ContractPartyFactory(
        contract=c.contract,
        party_id="prime-as-sub",
        organisation=c.contract.prime,
        role=ContractParty.Role.SUBCONTRACTOR,
    )
    ask_url = reverse("mediation:ask", args=[c.contract.reference])
    assert client_for(c.prime_member).get(ask_url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.ask(c.prime_member, c.contract, subcontractor=c.contract.prime, **ASK)
    assert not MediationRequest.objects.exists()


def test_an_incomplete_request_is_refused_with_each_problem(c: Cast) -> None:
    response = client_for(c.sub_member).post(
        reverse("mediation:ask", args=[c.contract.reference]),
        {"subcontractor": c.subcontractor.pk, "category": "", "what_happened": " "},
    )
    assert response.status_code == 400
    for problem in (
        "Select what the dispute is about",
        "Enter what happened",
        "Enter the outcome you seek",
    ):
        assert problem in response.text
    assert not MediationRequest.objects.exists()


def test_each_step_by_the_wrong_person_is_refused_with_nothing_written(c: Cast) -> None:
    made = _ask(c)
    steps = {
        "accept": {"mediator": "Jo Bloggs"},
        "decline": {"reason": "No."},
        "outcome": {"resolved": "yes", "outcome": "Agreed."},
    }
    before = _snapshot()
    for user in (c.sub_member, c.prime_member, c.commissioner):
        for step, data in steps.items():
            response = client_for(user).post(reverse(f"mediation:{step}", args=[made.pk]), data)
            assert response.status_code == 403, (user.username, step)
    for user in (c.prime_member, c.commissioner, c.reviewer):
        assert (
            client_for(user).post(reverse("mediation:withdraw", args=[made.pk])).status_code == 403
        )
    assert (
        client_for(c.outsider)
        .post(reverse("mediation:accept", args=[made.pk]), steps["accept"])
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.accept(c.prime_member, made, "Jo Bloggs")
    assert _snapshot() == before


def test_each_step_from_the_wrong_state_is_refused_with_nothing_written(c: Cast) -> None:
    made = _ask(c)
    reviewer = client_for(c.reviewer)
    before = _snapshot()
    # Not yet accepted: no outcome can be recorded.
    response = reviewer.post(
        reverse("mediation:outcome", args=[made.pk]), {"resolved": "yes", "outcome": "Agreed."}
    )
    assert response.status_code == 400
    assert "The mediation has not started yet" in response.text
    # Accepting needs the mediator's name.
    response = reviewer.post(reverse("mediation:accept", args=[made.pk]), {"mediator": " "})
    assert response.status_code == 400 and "Enter the name of the mediator" in response.text
    assert _snapshot() == before

    services.accept(c.reviewer, made, "Jo Bloggs")
    before = _snapshot()
    for step, data in (
        ("accept", {"mediator": "Someone else"}),
        ("decline", {"reason": "Too late."}),
    ):
        response = reviewer.post(reverse(f"mediation:{step}", args=[made.pk]), data)
        assert response.status_code == 400, step
        assert "already been accepted" in response.text
    response = client_for(c.sub_member).post(reverse("mediation:withdraw", args=[made.pk]))
    assert response.status_code == 400 and "already been accepted" in response.text
    assert _snapshot() == before

    services.conclude(c.reviewer, made, resolved=True, outcome="Agreed.")
    before = _snapshot()
    with pytest.raises(ValidationError, match="already been resolved"):
        services.conclude(c.reviewer, made, resolved=False, outcome="Changed our minds.")
    assert _snapshot() == before


def test_a_second_open_request_for_the_same_dispute_is_refused(c: Cast) -> None:
    _ask(c)
    with pytest.raises(ValidationError, match="already has an open mediation request"):
        _ask(c)
    assert MediationRequest.objects.count() == 1
