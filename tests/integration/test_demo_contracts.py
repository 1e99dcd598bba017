"""The synthetic demo contracts (PBR-1 .. PBR-6, SUP-1): one contract per kind of mechanism,
every document valid, money conserved, parties that are real synthetic organisations, the demo
commissioner's and provider's organisations involved, and idempotent replacement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from commissioning.contracts import services
from commissioning.contracts.models import Contract, ContractParty
from commissioning.demo.contracts import (
    EXERCISE_MARKER,
    delete_demo_contracts,
    load_demo_contracts,
)
from commissioning.demo.services import load_market
from commissioning.demo.users import demo_organisations
from commissioning.directory.models import Organisation
from commissioning.exercises.models import CommissioningExercise
from commissioning.opendata.sources import contract as contract_ocds
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.market.synthetic import generate_market

pytestmark = pytest.mark.django_db

FEATURES = ("supply_chain", "social_impact_bond", "volume_fees", "service_fee")
"""What sets each kind of mechanism apart, most specific first (a supply chain has a fee too)."""


@pytest.fixture
def contracts() -> Iterator[list[Contract]]:
    load_market(generate_market(2026, 0.05), replace=False)
    yield load_demo_contracts(seed=2026)


def test_one_contract_per_kind_of_mechanism(contracts: list[Contract]) -> None:
    assert len(contracts) == 4
    features = [next(k for k in FEATURES if k in c.mechanism) for c in contracts]
    assert sorted(features) == sorted(FEATURES)
    for contract in contracts:
        assert contract.is_synthetic and contract.title.startswith("Synthetic demo:")
        assert contract.lot.opportunity.status == Opportunity.Status.AWARDED
        assert contract.lot.opportunity.is_synthetic
        assert contract.commissioning_body == contract.lot.opportunity.exercise.commissioning_body
        assert date(2025, 1, 1) <= contract.start_date <= date(2026, 12, 31)
        assert contract.end_date > contract.start_date


def test_every_document_validates_and_money_is_conserved(contracts: list[Contract]) -> None:
    for contract in contracts:
        parsed = services.parsed(contract)
        assert parsed.observed is not None and len(parsed.observed.periods) >= 5
        assert parsed.assumptions is not None
        statement = services.statement_for(contract)
        assert statement is not None and statement.lines
        assert statement.is_conserved(), contract.reference
        for period in parsed.observed.periods:
            assert period.start >= contract.start_date
            assert period.end <= contract.end_date


def test_every_demo_contract_publishes_its_contract_details_notice(
    contracts: list[Contract],
) -> None:
    """Issue 11 item 7 (LAW-4): the large demo contracts (PBR-DEMO-02 and -03, over £5m) carry
    at least 3 KPIs, so every UK7 is published. Since issue 15 item 3 only KPI records count,
    never the outcome measures of their mechanism: none is published before the demo's KPIs
    are recorded."""
    from commissioning.demo.contract_performance import load_demo_performance

    large = [c.reference for c in contracts if contract_ocds.whole_value(c) > Decimal(5_000_000)]
    assert {"PBR-DEMO-02", "PBR-DEMO-03"} <= set(large)
    assert not any(
        contract_ocds.notice_status(c).published for c in contracts if c.reference in large
    )
    load_demo_performance(contracts)
    for contract in contracts:
        status = contract_ocds.notice_status(contract)
        assert status.published and status.kpis >= 3, contract.reference
        release = contract_ocds.contract_release(contract, "http://testserver")
        assert len(release["contracts"][0]["agreedMetrics"]) == status.kpis


def test_outcomes_and_volumes_are_observed(contracts: list[Contract]) -> None:
    outcomes = volumes = 0
    for contract in contracts:
        assert contract.observed is not None
        for period in contract.observed["periods"]:
            outcomes += len(period.get("outcomes", []))
            volumes += len(period.get("volumes", []))
    assert outcomes >= 6 and volumes >= 30


def test_parties_are_the_synthetic_organisations_named_in_the_documents(
    contracts: list[Contract],
) -> None:
    for contract in contracts:
        parties = {p.party_id: p for p in contract.parties.select_related("organisation")}
        document = {p["id"]: p for p in contract.mechanism["parties"]}
        assert set(parties) == set(document)
        for party_id, party in parties.items():
            assert party.organisation is not None
            assert Organisation.objects.filter(pk=party.organisation.pk, is_synthetic=True).exists()
            assert document[party_id]["name"] == party.organisation.name
            assert document[party_id]["role"] == party.role
        prime = parties[next(i for i, p in document.items() if p["role"] == "prime")]
        assert prime.organisation == contract.prime and contract.prime.is_prime
        commissioner = next(p for p in parties.values() if p.role == "commissioner")
        assert commissioner.organisation == contract.commissioning_body
        assert contract.commissioning_body.is_commissioning_body


def test_subcontractors_are_small_local_providers_with_what_they_were_promised(
    contracts: list[Contract],
) -> None:
    subs = ContractParty.objects.filter(role="subcontractor").select_related("organisation")
    assert subs.count() == 5  # the local supply chain (issue 15 item 4: a survey of five)
    for sub in subs:
        assert sub.organisation is not None and not sub.organisation.is_prime
        assert sub.organisation.annual_income < 1_000_000
        assert sub.promised_referrals_per_year and sub.promised_value_per_year
        assert sub.promised_value_per_year > 0 and sub.services


def test_demo_commissioner_and_provider_have_a_contract(contracts: list[Contract]) -> None:
    demo = demo_organisations()
    home = Contract.objects.get(commissioning_body=demo["pcc"])
    assert home.parties.filter(role="subcontractor", organisation=demo["charity"]).exists()
    assert home.lot.areas.filter(slug="northumbria").exists()


def test_replacing_is_idempotent_and_keeps_peoples_records(contracts: list[Contract]) -> None:
    first = {c.reference: (c.mechanism, c.observed, c.prime_id) for c in contracts}
    people = Opportunity.objects.create(
        exercise=CommissioningExercise.objects.exclude(summary__endswith=EXERCISE_MARKER).first(),
        reference="OPP-REAL-1",
        title="A real opportunity",
    )

    again = load_demo_contracts(seed=2026)

    assert {c.reference: (c.mechanism, c.observed, c.prime_id) for c in again} == first
    assert Contract.objects.count() == 4 and Lot.objects.filter(opportunity__is_synthetic=True)
    assert Opportunity.objects.filter(is_synthetic=True).count() == 4
    assert CommissioningExercise.objects.filter(summary__endswith=EXERCISE_MARKER).count() <= 1
    assert Opportunity.objects.filter(pk=people.pk).exists()


def test_keep_returns_the_contracts_already_there(contracts: list[Contract]) -> None:
    kept = load_demo_contracts(seed=7, replace=False)
    assert [c.pk for c in kept] == sorted(c.pk for c in contracts)


def test_another_seed_gives_other_observations(contracts: list[Contract]) -> None:
    before = {c.reference: c.observed for c in contracts}
    after = {c.reference: c.observed for c in load_demo_contracts(seed=7)}
    assert before != after


def test_delete_then_the_market_can_be_replaced(contracts: list[Contract]) -> None:
    deleted = delete_demo_contracts()

    assert deleted["contracts.Contract"] == 4
    assert not Contract.objects.exists() and not Opportunity.objects.filter(is_synthetic=True)
    report = load_market(generate_market(2026, 0.05), replace=True)
    assert report.loaded


HARSH = {"upfront_share": "0", "at_risk_share": "1", "payment_terms_days": "180"}
MILD = {"upfront_share": "1", "at_risk_share": "0", "payment_terms_days": "0"}


def test_a_small_charity_runs_out_under_harsh_terms_not_mild_ones_and_both_pages_agree(
    client: Client,
) -> None:
    """PBR-4, PBR-5 (issue 11 item 14): the stress test said 0.0% for every organisation of
    every demo contract, even at 100% at risk and 180 days' terms, while the risk page flagged a
    small charity. One reserves figure (free reserves, in months of expenditure) on both. The
    demo's own market (seed 2026, scale 1), as `make demo` loads it."""
    load_market(generate_market(2026, 1.0), replace=False)
    contracts = load_demo_contracts(seed=2026)
    runs_out_only_when_harsh = []
    for contract in contracts:
        url = f"/api/contracts/{contract.reference}"
        risk = {row["party"]: row for row in client.get(f"{url}/risk").json()["rows"]}
        harsh = client.get(f"{url}/stress", HARSH).json()
        mild = client.get(f"{url}/stress", MILD).json()
        mild_ruin = {m["party"]: m["variant_ruin_probability"] for m in mild["members"]}
        for member in harsh["members"]:
            row = risk[member["party"]]
            if row["reserves"] is not None:
                assert Decimal(row["reserves"]) == Decimal(str(member["reserves"])).quantize(
                    Decimal("0.01")
                ), (contract.reference, member["party"])
            organisation = ContractParty.objects.get(
                contract=contract, party_id=member["party"]
            ).organisation
            if (
                organisation is not None
                and organisation.annual_income < 500_000
                and member["variant_ruin_probability"] >= 0.2
                and mild_ruin[member["party"]] == 0
            ):
                runs_out_only_when_harsh.append((contract.reference, member["party"]))
        page = client.get(f"/contracts/{contract.reference}/risk/").content.decode()
        stress_page = client.get(f"/contracts/{contract.reference}/stress/").content.decode()
        for member in harsh["members"]:
            assert f"£{member['reserves']:,.2f}" in stress_page
            if risk[member["party"]]["reserves"] is not None:
                assert f"£{Decimal(risk[member['party']]['reserves']):,.2f}" in page
    assert runs_out_only_when_harsh


def test_the_demo_has_each_state_rating_a_change_and_a_termination(
    contracts: list[Contract], client: Client
) -> None:
    """Issue 15: KPIs assessed with each rating (UK9), one change (UK10), one termination and
    one ending (UK11), every package valid; the award demo's contract is the mobilising one."""
    from commissioning.contracts.models import KpiRating
    from commissioning.demo.contract_performance import load_demo_performance
    from commissioning.opendata.ocds.validate import validate_package

    made = load_demo_performance(contracts)
    assert made == {"kpis": 14, "assessments": 1, "changes": 1}
    states = {c.reference: Contract.objects.get(pk=c.pk).status for c in contracts}
    assert sorted(states.values()) == ["active", "active", "ended", "terminated"]
    assert sorted(KpiRating.objects.values_list("rating", flat=True)) == sorted(
        KpiRating.Rating.values
    )
    tags = []
    for contract in contracts:
        package = client.get(f"/api/contracts/{contract.reference}/ocds").json()
        result = validate_package(package)
        assert result.error_count == 0, result.summary()
        tags += [tuple(r["tag"]) for r in package["releases"]]
    assert tags.count(("implementationUpdate",)) == 1
    assert tags.count(("contractAmendment",)) == 1
    assert tags.count(("contractTermination",)) == 2
