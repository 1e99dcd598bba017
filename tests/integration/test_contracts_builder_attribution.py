"""The builder asks, on each sub-contractor's terms, whether its shares of outcome payments and
volume fees are of every payment or of what its own participants earn; what the forms save
gives the same statement as the mechanism written as JSON (issue 15, PBR-1, PBR-4, PBR-6)."""

from __future__ import annotations

import pytest
from django.test import Client

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract
from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.builder import answers_from_mechanism, scenario_observed
from tests.integration.test_contracts_mechanism_builder import (
    SCENARIO,
    STEPS,
    answer_every_step,
    check_url,
    commissioner,
    contract,
    step_url,
)

pytestmark = pytest.mark.django_db
__all__ = ["commissioner", "contract"]  # the fixtures this module uses

ATTRIBUTED = {
    **STEPS["subcontractors"],
    "sub1_outcome_share": "90",
    "sub1_outcome_basis": "own",
    "sub1_volume_share": "90",
    "sub1_volume_basis": "own",
    "sub2_outcome_share": "80",
    "sub2_outcome_basis": "own",
    "sub2_volume_share": "80",
    "sub2_volume_basis": "own",
}
WRITTEN_CHAIN = [
    {
        "subcontractor": "housing-charity",
        "service_fee_share": "0.3",
        "attributed_outcome_payment_share": "0.9",
        "attributed_volume_fee_share": "0.9",
        "management_fee": "0.1",
        "at_risk_share": "1",
        "minimum_contract_value": "100000.00",
    },
    {
        "subcontractor": "womens-centre",
        "service_fee_share": "0.2",
        "attributed_outcome_payment_share": "0.8",
        "attributed_volume_fee_share": "0.8",
        "management_fee": "0.25",
        "payment_terms_days": 45,
    },
]


def test_attribution_built_with_the_forms_gives_the_jsons_statement(
    client: Client, contract: Contract, commissioner: User
) -> None:
    answer_every_step(client, contract)
    volume = {"volume_event": "start", "volume_tariff": "100"}
    assert client.post(step_url(contract, "volume-fees"), {**volume, **SCENARIO}).status_code == 302
    response = client.post(step_url(contract, "subcontractors"), {**ATTRIBUTED, **SCENARIO})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(check_url(contract)).content.decode()
    assert "Only what its own participants earn" in page
    assert client.post(check_url(contract)).status_code == 302
    contract.refresh_from_db()
    built = contract.mechanism
    assert built["supply_chain"] == WRITTEN_CHAIN
    written = {**built, "supply_chain": WRITTEN_CHAIN}
    statements = []
    for document in (built, written):
        mechanism = parse_mechanism(document)
        observed = scenario_observed(document, referrals_per_year=200, outcome_rate=40)
        statements.append(calculate(mechanism, parse_observed(observed, mechanism)).to_dict())
    assert statements[0] == statements[1]
    # Quarter 1: 50 starts at £100, 25 in each need group, each spread over the prime and the
    # two sub-contractors 8, 8 and 9: the housing charity is passed 90% × 90% × £800.00 =
    # £648.00 of each group's £2,500.00, the women's centre 80% × 75% × £900.00 = £540.00.
    first = [
        (line["payee"], line["amount"])
        for line in statements[0]["lines"]
        if line["period"] == 1
        and line["rule"] == "volume_fees.volume-fee"
        and line["kind"] == "pass_down"
    ]
    assert first == [
        ("housing-charity", "648.00"),
        ("womens-centre", "540.00"),
        ("housing-charity", "648.00"),
        ("womens-centre", "540.00"),
    ]
    # Quarter 4, the first year's cohort of 200: 40% achieve, 40 in each need group (£300 and
    # £750): £42,000.00. Spread 66, 67, 67 over the prime and the two sub-contractors, the
    # housing charity's 13 + 13 earned £13,650.00 and the women's centre's 14 + 14 £14,700.00:
    # 90% × 90% × £13,650.00 = £11,056.50 and 80% × 75% × £14,700.00 = £8,820.00.
    outcome = [
        (line["period"], line["payee"], line["amount"])
        for line in statements[0]["lines"]
        if line["rule"].startswith("outcome_payments.") and line["kind"] == "pass_down"
    ]
    assert outcome[:2] == [
        (4, "housing-charity", "11056.50"),
        (4, "womens-centre", "8820.00"),
    ]
    answers, _left_out = answers_from_mechanism(built)
    assert answers["sub1_outcome_basis"] == answers["sub2_volume_basis"] == "own"
    assert answers["sub1_outcome_share"] == "90"


def test_an_own_participants_share_with_no_share_given_is_refused(
    client: Client, contract: Contract, commissioner: User
) -> None:
    answer_every_step(client, contract)
    answers = {**STEPS["subcontractors"], "sub1_volume_basis": "own"}
    assert (
        client.post(step_url(contract, "subcontractors"), {**answers, **SCENARIO}).status_code
        == 302
    )
    page = client.get(check_url(contract)).content.decode()
    assert "Enter the share of what its own participants earn that it is passed" in page
