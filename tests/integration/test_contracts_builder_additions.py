"""The builder's forms for the format's later additions (issue 15, PBR-1, PBR-2, PBR-3): a
quantity measure, a target measured over several years, a fee at risk on several weighted
measures, tariffs by contract year and a per-person limit on a volume fee. Each is built
through the step pages, shown on check your answers, and gives the hand-computed figure in the
preview and in the saved mechanism's statement; bad answers are refused next to the question,
as the JSON import refuses the same terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from commissioning.accounts.models import User
from commissioning.contracts.models import Contract
from commissioning_analytics.payments import (
    PaymentsFormatError,
    calculate,
    parse_mechanism,
    parse_observed,
)
from commissioning_analytics.payments.builder import scenario_observed
from tests.integration.test_contracts_mechanism_builder import (
    SCENARIO,
    STEPS,
    check_url,
    preview_row,
    step_url,
)

pytestmark = pytest.mark.django_db

# The base mechanism (tests/integration/test_contracts_mechanism_builder.py): 8 quarters,
# £400,000 a year in advance, 10% (£40,000 a year) clawed back when fewer than 45% of the
# 200 people a year are housed; £300 a standard and £750 a high-need person housed. At 40%:
# 80 housed a year, 40 in each group, £42,000 a year; the fee £800,000; clawed back 2 × £40,000.


def build(
    client: Client, contract: Contract, changed: dict[str, dict[str, str]], **scenario: str
) -> str:
    """Answer every step with ``changed`` steps' answers added, and return check your answers."""
    steps = {**STEPS, "at-risk-measures": {}, "tariffs-by-year": {}}
    for step, answers in steps.items():
        posted = {**answers, **changed.get(step, {}), **SCENARIO, **scenario}
        response = client.post(step_url(contract, step), posted)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    return client.get(check_url(contract)).content.decode()


def saved_statement(client: Client, contract: Contract, rate: int = 40) -> dict[str, Any]:
    """Save on check your answers; the saved mechanism's statement for the preview's scenario."""
    assert client.post(check_url(contract)).status_code == 302
    contract.refresh_from_db()
    document = contract.mechanism
    mechanism = parse_mechanism(document)
    observed = scenario_observed(document, referrals_per_year=200, outcome_rate=Decimal(rate))
    return calculate(mechanism, parse_observed(observed, mechanism)).to_dict()


def lines(statement: dict[str, Any], kind: str) -> list[tuple[int, str]]:
    return [(line["period"], line["amount"]) for line in statement["lines"] if line["kind"] == kind]


def refused(client: Client, contract: Contract, step: str, answers: dict[str, str]) -> str:
    response = client.post(step_url(contract, step), {**answers, **SCENARIO})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    return page


def json_refusal(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PaymentsFormatError) as error:
        parse_mechanism(document)
    return [str(problem) for problem in error.value.errors]


@pytest.fixture
def contract() -> Contract:
    from tests.contract_factories import ContractFactory

    return ContractFactory(observed=None, assumptions=None)


@pytest.fixture
def commissioner(client: Client, contract: Contract) -> User:
    from tests.factories import member_of

    user = member_of(contract.commissioning_body, User.Role.COMMISSIONER)
    client.force_login(user)
    return user


QUANTITY = {
    "measure": {
        "measure_kind": "quantity",
        "measure_description": "Custody bed nights in the year after release",
        "measure_unit": "custody bed nights",
        "measure_better": "lower",
        "comparison": "baseline",
        "baseline": "40",
    },
    "service-fee": {"at_risk_target": "3"},
    "outcomes": {
        "outcome_tariff": "50",
        "group1": "",
        "group1_tariff": "",
        "group2": "",
        "group2_tariff": "",
    },
}


def test_a_quantity_measure_built_with_the_forms(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-2: custody bed nights against a baseline of 40 a person. A 10% cut is 36.0 a
    person, 4.0 nights saved each (meeting the 3-night target: nothing clawed back) by 200
    people, 800 nights × £50 = £40,000.00 a year: the funders pay £800,000 + 2 × £40,000."""
    page = build(client, contract, QUANTITY, **{"scenario-outcome_rate": "10"})
    assert "A quantity per person other than reoffending, such as custody bed nights" in page
    assert "custody bed nights" in page and "Fewer, like custody bed nights" in page
    assert 'href="' + step_url(contract, "measure") + '#id_measure_unit"' in page
    assert "The funders pay £880,000.00 in all." in page
    statement = saved_statement(client, contract, rate=10)
    assert contract.mechanism["measures"][0] == {
        "id": "settled-accommodation",
        "kind": "quantity",
        "description": "Custody bed nights in the year after release",
        "comparison": "baseline",
        "improvement": "per_person",
        "baseline": "40",
        "unit": "custody bed nights",
        "better": "lower",
        "indicator": "lagging",
    }
    assert lines(statement, "outcome_payment") == [(4, "40000.00"), (8, "40000.00")]
    assert lines(statement, "clawback") == []


def test_a_quantity_measure_is_refused_without_its_unit_and_direction(
    client: Client, contract: Contract, commissioner: User
) -> None:
    page = refused(client, contract, "measure", {"measure_kind": "quantity"})
    assert "Enter what is counted for each person, like custody bed nights" in page
    assert "Select whether fewer or more is better" in page
    page = refused(
        client, contract, "measure", {"measure_kind": "binary", "measure_unit": "nights"}
    )
    assert "Leave the unit blank: only a quantity per person" in page
    # The JSON import refuses the same terms.
    document = contract.mechanism
    measure = {**document["measures"][0], "kind": "binary", "unit": "nights"}
    measure.update(comparison="baseline", improvement="percentage_points")
    assert "measures[0].unit: applies only to a quantity measure" in json_refusal(
        {**document, "measures": [measure, *document["measures"][1:]]}
    )


def test_a_target_measured_over_two_years_built_with_the_forms(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-1: the target judged once on the two years pooled (40% against 45%: missed), so
    the at-risk amount of both years, 2 × £40,000 = £80,000.00, is clawed back in quarter 8
    and nothing in quarter 4."""
    page = build(client, contract, {"service-fee": {"at_risk_years": "2"}})
    assert "Years the target is measured over" in page
    assert 'href="' + step_url(contract, "service-fee") + '#id_at_risk_years"' in page
    assert preview_row(page, "Police and Crime Commissioner").split()[-2:] == [
        "£80,000.00",
        "£884,000.00",
    ]
    statement = saved_statement(client, contract)
    assert contract.mechanism["service_fee"]["at_risk"]["measured_over_years"] == 2
    assert lines(statement, "clawback") == [(8, "80000.00")]


def test_a_target_over_years_is_refused_when_it_cannot_apply(
    client: Client, contract: Contract, commissioner: User
) -> None:
    page = refused(client, contract, "service-fee", {**STEPS["service-fee"], "at_risk_years": "0"})
    assert "Years the target is measured over must be 1 or more" in page
    page = refused(client, contract, "service-fee", {"at_risk_years": "2"})
    assert "Enter the share of the fee at risk before the years it is judged over" in page


WEIGHTED = {
    "at-risk-measures": {
        "at_risk_weight": "60",
        "target2_kind": "binary",
        "target2_description": "Proven reoffending",
        "target2_baseline": "65",
        "target2_target": "5",
        "target2_weight": "40",
    }
}


def test_a_fee_at_risk_on_two_weighted_measures_built_with_the_forms(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-1, PBR-2: housing (60%) misses its 45% target at 40%; reoffending (40%), 60%
    reconvicted against a 65% baseline, improves by 5 points and meets its target. 40% is
    earned, so 60% of the £40,000 at risk, £24,000.00, is clawed back each year: the funders
    pay £800,000 + 2 × £42,000 − 2 × £24,000 = £836,000.00."""
    page = build(client, contract, WEIGHTED)
    assert "Fee at risk on several measures" in page
    assert "Second measure: what is measured?" in page and "Proven reoffending" in page
    assert preview_row(page, "Police and Crime Commissioner").split()[-2:] == [
        "£48,000.00",
        "£884,000.00",
    ]
    assert "The funders pay £836,000.00 in all." in page
    statement = saved_statement(client, contract)
    assert contract.mechanism["service_fee"]["at_risk"]["targets"] == [
        {"measure": "settled-accommodation", "target": "45", "weight": "0.6"},
        {"measure": "outcome-2", "target": "5", "weight": "0.4"},
    ]
    assert lines(statement, "clawback") == [(4, "24000.00"), (8, "24000.00")]
    # The saved mechanism opens in the forms with nothing left out.
    page = client.get(check_url(contract)).content.decode()
    assert 'id="left-out"' not in page and "Proven reoffending" in page


def test_weights_that_do_not_add_up_are_refused_as_the_json_is(
    client: Client, contract: Contract, commissioner: User
) -> None:
    answers = {**WEIGHTED["at-risk-measures"], "target2_weight": "30"}
    page = refused(client, contract, "at-risk-measures", answers)
    assert "The weights add up to 90%: they must add up to 100%" in page
    page = refused(client, contract, "at-risk-measures", {"target2_kind": "frequency"})
    assert "Enter the second measure&#x27;s target improvement" in page
    assert "Enter the weight of the first measure&#x27;s target" in page
    document = contract.mechanism
    second = {"id": "outcome-2", "kind": "intermediate"}
    at_risk = {
        "share": "0.1",
        "mode": "clawback",
        "targets": [
            {"measure": document["measures"][0]["id"], "target": "45", "weight": "0.6"},
            {"measure": "outcome-2", "target": "5", "weight": "0.3"},
        ],
    }
    assert "service_fee.at_risk.targets: weights add up to 90%, not 100%" in json_refusal(
        {
            **document,
            "measures": [*document["measures"], second],
            "service_fee": {**document["service_fee"], "at_risk": at_risk},
        }
    )


TARIFFS = {
    "tariffs-by-year": {
        "outcome_change1_from_year": "2",
        "outcome_change1_tariff": "400",
        "outcome_change1_group1_tariff": "400",
        "outcome_change1_group2_tariff": "1000",
    }
}


def test_tariffs_by_contract_year_built_with_the_forms(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-1, PBR-3: from year 2, £400 a standard and £1,000 a high-need person housed: year 2
    pays 40 × £400 + 40 × £1,000 = £56,000.00 (year 1 £42,000.00), so the funders pay
    £800,000 + £42,000 + £56,000 − £80,000 = £818,000.00."""
    page = build(client, contract, TARIFFS)
    assert "Outcome payments, first change: from contract year" in page
    assert 'href="' + step_url(contract, "tariffs-by-year") in page
    assert "The funders pay £818,000.00 in all." in page
    statement = saved_statement(client, contract)
    assert contract.mechanism["outcome_payments"][0]["tariffs_by_year"] == [
        {
            "from_year": 2,
            "tariff": "400.00",
            "need_group_tariffs": {"standard": "400.00", "high-need": "1000.00"},
        }
    ]
    assert lines(statement, "outcome_payment") == [(4, "42000.00"), (8, "56000.00")]
    page = client.get(step_url(contract, "tariffs-by-year")).content.decode()
    assert 'value="1000.00"' in page


def test_tariffs_by_year_outside_the_term_or_missing_a_group_are_refused(
    client: Client, contract: Contract, commissioner: User
) -> None:
    page = refused(
        client,
        contract,
        "tariffs-by-year",
        {
            **TARIFFS["tariffs-by-year"],
            "outcome_change2_from_year": "2",
            "outcome_change2_tariff": "5",
        },
    )
    assert "Enter a year later than 2, the year before this change" in page
    page = refused(client, contract, "tariffs-by-year", {"volume_change1_from_year": "1"})
    assert "Volume fee, first change: from contract year must be 2 or more" in page
    # Year 3 of a two-year term, and no high-need tariff: the check page names both, with the
    # step to change; the JSON import refuses the same.
    late = {
        "outcome_change1_from_year": "3",
        "outcome_change1_tariff": "400",
        "outcome_change1_group1_tariff": "400",
    }
    page = build(client, contract, {"tariffs-by-year": late})
    assert "The mechanism cannot be saved yet" in page
    assert "The term has 2 contract years: enter a year from 2 to 2" in page
    assert "Enter the second need group&#x27;s tariff from year 3" in page
    assert step_url(contract, "tariffs-by-year") in page
    document = contract.mechanism
    rule = {
        **document["outcome_payments"][0],
        "tariffs_by_year": [{"from_year": 3, "tariff": "400.00"}],
    }
    problems = json_refusal(
        {**document, "term_periods": 8, "period": "quarter", "outcome_payments": [rule]}
    )
    assert any(
        "tariffs_by_year[0].from_year: is after the last contract year" in p for p in problems
    )


PER_PERSON = {
    "volume-fees": {
        "volume_event": "sustainment",
        "volume_tariff": "100",
        "volume_max_per_person": "1",
        "volume_per_person_event": "job_outcome",
    }
}


def test_a_per_person_limit_built_with_the_forms(
    client: Client, contract: Contract, commissioner: User
) -> None:
    """PBR-1: 50 sustainments a quarter at £100, at most 1 for each job outcome; 40% of the
    200 people a year get a job, 20 a quarter, so 20 are paid each quarter (a limit in total:
    the scenario does not say whose the events are): 8 × £2,000 =
    £16,000.00 of £40,000, and the funders pay £804,000 + £16,000 = £820,000.00."""
    page = build(client, contract, PER_PERSON)
    assert "Most paid for each person" in page and "Each job outcome" in page
    assert 'href="' + step_url(contract, "volume-fees") + '#id_volume_max_per_person"' in page
    assert "The funders pay £820,000.00 in all." in page
    statement = saved_statement(client, contract)
    fee = contract.mechanism["volume_fees"][0]
    assert (fee["max_units_per_person"], fee["per_person_event"]) == (1, "job_outcome")
    volume_lines = lines(statement, "volume_fee")
    assert volume_lines == [(quarter, "2000.00") for quarter in range(1, 9)]
    # The scenario splits each quarter's 50 over the two need groups: 20 of the first 25 are
    # paid, none of the second 25.
    assert all(
        "(5 of 25 not paid: at most 1 per job_outcome to date)" in line["explanation"]
        for line in statement["lines"]
        if line["kind"] == "volume_fee"
    )


def test_a_per_person_limit_is_refused_without_its_event_or_fee(
    client: Client, contract: Contract, commissioner: User
) -> None:
    page = refused(
        client,
        contract,
        "volume-fees",
        {"volume_event": "sustainment", "volume_tariff": "100", "volume_max_per_person": "1"},
    )
    assert "Select the event the most paid for each person counts" in page
    page = refused(
        client,
        contract,
        "volume-fees",
        {"volume_per_person_event": "job_outcome", "volume_max_per_person": "0"},
    )
    assert "Most paid for each person must be 1 or more" in page
    assert "Enter the fee per event before limiting it" in page
    document = contract.mechanism
    fee = {
        "id": "volume-fee",
        "event": "sustainment",
        "tariff": "100.00",
        "max_units_per_person": 1,
    }
    assert any(
        "needs both max_units_per_person and per_person_event" in problem
        for problem in json_refusal({**document, "volume_fees": [fee]})
    )
