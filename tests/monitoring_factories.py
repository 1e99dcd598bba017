"""A small world for report once (SUP-7): a charity that is a sub-contractor under a contract and
holds a grant from another commissioning body, with the people on each side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract, ContractParty
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement, GrantApplication, GrantRound
from tests.contract_factories import contract_with_parties
from tests.factories import ExerciseFactory, OrganisationFactory, member_of


@dataclass
class FundedCharity:
    charity: Organisation
    member: User
    contract: Contract
    commissioner: User
    prime_member: User
    agreement: GrantAgreement
    grant_funder: User
    outsider_commissioner: User
    outsider_member: User


def grant_agreement_for(
    organisation: Organisation, *, starts_on: date, ends_on: date
) -> tuple[GrantAgreement, User]:
    """An awarded grant with its agreement, made directly (the grant round's own journey is
    tested in grants); and a commissioner of the funding body."""
    exercise = ExerciseFactory()
    funder = member_of(exercise.commissioning_body, role=User.Role.COMMISSIONER)
    grant_round = GrantRound.objects.create(
        reference=f"{exercise.reference}-G1",
        exercise=exercise,
        title="Small grants for women's services",
        purpose="Local groups supporting women on probation.",
        eligibility="Registered charities in the area.",
        amount_available=Decimal("20000.00"),
        minimum_grant=Decimal("1000.00"),
        maximum_grant=Decimal("15000.00"),
        short_form_limit=Decimal("5000.00"),
        opens_on=date(2026, 1, 5),
        closes_on=date(2026, 2, 5),
        decision_by=date(2026, 3, 5),
        status=GrantRound.Status.DECIDED,
        created_by=funder,
    )
    application = GrantApplication.objects.create(
        grant_round=grant_round,
        organisation=organisation,
        title="Drop-in for women on release",
        activity="A weekly drop-in.",
        beneficiaries="Women leaving prison.",
        amount_requested=Decimal("4500.00"),
        difference="More women housed.",
        status=GrantApplication.Status.AWARDED,
        amount_awarded=Decimal("4500.00"),
        created_by=funder,
    )
    agreement = GrantAgreement.objects.create(
        application=application,
        amount=Decimal("4500.00"),
        starts_on=starts_on,
        ends_on=ends_on,
        monitoring_note="People helped each quarter.",
        made_by=funder,
    )
    return agreement, funder


def funded_charity() -> FundedCharity:
    """The contract runs from 1 April 2026; the grant from 1 July 2026 to 30 June 2027."""
    contract = contract_with_parties(start_date=date(2026, 4, 1), end_date=date(2028, 3, 31))
    party = contract.parties.filter(role=ContractParty.Role.SUBCONTRACTOR).first()
    assert party is not None and party.organisation is not None
    charity = party.organisation
    agreement, grant_funder = grant_agreement_for(
        charity, starts_on=date(2026, 7, 1), ends_on=date(2027, 6, 30)
    )
    outsider = OrganisationFactory(name="Another provider")
    return FundedCharity(
        charity=charity,
        member=member_of(charity),
        contract=contract,
        commissioner=member_of(contract.commissioning_body, role=User.Role.COMMISSIONER),
        prime_member=member_of(contract.prime),
        agreement=agreement,
        grant_funder=grant_funder,
        outsider_commissioner=member_of(
            ExerciseFactory().commissioning_body, role=User.Role.COMMISSIONER
        ),
        outsider_member=member_of(outsider),
    )
