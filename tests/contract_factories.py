"""factory_boy factories for procurement and contracts; test contracts use the payments core's
shipped example documents (``commissioning_analytics/payments/examples``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from commissioning.contracts.models import Contract, ContractParty
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.payments.loader import example_document
from tests.factories import CommissioningBodyFactory, ExerciseFactory, OrganisationFactory

EXAMPLE = "illustrative-supply-chain"


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    exercise = factory.SubFactory(ExerciseFactory)
    reference = factory.Sequence(lambda n: f"OPP-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Resettlement opportunity {n}")
    status = Opportunity.Status.AWARDED


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    opportunity = factory.SubFactory(OpportunityFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Accommodation lot {n}")
    estimated_annual_value = Decimal("600000.00")
    duration_months = 24


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract whose documents are the ``example`` mechanism and its observed data."""

    class Meta:
        model = Contract

    class Params:
        example = EXAMPLE

    reference = factory.Sequence(lambda n: f"CT-TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Resettlement contract {n}")
    commissioning_body = factory.SubFactory(CommissioningBodyFactory)
    lot = factory.SubFactory(
        LotFactory,
        opportunity__exercise__commissioning_body=factory.SelfAttribute("....commissioning_body"),
    )
    prime = factory.SubFactory(
        OrganisationFactory, is_prime=True, annual_income=Decimal("20000000.00")
    )
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2028, 3, 31)
    annual_value = Decimal("600000.00")
    mechanism = factory.LazyAttribute(lambda o: example_document(o.example))
    observed = factory.LazyAttribute(lambda o: example_document(f"{o.example}.observed"))
    assumptions = None


class ContractPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractParty

    contract = factory.SubFactory(ContractFactory)
    party_id = factory.Sequence(lambda n: f"party-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = ContractParty.Role.SUBCONTRACTOR


def contract_with_parties(**kwargs: Any) -> Contract:
    """A contract with one ContractParty per party of its mechanism: the commissioner is the
    commissioning body, the prime the prime, and each other party a new directory charity
    (small: £250,000 income, 14 months' reserves, from OrganisationFactory)."""
    contract: Contract = ContractFactory(**kwargs)
    for party in contract.mechanism["parties"]:
        role = party["role"]
        if role == "commissioner":
            organisation = contract.commissioning_body
        elif role == "prime":
            organisation = contract.prime
        else:
            organisation = OrganisationFactory(name=f"{party['name']} {contract.reference}")
        ContractPartyFactory(
            contract=contract,
            party_id=party["id"],
            organisation=organisation,
            role=role,
            services=f"Services of {party['name']}",
            promised_referrals_per_year=120 if role == "subcontractor" else None,
            promised_value_per_year=Decimal("90000.00") if role == "subcontractor" else None,
        )
    return contract
