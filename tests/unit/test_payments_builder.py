"""The mechanism builder's rules (PBR-1 .. PBR-4, PBR-6, issue 15): each step's answers become
the fields of a mechanism document that the core accepts, and the preview's scenario becomes
observed data whose statement is worked out by hand here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.builder import (
    BuilderError,
    answers_from_mechanism,
    build_mechanism,
    guidance,
    scenario_observed,
)
from commissioning_analytics.payments.loader import example_document as load_example_document

TERM = {
    "name": "Resettlement in the North",
    "commissioner_name": "Police and Crime Commissioner",
    "prime_name": "Northern Prime Ltd",
    "period": "quarter",
    "term_periods": "8",
    "payment_terms_days": "",
}


def built(**answers: str) -> dict:
    document = build_mechanism({**TERM, **answers})
    parse_mechanism(document)  # every document built here is valid
    return document


def test_term_and_parties() -> None:
    document = built()
    assert document["id"] == "resettlement-in-the-north"
    assert (document["period"], document["term_periods"], document["payment_terms_days"]) == (
        "quarter",
        8,
        30,
    )
    assert [(p["id"], p["role"]) for p in document["parties"]] == [
        ("commissioner", "commissioner"),
        ("prime", "prime"),
    ]
    assert build_mechanism(TERM, mechanism_id="kept-id")["id"] == "kept-id"


def test_service_fee_with_a_share_at_risk() -> None:
    document = built(
        measure_kind="intermediate",
        annual_value="400000",
        frequency="quarterly",
        timing="advance",
        at_risk_percent="10",
        at_risk_mode="withheld",
        at_risk_target="45",
    )
    assert document["service_fee"] == {
        "annual_value": "400000.00",
        "frequency": "quarterly",
        "timing": "advance",
        "at_risk": {"share": "0.1", "mode": "withheld", "measure": "outcome", "target": "45"},
    }


def test_a_fee_at_risk_needs_a_measure_and_a_target() -> None:
    with pytest.raises(BuilderError) as caught:
        build_mechanism(
            {**TERM, "annual_value": "1000", "frequency": "annual", "at_risk_percent": "10"}
        )
    assert caught.value.errors == {
        "at_risk_percent": "Set an outcome measure before putting part of the fee at risk on it"
    }
    with pytest.raises(BuilderError) as caught:
        build_mechanism(
            {
                **TERM,
                "measure_kind": "binary",
                "annual_value": "1000",
                "frequency": "annual",
                "at_risk_percent": "10",
            }
        )
    assert caught.value.errors == {
        "at_risk_target": "Enter the improvement the fee at risk depends on"
    }


def test_reoffending_measure_against_a_baseline() -> None:
    document = built(measure_kind="binary", comparison="baseline", baseline="58.0")
    assert document["measures"] == [
        {
            "id": "outcome",
            "kind": "binary",
            "comparison": "baseline",
            "improvement": "percentage_points",
            "baseline": "58",
            "indicator": "lagging",
        }
    ]
    frequency = built(measure_kind="frequency", comparison="matched_comparison")
    assert frequency["measures"][0]["improvement"] == "events_per_100"
    assert "baseline" not in frequency["measures"][0]


def test_outcome_payments_with_tariffs_by_need_group_and_limits() -> None:
    document = built(
        measure_kind="intermediate",
        outcome_tariff="300",
        group1="Standard",
        group1_tariff="300",
        group2="High need",
        group2_tariff="750.5",
        threshold="10",
        floor="1000",
        cap="50000",
        total_cap="90000",
    )
    assert document["outcome_payments"] == [
        {
            "id": "outcome-payment",
            "measure": "outcome",
            "basis": "per_person_achieving",
            "tariff": "300.00",
            "need_group_tariffs": {"standard": "300.00", "high-need": "750.50"},
            "threshold": "10",
            "floor": "1000.00",
            "cap": "50000.00",
            "total_cap": "90000.00",
        }
    ]
    per_unit = built(measure_kind="binary", baseline="58", outcome_tariff="2500")
    assert per_unit["outcome_payments"][0]["basis"] == "per_unit_improvement"
    fixed = built(
        measure_kind="binary", baseline="58", outcome_tariff="2500", outcome_basis="fixed"
    )
    assert fixed["outcome_payments"][0]["basis"] == "fixed"


def test_volume_fees_and_a_social_impact_bond() -> None:
    document = built(
        volume_event="attachment",
        volume_tariff="400",
        measure_kind="frequency",
        comparison="matched_comparison",
        improvement="relative_percent",
        investor_name="Social Finance investors",
        sib_capital="5000000",
        sib_tariff="2000",
        sib_threshold="7.5",
        sib_final_period="8",
        sib_max_return="13",
    )
    assert document["volume_fees"] == [
        {"id": "volume-fee", "event": "attachment", "tariff": "400.00"}
    ]
    assert document["social_impact_bond"] == {
        "investor": "investor",
        "capital": [{"period": 1, "amount": "5000000.00"}],
        "measure": "outcome",
        "tariff": "2000.00",
        "all_cohorts_threshold": "7.5",
        "final_period": 8,
        "max_return": "0.13",
    }
    assert document["parties"][-1] == {
        "id": "investor",
        "name": "Social Finance investors",
        "role": "investor",
    }


def test_each_subcontractors_terms() -> None:
    document = built(
        annual_value="400000",
        frequency="quarterly",
        timing="arrears",
        sub1_name="Housing charity",
        sub1_fee_share="30",
        sub1_outcome_share="25",
        sub1_volume_share="20",
        sub1_management_fee="10",
        sub1_risk_passed="50",
        sub1_minimum="100000",
        sub1_payment_terms="14",
        sub2_name="Women's centre",
        sub2_fee_share="20",
    )
    assert document["supply_chain"] == [
        {
            "subcontractor": "housing-charity",
            "service_fee_share": "0.3",
            "outcome_payment_share": "0.25",
            "volume_fee_share": "0.2",
            "management_fee": "0.1",
            "at_risk_share": "0.5",
            "minimum_contract_value": "100000.00",
            "payment_terms_days": 14,
        },
        {"subcontractor": "women-s-centre", "service_fee_share": "0.2"},
    ]
    assert [p["name"] for p in document["parties"][2:]] == ["Housing charity", "Women's centre"]


def test_guidance_on_the_share_paid_whatever_the_results() -> None:
    fee = {"annual_value": "1000", "frequency": "annual", "timing": "advance"}
    assert guidance({"service_fee": {**fee, "at_risk": {"share": "0.2"}}}) == []
    assert guidance({"service_fee": {**fee, "at_risk": {"share": "0.4"}}}) == [
        "Only 60% of the service fee is paid whatever the results: guidance is at least 70%",
        "40% of the service fee is at risk: guidance is between 10% and 30%",
    ]
    assert guidance({"service_fee": {**fee, "at_risk": {"share": "0.05"}}}) == [
        "5% of the service fee is at risk: guidance is between 10% and 30%"
    ]


def test_the_scenario_statement_by_hand() -> None:
    """£400,000 a year quarterly in advance, 10% clawed back below 45%; £300 or £750 per person
    housed; 200 referrals a year, 40% housed: 40 standard and 40 high need each year."""
    document = built(
        measure_kind="intermediate",
        annual_value="400000",
        frequency="quarterly",
        timing="advance",
        at_risk_percent="10",
        at_risk_mode="clawback",
        at_risk_target="45",
        outcome_tariff="300",
        group1="Standard",
        group1_tariff="300",
        group2="High need",
        group2_tariff="750",
    )
    observed = scenario_observed(document, referrals_per_year=200, outcome_rate=Decimal(40))
    assert [p["period"] for p in observed["periods"] if "outcomes" in p] == [4, 8]
    assert observed["periods"][3]["outcomes"] == [
        {
            "measure": "outcome",
            "cohort": "1",
            "cohort_size": 200,
            "achieved": {"high-need": 40, "standard": 40},
        }
    ]
    assert observed["periods"][0]["start"] == "2026-04-01"
    assert observed["periods"][0]["end"] == "2026-06-30"
    mechanism = parse_mechanism(document)
    statement = calculate(mechanism, parse_observed(observed, mechanism))
    totals = statement.totals()["commissioner"]
    assert totals.paid == Decimal("884000.00")  # 8 × £100,000 + 2 × (40 × £300 + 40 × £750)
    assert totals.received == Decimal("80000.00")  # 2 × 10% of £400,000
    met = scenario_observed(document, referrals_per_year=200, outcome_rate=Decimal(50))
    statement = calculate(mechanism, parse_observed(met, mechanism))
    assert statement.funders_paid() == Decimal("905000.00")  # + 2 × (50 × £300 + 50 × £750)


def test_the_scenario_for_reoffending_and_volumes() -> None:
    document = built(
        measure_kind="binary",
        comparison="matched_comparison",
        volume_event="referral",
        volume_tariff="100",
    )
    observed = scenario_observed(
        document, referrals_per_year=10, outcome_rate=Decimal(55), comparison_rate=Decimal(52)
    )
    assert [v["count"] for p in observed["periods"][:4] for v in p["volumes"]] == [2, 3, 2, 3]
    assert observed["periods"][3]["outcomes"] == [
        {
            "measure": "outcome",
            "cohort": "1",
            "cohort_size": 10,
            "observed": "45.0",
            "reference": "52",
        }
    ]


def test_a_stored_mechanism_gives_back_the_answers_that_build_it() -> None:
    document = built(
        measure_kind="intermediate",
        annual_value="400000",
        frequency="quarterly",
        timing="advance",
        at_risk_percent="10",
        at_risk_mode="clawback",
        at_risk_target="45",
        outcome_tariff="300",
        group1="Standard",
        group1_tariff="300",
        group2="High need",
        group2_tariff="750",
        cap="50000",
        sub1_name="Housing charity",
        sub1_fee_share="30",
        sub1_management_fee="12.5",
        sub1_minimum="100000",
        sub2_name="Women's centre",
        sub2_outcome_share="20",
        sub2_payment_terms="45",
    )
    answers, left_out = answers_from_mechanism(document)
    assert left_out == []
    assert answers["sub1_management_fee"] == "12.5"
    assert build_mechanism(answers, mechanism_id=document["id"]) == document


def test_a_reference_case_keeps_its_party_ids_and_says_what_the_forms_leave_out() -> None:
    doncaster = load_example_document("hmp-doncaster")
    answers, left_out = answers_from_mechanism(doncaster)
    rebuilt = build_mechanism(answers, mechanism_id=doncaster["id"])
    assert [p["id"] for p in rebuilt["parties"]] == [p["id"] for p in doncaster["parties"]]
    assert left_out == []
    assert parse_mechanism(rebuilt).service_fee == parse_mechanism(doncaster).service_fee
    assert parse_mechanism(rebuilt).measures == parse_mechanism(doncaster).measures
    supply = load_example_document("illustrative-supply-chain")
    _, left_out = answers_from_mechanism(supply)
    assert "outcome measures after the first" in left_out


def test_a_target_measured_over_several_years_comes_back_to_the_forms() -> None:
    """PBR-1: the service fee step asks for the window, so nothing of it is left out."""
    doncaster = load_example_document("hmp-doncaster")
    doncaster["service_fee"]["at_risk"]["measured_over_years"] = 2
    answers, left_out = answers_from_mechanism(doncaster)
    assert (answers["at_risk_years"], left_out) == ("2", [])
    rebuilt = build_mechanism(answers, mechanism_id=doncaster["id"])
    assert parse_mechanism(rebuilt).service_fee == parse_mechanism(doncaster).service_fee


def test_weighted_targets_come_back_to_the_forms() -> None:
    """PBR-1, PBR-2: the fee-at-risk-on-several-measures step asks for every target."""
    doncaster = load_example_document("hmp-doncaster")
    at_risk = doncaster["service_fee"]["at_risk"]
    measure = at_risk.pop("measure")
    del at_risk["target"]
    doncaster["measures"].append({"id": "housed", "kind": "intermediate"})
    at_risk["targets"] = [
        {"measure": measure, "target": "4.0", "weight": "0.6"},
        {"measure": "housed", "target": "40", "weight": "0.4"},
    ]
    answers, left_out = answers_from_mechanism(doncaster)
    assert (answers["measure_id"], answers["at_risk_target"]) == (measure, "4.0")
    assert (answers["target2_kind"], answers["target2_weight"]) == ("intermediate", "40")
    assert left_out == []
    rebuilt = build_mechanism(answers, mechanism_id=doncaster["id"])
    assert rebuilt["service_fee"]["at_risk"]["targets"] == [
        {"measure": measure, "target": "4", "weight": "0.6"},
        {"measure": "outcome-2", "target": "40", "weight": "0.4"},
    ]
    parse_mechanism(rebuilt)


def test_weighted_targets_are_refused_when_the_weights_miss_100() -> None:
    answers = {
        **SLIDING,
        "clawback_scale": "whole",
        "at_risk_weight": "60",
        "target2_kind": "binary",
        "target2_target": "5",
        "target2_weight": "30",
    }
    with pytest.raises(BuilderError) as error:
        built(**answers)
    assert error.value.errors == {
        "at_risk_weight": "The weights add up to 90%: they must add up to 100%"
    }
    with pytest.raises(BuilderError) as error:
        built(**{**answers, "target2_weight": "40", "at_risk_years": "2"})
    assert "at_risk_years" in error.value.errors


def test_a_quantity_measure_comes_back_to_the_forms() -> None:
    """PBR-2: the measure step asks for a quantity per person, its unit and direction."""
    doncaster = load_example_document("hmp-doncaster")
    measure = doncaster["measures"][0]
    for key in ("comparison", "improvement", "baseline"):
        measure.pop(key, None)
    measure.update(kind="quantity", unit="custody bed nights", better="lower")
    measure.update(comparison="baseline", improvement="per_person", baseline="40.0")
    answers, left_out = answers_from_mechanism(doncaster)
    assert answers["measure_kind"] == "quantity" and left_out == []
    assert (answers["measure_unit"], answers["measure_better"]) == ("custody bed nights", "lower")
    rebuilt = build_mechanism(answers, mechanism_id=doncaster["id"])
    assert parse_mechanism(rebuilt).measures == parse_mechanism(doncaster).measures


def test_tariffs_by_contract_year_come_back_to_the_forms() -> None:
    """PBR-1, PBR-3: the tariffs-by-year step asks for up to two changes of each rule."""
    programme = load_example_document("work-programme-jsa-18-24")
    programme["volume_fees"][0]["tariffs_by_year"] = [{"from_year": 2, "tariff": "450.00"}]
    answers, left_out = answers_from_mechanism(programme)
    assert (answers["volume_change1_from_year"], answers["volume_change1_tariff"]) == (
        "2",
        "450.00",
    )
    assert not any("tariff" in item for item in left_out)
    rebuilt = build_mechanism(answers, mechanism_id=programme["id"])
    assert rebuilt["volume_fees"][0]["tariffs_by_year"] == [{"from_year": 2, "tariff": "450.00"}]


def test_a_per_person_limit_comes_back_to_the_forms_and_limits_the_scenario() -> None:
    """PBR-1: at most 1 sustainment paid for each job outcome; the scenario's job outcomes
    are the outcome rate's share of the referrals (4 of 10 a year), so 4 of 10 are paid."""
    document = built(
        volume_event="sustainment",
        volume_tariff="100",
        volume_max_per_person="1",
        volume_per_person_event="job_outcome",
    )
    answers, left_out = answers_from_mechanism(document)
    assert left_out == [] and build_mechanism(answers, mechanism_id=document["id"]) == document
    mechanism = parse_mechanism(document)
    observed = scenario_observed(document, referrals_per_year=10, outcome_rate=Decimal(40))
    statement = calculate(mechanism, parse_observed(observed, mechanism))
    assert statement.funders_paid() == Decimal("400.00") * 2  # two years of 4 × £100


SLIDING = {
    "measure_kind": "intermediate",
    "annual_value": "400000",
    "frequency": "quarterly",
    "timing": "advance",
    "at_risk_percent": "10",
    "at_risk_mode": "clawback",
    "at_risk_target": "45",
    "clawback_scale": "sliding",
    "sliding_percent_per_unit": "5",
    "sliding_cap_percent": "50",
}


def test_a_sliding_scale_clawback_from_the_answers() -> None:
    """PBR-1: 5% of the amount at risk for each point short, at most 50% of it."""
    document = built(**SLIDING)
    assert document["service_fee"]["at_risk"]["sliding_scale"] == {
        "share_per_unit": "0.05",
        "cap": "0.5",
    }
    without_cap = built(**{**SLIDING, "sliding_cap_percent": ""})
    assert without_cap["service_fee"]["at_risk"]["sliding_scale"] == {"share_per_unit": "0.05"}
    assert (
        "sliding_scale"
        not in built(**{**SLIDING, "clawback_scale": "whole"})["service_fee"]["at_risk"]
    )
    answers, left_out = answers_from_mechanism(document)
    assert (answers["clawback_scale"], answers["sliding_percent_per_unit"]) == ("sliding", "5")
    assert left_out == []
    assert build_mechanism(answers, mechanism_id=document["id"]) == document


def test_a_sliding_scale_needs_a_clawback_and_a_rate() -> None:
    with pytest.raises(BuilderError) as caught:
        build_mechanism({**TERM, **SLIDING, "at_risk_mode": "withheld"})
    assert list(caught.value.errors) == ["clawback_scale"]
    with pytest.raises(BuilderError) as caught:
        build_mechanism({**TERM, **SLIDING, "sliding_percent_per_unit": ""})
    assert list(caught.value.errors) == ["sliding_percent_per_unit"]


def test_a_sliding_scale_of_money_per_point_is_listed_as_left_out() -> None:
    doncaster = load_example_document("hmp-doncaster")
    doncaster["service_fee"]["at_risk"]["sliding_scale"] = {"amount_per_unit": "5000.00"}
    _, left_out = answers_from_mechanism(doncaster)
    assert left_out == ["a clawback of an amount in pounds for each point short"]
