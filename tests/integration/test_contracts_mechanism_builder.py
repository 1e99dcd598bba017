"""The payment mechanism builder's pages (PBR-1 .. PBR-4, PBR-6, issue 15): each step's GOV.UK
form, its errors, the preview that changes with the scenario, check your answers and one
audited save; only the contract's commissioners may use it."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.audit.models import AuditEvent
from commissioning.contracts.models import Contract
from commissioning.contracts.services import ACTION_UPDATE_DOCUMENTS
from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.builder import scenario_observed
from tests.contract_factories import ContractFactory
from tests.factories import member_of

pytestmark = pytest.mark.django_db

STEPS = {
    "term": {
        "name": "Resettlement in the North",
        "commissioner_name": "Police and Crime Commissioner",
        "prime_name": "Northern Prime Ltd",
        "period": "quarter",
        "term_periods": "8",
        "payment_terms_days": "30",
    },
    "measure": {"measure_kind": "intermediate", "measure_description": "Settled accommodation"},
    "service-fee": {
        "annual_value": "400000",
        "frequency": "quarterly",
        "timing": "advance",
        "at_risk_percent": "10",
        "at_risk_mode": "clawback",
        "at_risk_target": "45",
    },
    "outcomes": {
        "outcome_tariff": "300",
        "outcome_basis": "per_result",
        "group1": "Standard",
        "group1_tariff": "300",
        "group2": "High need",
        "group2_tariff": "750",
    },
    "volume-fees": {},
    "social-impact-bond": {},
    "subcontractors": {
        "sub1_name": "Housing charity",
        "sub1_fee_share": "30",
        "sub1_outcome_share": "30",
        "sub1_management_fee": "10",
        "sub1_risk_passed": "100",
        "sub1_minimum": "100000",
        "sub2_name": "Women's centre",
        "sub2_fee_share": "20",
        "sub2_outcome_share": "20",
        "sub2_management_fee": "25",
        "sub2_payment_terms": "45",
    },
}
SCENARIO = {"scenario-referrals_per_year": "200", "scenario-outcome_rate": "40"}


def step_url(contract: Contract, step: str) -> str:
    return reverse("contracts:build-step", args=[contract.reference, step])


def check_url(contract: Contract) -> str:
    return reverse("contracts:build-check", args=[contract.reference])


@pytest.fixture
def contract() -> Contract:
    return ContractFactory(observed=None, assumptions=None)


@pytest.fixture
def commissioner(client: Client, contract: Contract) -> User:
    user = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    client.force_login(user)
    return user


def answer_every_step(client: Client, contract: Contract) -> None:
    for step, answers in STEPS.items():
        response = client.post(step_url(contract, step), {**answers, **SCENARIO})
        assert response.status_code == 302, (step, response.content.decode()[:3000])


def preview_row(page: str, name: str) -> str:
    table = page.split('id="preview-statement"')[1].split("</table>")[0]
    row = table.split(name)[1].split("</tr>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_others_are_refused(client: Client, contract: Contract) -> None:
    client.force_login(member_of(contract.prime, User.Role.PROVIDER))
    assert client.get(step_url(contract, "term")).status_code == 403
    assert client.post(check_url(contract)).status_code == 403


def test_steps_build_the_mechanism_and_save_it_audited(
    client: Client, contract: Contract, commissioner: User
) -> None:
    assert client.get(reverse("contracts:build", args=[contract.reference])).status_code == 302
    answer_every_step(client, contract)
    page = client.get(check_url(contract)).content.decode()
    assert "Check your answers" in page
    assert "Northern Prime Ltd" in page and "Women&#x27;s centre" in page
    assert "Withheld until the target is met" not in page  # the answer shown is the one chosen
    assert "Paid, then clawed back if the target is missed" in page
    # 40% achieve (80 of 200: 40 standard at £300, 40 high need at £750 = £42,000 a year);
    # the fee, £400,000 a year, two years; 40% misses the 45% target: 10% of a year's fee,
    # £40,000, clawed back each year. Paid £800,000 + 2 × £42,000; received 2 × £40,000.
    assert preview_row(page, "Police and Crime Commissioner").split()[-2:] == [
        "£80,000.00",
        "£884,000.00",
    ]
    assert "The funders pay £804,000.00 in all." in page
    response = client.post(check_url(contract))
    assert response.status_code == 302
    contract.refresh_from_db()
    document = contract.mechanism
    assert document["service_fee"]["at_risk"] == {
        "share": "0.1",
        "mode": "clawback",
        "measure": "settled-accommodation",  # the stored mechanism's ids are kept
        "target": "45",
    }
    assert document["outcome_payments"][0]["need_group_tariffs"] == {
        "standard": "300.00",
        "high-need": "750.00",
    }
    assert [t["subcontractor"] for t in document["supply_chain"]] == [
        "housing-charity",
        "womens-centre",
    ]
    assert document["id"] == "illustrative-supply-chain"
    event = AuditEvent.objects.get(action=ACTION_UPDATE_DOCUMENTS)
    assert event.actor == commissioner and set(event.changes) == {"mechanism"}
    # The saved document and the preview's scenario give the statement the page showed.
    mechanism = parse_mechanism(document)
    observed = scenario_observed(document, referrals_per_year=200, outcome_rate=40)
    statement = calculate(mechanism, parse_observed(observed, mechanism))
    assert statement.funders_paid() == 804000
    # The draft is gone once saved: a new one starts from the saved mechanism.
    page = client.get(check_url(contract)).content.decode()
    assert "Northern Prime Ltd" in page and 'id="left-out"' not in page


def test_the_preview_changes_with_the_scenario(
    client: Client, contract: Contract, commissioner: User
) -> None:
    answer_every_step(client, contract)
    answers = {**STEPS["subcontractors"], "action": "preview"}
    client.post(
        step_url(contract, "subcontractors"),
        {**answers, "scenario-referrals_per_year": "200", "scenario-outcome_rate": "50"},
    )
    page = client.get(step_url(contract, "subcontractors")).content.decode()
    # 50% achieve: 100 a year (50 × £300 + 50 × £750 = £52,500), the 45% target is met:
    # nothing clawed back. Paid £800,000 + 2 × £52,500.
    assert preview_row(page, "Police and Crime Commissioner").split()[-2:] == [
        "£0.00",
        "£905,000.00",
    ]
    assert 'value="50"' in page


def test_errors_are_shown_next_to_their_fields_and_nothing_is_kept(
    client: Client, contract: Contract, commissioner: User
) -> None:
    response = client.post(
        step_url(contract, "service-fee"),
        {"annual_value": "lots", "at_risk_percent": "120", **SCENARIO},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Service fee a year must be an amount in pounds, like 1200 or 1200.50" in page
    assert "Share of the fee at risk must be 100% or less" in page
    response = client.post(
        step_url(contract, "service-fee"),
        {"annual_value": "1000", **SCENARIO},
    )
    page = response.content.decode()
    assert "Select how often the service fee is paid" in page
    assert "Select when the service fee is paid" in page


def test_check_your_answers_lists_what_stops_saving(
    client: Client, contract: Contract, commissioner: User
) -> None:
    client.post(step_url(contract, "term"), {**STEPS["term"], **SCENARIO})
    client.post(step_url(contract, "measure"), {"measure_kind": "", **SCENARIO})
    client.post(
        step_url(contract, "service-fee"),
        {**STEPS["service-fee"], **SCENARIO},
    )
    before = contract.mechanism
    page = client.get(check_url(contract)).content.decode()
    assert "The mechanism cannot be saved yet" in page
    assert "Set an outcome measure before putting part of the fee at risk on it" in page
    assert step_url(contract, "service-fee") in page
    assert client.post(check_url(contract)).status_code == 200
    contract.refresh_from_db()
    assert contract.mechanism == before
    assert not AuditEvent.objects.filter(action=ACTION_UPDATE_DOCUMENTS).exists()


def test_a_contracts_mechanism_is_edited_from_what_it_says(
    client: Client, contract: Contract, commissioner: User
) -> None:
    page = client.get(step_url(contract, "term")).content.decode()
    assert 'value="Illustrative resettlement contract with a supply chain"' in page
    assert 'id="preview-statement"' in page  # the stored mechanism previews at once
    page = client.get(step_url(contract, "subcontractors")).content.decode()
    assert 'value="Local housing charity"' in page
    page = client.get(check_url(contract)).content.decode()
    left_out = page.split('id="left-out"')[1].split("</ul>")[0]
    assert "Outcome measures after the first" in left_out
    assert "Outcome payments or need groups beyond the first" in left_out


def test_a_management_fee_above_the_threshold_is_flagged(
    client: Client, contract: Contract, commissioner: User
) -> None:
    answer_every_step(client, contract)
    page = client.get(step_url(contract, "subcontractors")).content.decode()
    guidance = page.split('id="preview-guidance"')[1].split("</ul>")[0]
    assert "management fee 25% exceeds the policy threshold of 20%" in guidance
    assert "Housing charity</strong>: management fee" not in guidance


SLIDING_AT_RISK_JSON = """
{
  "share": "0.10",
  "mode": "clawback",
  "measure": "settled-accommodation",
  "target": "45",
  "sliding_scale": {"share_per_unit": "0.05", "cap": "0.50"}
}
"""


def test_a_sliding_scale_clawback_built_with_the_forms_gives_the_jsons_statement(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-1: the clawback step offers a sliding scale with a cap; what the forms save gives
    the same statement as the mechanism written as JSON."""
    answer_every_step(client, contract)
    sliding = {
        **STEPS["service-fee"],
        "clawback_scale": "sliding",
        "sliding_percent_per_unit": "5",
        "sliding_cap_percent": "50",
    }
    response = client.post(step_url(contract, "service-fee"), {**sliding, **SCENARIO})
    assert response.status_code == 302
    page = client.get(check_url(contract)).content.decode()
    assert "An amount in proportion to the shortfall, up to a cap" in page
    # 40% achieve against a 45% target: 5 points short × 5% of the £40,000 at risk = £10,000
    # a year (under the cap of 50%, £20,000), clawed back in each of the two years.
    assert preview_row(page, "Police and Crime Commissioner").split()[-2:] == [
        "£20,000.00",
        "£884,000.00",
    ]
    assert client.post(check_url(contract)).status_code == 302
    contract.refresh_from_db()
    built_document = contract.mechanism
    written_document = {
        **built_document,
        "service_fee": {
            **built_document["service_fee"],
            "at_risk": json.loads(SLIDING_AT_RISK_JSON),
        },
    }
    statements = []
    for document in (built_document, written_document):
        mechanism = parse_mechanism(document)
        observed = scenario_observed(document, referrals_per_year=200, outcome_rate=40)
        statements.append(calculate(mechanism, parse_observed(observed, mechanism)).to_dict())
    assert statements[0] == statements[1]
    clawbacks = [
        (line["period"], line["amount"])
        for line in statements[0]["lines"]
        if line["kind"] == "clawback"
    ]
    assert clawbacks == [(4, "10000.00"), (8, "10000.00")]


def test_a_sliding_scale_on_a_withheld_share_is_refused_next_to_the_question(
    client: Client, contract: Contract, commissioner: User
) -> None:
    response = client.post(
        step_url(contract, "service-fee"),
        {
            **STEPS["service-fee"],
            "at_risk_mode": "withheld",
            "clawback_scale": "sliding",
            **SCENARIO,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose all of the share at risk: a share withheld is released or kept whole" in page
    assert "Enter the share of the amount at risk clawed back for each point short" in page
