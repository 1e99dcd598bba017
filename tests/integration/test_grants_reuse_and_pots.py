"""Grant applications reuse the organisation's core supplier information (LAW-5, issue 20
item 3), and a prime runs a small-grants pot inside its contract (CYC-6, CYC-5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.models import User
from commissioning.grants import services
from commissioning.grants.models import GrantRound
from commissioning.ringfences import services as ringfences
from commissioning.ringfences.models import RingFence
from tests.contract_factories import contract_with_parties
from tests.factories import ExerciseFactory, OrganisationFactory, client_for, member_of
from tests.grant_factories import SHORT, decide, open_round
from tests.supplier_information_factories import admin_of, recorded

pytestmark = pytest.mark.django_db


def test_an_application_records_the_supplier_information_current_when_sent() -> None:
    """The funder reads the version current at submission, not a later one, and the
    applicant is not asked for it again."""
    exercise = ExerciseFactory()
    commissioner = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    evaluator = member_of(exercise.commissioning_body, role=User.Role.EVALUATOR)
    grant_round = open_round(commissioner, evaluator, exercise)
    charity = OrganisationFactory(name="Northshire Resettlement Trust")
    applicant = admin_of(charity)
    first = recorded(charity, applicant)
    apply_page = client_for(applicant).get(f"/grants/{grant_round.reference}/apply/")
    assert "version 1, dated" in apply_page.content.decode()
    draft = services.save_application(
        applicant, grant_round, charity, {**SHORT, "amount_requested": "2000"}
    )
    assert draft.supplier_information is None
    sent = services.save_application(
        applicant, grant_round, charity, {**SHORT, "amount_requested": "2000"}, submit=True
    )
    assert sent.supplier_information == first
    later = recorded(charity, applicant, legal_name="Northshire Trust (renamed)")
    assert later.number == 2
    sent.refresh_from_db()
    assert sent.supplier_information_id == first.pk
    services.close_round(commissioner, grant_round)
    page = client_for(commissioner).get(sent.get_absolute_url()).content.decode()
    assert "As it stood when the application was sent: version 1" in page
    assert "Northshire Resettlement Trust" in page and "renamed" not in page


def _pot_cast() -> tuple[object, User, User]:
    contract = contract_with_parties()
    prime_lead = member_of(contract.prime)
    prime_panel = member_of(contract.prime)
    return contract, prime_lead, prime_panel


def test_a_prime_runs_a_small_grants_pot_through_the_pages() -> None:
    contract, prime_lead, prime_panel = _pot_cast()
    section = f"/ring-fences/contract/{contract.reference}/"
    page = client_for(prime_lead).get(section).content.decode()
    assert "Run a small-grants pot" in page
    response = client_for(prime_lead).post(
        f"{section}small-grants/new/",
        {
            "title": "Neighbourhood small grants",
            "purpose": "Local pieces of work with people on probation.",
            "eligibility": "Community groups in the contract area.",
            "amount_available": "10000",
            "minimum_grant": "250",
            "maximum_grant": "2500",
            "short_form_limit": "2500",
            "opens_on_0": "1",
            "opens_on_1": "5",
            "opens_on_2": "2026",
            "closes_on_0": "1",
            "closes_on_1": "6",
            "closes_on_2": "2026",
            "decision_by_0": "30",
            "decision_by_1": "6",
            "decision_by_2": "2026",
            "criteria": "Need: who it helps",
            "assessors": [str(prime_panel.pk)],
        },
    )
    pot = GrantRound.objects.get()
    assert response.status_code == 302 and response["Location"] == pot.get_absolute_url()
    assert pot.reference == f"{contract.reference}-SG1"
    assert pot.contract == contract and pot.funder == contract.prime
    assert list(pot.assessors.all()) == [prime_panel]
    # The prime runs its pot: to the contract's commissioner its draft is not there to open.
    commissioner = member_of(contract.commissioning_body, role=User.Role.COMMISSIONER)
    assert client_for(commissioner).post(f"/grants/{pot.reference}/open/").status_code == 404
    pot.refresh_from_db()
    assert pot.status == GrantRound.Status.DRAFT
    client_for(prime_lead).post(f"/grants/{pot.reference}/open/")
    pot.refresh_from_db()
    assert pot.status == GrantRound.Status.OPEN
    public = client_for(None).get(section).content.decode()
    assert "Neighbourhood small grants" in public
    round_page = client_for(None).get(pot.get_absolute_url()).content.decode()
    assert contract.prime.name in round_page
    api = client_for(None).get(f"/api/grants/rounds/{pot.reference}").json()
    assert api["funder"] == contract.prime.name


def test_a_pots_awards_count_against_the_contracts_small_local_grants_ring_fence() -> None:
    contract, prime_lead, prime_panel = _pot_cast()
    exercise = contract.lot.opportunity.exercise
    with pytest.raises(PermissionDenied):
        services.create_round(
            member_of(OrganisationFactory()),
            exercise,
            contract=contract,
            title="x",
            purpose="x",
            eligibility="x",
            amount_available="100",
            minimum_grant="10",
            maximum_grant="100",
            short_form_limit="100",
            opens_on=date(2026, 5, 1),
            closes_on=date(2026, 6, 1),
            decision_by=date(2026, 6, 30),
        )
    pot = open_round(prime_lead, prime_panel, exercise, contract=contract, amount="10000")
    with pytest.raises(ValidationError) as own:
        services.save_application(
            prime_lead, pot, contract.prime, {**SHORT, "amount_requested": "1000"}, submit=True
        )
    assert own.value.message_dict["organisation"] == [
        "The prime runs this pot: it cannot apply to it"
    ]
    commissioner = member_of(contract.commissioning_body, role=User.Role.COMMISSIONER)
    ring_fence = ringfences.create_ring_fence(
        commissioner,
        contract=contract,
        purpose=RingFence.Purpose.SMALL_LOCAL,
        amount="12000",
        ends_on=date(2027, 3, 31),
    )
    local = OrganisationFactory(name="Parkside Community Group", annual_income=Decimal("40000"))
    large = OrganisationFactory(name="Big Regional Charity", annual_income=Decimal("4000000"))
    decide(prime_lead, prime_panel, pot, [(local, "2000"), (large, "1500")])
    spent = ringfences.spend(ring_fence, date(2026, 9, 30))
    assert spent.committed == Decimal("3500.00")
    assert spent.committed_on_purpose == Decimal("2000.00")
    assert spent.off_purpose == Decimal("1500.00")
    # £12,000 × 183 ÷ 365 = £6,016.44 expected by 30 September: under-spent by £4,016.44
    assert spent.expected_by_now == Decimal("6016.44")
    assert spent.shortfall == Decimal("4016.44")
    assert list(ringfences.counted_rounds(ring_fence)) == [pot]
