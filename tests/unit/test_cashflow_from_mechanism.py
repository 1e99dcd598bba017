"""From a payment mechanism (PBR-1, PBR-4) to a working-capital stress-test scenario (PBR-5):
the money each chain member gets per month, the labelled simulation assumptions and their
checks."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from commissioning_analytics.cashflow.from_mechanism import (
    Assumptions,
    MemberMapping,
    load_assumptions,
    months_in_term,
    parse_assumptions,
    scenario_from_mechanism,
)
from commissioning_analytics.cashflow.stress import run_stress_test
from commissioning_analytics.payments import PaymentsFormatError, load_example, parse_mechanism
from commissioning_analytics.payments.loader import example_document


def _member(mapped: tuple[MemberMapping, ...], party: str) -> MemberMapping:
    return next(m for m in mapped if m.party == party)


def _planned_income(m: MemberMapping, referrals: float, rate: float) -> float:
    x = m.member
    keep = 1 - x.management_fee_share
    per_referral = x.price_per_referral * (x.upfront_share + rate * x.at_risk_share)
    return keep * (x.service_fee_monthly + referrals * per_referral)


@pytest.mark.parametrize(
    ("name", "months"),
    [
        ("hmp-doncaster", 48),
        ("illustrative-supply-chain", 24),
        ("peterborough-sib", 96),
        ("work-programme-jsa-18-24", 60),
    ],
)
def test_the_term_in_months_follows_the_period(name: str, months: int) -> None:
    mechanism = load_example(name)
    assert months_in_term(mechanism) == months
    assert scenario_from_mechanism(mechanism).scenario.months == months


def test_doncaster_guaranteed_fee_is_monthly_and_the_at_risk_tenth_is_paid_per_outcome() -> None:
    mapping = scenario_from_mechanism(load_example("hmp-doncaster"))
    (prime,) = mapping.members
    member = prime.member
    assert prime.party == "serco-catch22" and prime.role == "prime"
    assert member.service_fee_monthly == pytest.approx(900_000 / 12)
    # £100,000 a year at risk, paid per person achieving: 100 referrals x 0.5 by default.
    assert member.price_per_referral == pytest.approx(100_000 / 12 / 50)
    assert member.at_risk_share == 1.0 and member.upfront_share == 0.0
    assert member.outcome_lag_months == 12  # a binary reconviction measure
    assert member.payment_terms_days == 30
    # Reserves: three months of planned income; costs mirror the income (break-even).
    assert member.reserves == pytest.approx(3 * 1_000_000 / 12)
    assert member.fixed_costs_monthly == pytest.approx(75_000)
    assert member.cost_per_referral == pytest.approx(100_000 / 12 / 100)
    assert prime.provenance["reserves"] == "assumed (default)"
    assert prime.provenance["service_fee_monthly"] == "mechanism"
    assert any("clawback" in item for item in mapping.not_modelled)


def test_work_programme_volume_fees_split_up_front_and_per_job_outcome() -> None:
    (prime,) = scenario_from_mechanism(load_example("work-programme-jsa-18-24")).members
    member = prime.member
    assert member.price_per_referral == pytest.approx(3810)  # £400 + £1,200 + 13 x £170
    assert member.upfront_share == pytest.approx(400 / 3810)
    assert member.at_risk_share == pytest.approx(3410 / 3810)
    assert member.outcome_lag_months == 6
    assert member.service_fee_monthly == 0


def test_supply_chain_shares_management_fees_and_the_risk_the_prime_carries() -> None:
    mapping = scenario_from_mechanism(load_example("illustrative-supply-chain"))
    assert [m.party for m in mapping.members] == ["prime", "housing-charity", "womens-centre"]
    housing = _member(mapping.members, "housing-charity").member
    womens = _member(mapping.members, "womens-centre").member
    prime = _member(mapping.members, "prime").member
    # £600,000 a year: £45,000 a month guaranteed, £5,000 withheld on the target.
    assert housing.service_fee_monthly == pytest.approx(0.30 * (45_000 + 0.5 * 5_000))
    assert womens.service_fee_monthly == pytest.approx(0.15 * (45_000 + 5_000))
    assert housing.management_fee_share == pytest.approx(0.12)
    assert housing.payment_terms_days == 30 + 14 and womens.payment_terms_days == 30 + 30
    kept = 0.88 * (0.30 + 0.15) * 45_000 + 0.88 * (0.30 * 0.5 + 0.15 * 1.0) * 5_000
    assert prime.service_fee_monthly == pytest.approx(45_000 - kept)
    assert prime.management_fee_share == 0


def test_the_mapping_passes_on_exactly_the_expected_money_of_the_mechanism() -> None:
    mapping = scenario_from_mechanism(load_example("illustrative-supply-chain"))
    total = sum(_planned_income(m, 100, 0.5) for m in mapping.members)
    # Service fee £50,000 a month; housed £300 per person; reconviction £2,500 per unit with
    # 0.05 units per referral, i.e. £250 per person achieving at the 0.5 outcome rate.
    expected = 50_000 + 100 * 0.5 * (300 + 2_500 * 0.05 / 0.5)
    # The prime's share includes the management fees it keeps, so nothing is lost.
    assert total == pytest.approx(expected)


def test_a_prime_guaranteeing_more_than_its_fixed_income_carries_it_as_a_fixed_cost() -> None:
    document: Any = copy.deepcopy(example_document("illustrative-supply-chain"))
    document["service_fee"]["at_risk"]["share"] = "1"
    document["supply_chain"][1]["at_risk_share"] = "0"
    mapping = scenario_from_mechanism(parse_mechanism(document))
    prime = _member(mapping.members, "prime").member
    assert prime.service_fee_monthly == 0
    # The whole £50,000 a month is at risk; the prime guarantees half of the housing
    # charity's 30% and all of the women's centre's 15%, less their management fees.
    guaranteed = 0.88 * (0.30 * 0.5 + 0.15 * 1.0) * 50_000
    assert prime.fixed_costs_monthly == pytest.approx(guaranteed)


def test_social_impact_bond_capital_is_spread_over_the_term() -> None:
    mapping = scenario_from_mechanism(load_example("peterborough-sib"))
    (prime,) = mapping.members
    assert prime.member.service_fee_monthly == pytest.approx(5_000_000 / 96)
    assert any("investors" in item for item in mapping.not_modelled)


def _assumptions_doc(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format_version": 1,
        "mechanism": "illustrative-supply-chain",
        "referrals_per_month": 40,
        "outcome_rate": 0.4,
        "referrals_dispersion": None,
        "members": {"womens-centre": {"reserves": 10_000, "referrals_mean": 5}},
    }
    document.update(changes)
    return document


def test_assumptions_from_a_file_replace_defaults_and_are_labelled(tmp_path: Path) -> None:
    mechanism = load_example("illustrative-supply-chain")
    path = tmp_path / "assumptions.json"
    path.write_text(json.dumps(_assumptions_doc()), "utf-8")
    assumptions = load_assumptions(path, mechanism)
    mapping = scenario_from_mechanism(mechanism, assumptions)
    womens = _member(mapping.members, "womens-centre")
    assert womens.member.reserves == 10_000 and womens.member.referrals_mean == 5
    assert womens.provenance["reserves"] == f"assumed ({path})"
    housing = _member(mapping.members, "housing-charity")
    assert housing.member.referrals_mean == 40
    assert housing.member.referrals_dispersion == math.inf
    assert housing.provenance["referrals_mean"] == f"assumed ({path})"
    assert housing.provenance["reserves"] == "assumed (default)"
    data = mapping.to_dict()
    assert data["contract"]["outcome_rate"] == {"value": 0.4, "from": f"assumed ({path})"}
    assert data["contract"]["referrals_dispersion"]["value"] is None
    assert data["contract"]["outcome_lag_months"]["from"] == "mechanism"


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"mechanism": "hmp-doncaster"}, "mechanism", "not 'illustrative-supply-chain'"),
        ({"format_version": 2}, "format_version", "must be 1"),
        ({"outcome_rate": 1.5}, "outcome_rate", "between 0 and 1"),
        ({"referrals_per_month": -1}, "referrals_per_month", "must not be negative"),
        ({"referrals_per_month": "many"}, "referrals_per_month", "must be a number"),
        ({"outcome_lag_months": 2.5}, "outcome_lag_months", "whole number of months"),
        ({"outcome_rate_concentration": 0}, "outcome_rate_concentration", "more than 0"),
        ({"members": {"pcc": {}}}, "members.pcc", "no prime or sub-contractor"),
        ({"members": {"prime": {"wages": 1}}}, "members.prime.wages", "not a member assumption"),
        ({"colour": "red"}, "(document)", "unknown field(s) colour"),
    ],
)
def test_bad_assumptions_name_the_field(changes: dict[str, Any], path: str, message: str) -> None:
    mechanism = load_example("illustrative-supply-chain")
    with pytest.raises(PaymentsFormatError) as caught:
        parse_assumptions(_assumptions_doc(**changes), mechanism, source="test")
    assert [(e.path, message in e.message) for e in caught.value.errors] == [(path, True)]


def test_every_problem_in_the_assumptions_is_reported_at_once() -> None:
    mechanism = load_example("illustrative-supply-chain")
    document = _assumptions_doc(outcome_rate=2, members={"prime": {"reserves": -5}})
    with pytest.raises(PaymentsFormatError) as caught:
        parse_assumptions(document, mechanism, source="test")
    assert {e.path for e in caught.value.errors} == {"outcome_rate", "members.prime.reserves"}


def test_the_scenario_runs_and_is_reproducible_with_a_seed() -> None:
    scenario = scenario_from_mechanism(load_example("illustrative-supply-chain")).scenario
    first = run_stress_test(scenario, seed=3, paths=300, workers=1)
    again = run_stress_test(scenario, seed=3, paths=300, workers=1)
    assert [m.ruin_probability for m in first.members] == [
        m.ruin_probability for m in again.members
    ]
    assert all(0 <= m.ruin_probability <= 1 for m in first.members)


def test_more_reserves_never_raise_the_chance_of_running_out() -> None:
    mechanism = load_example("work-programme-jsa-18-24")
    lean = scenario_from_mechanism(mechanism)
    values = dict(Assumptions().values, reserves_months=12.0)
    rich = scenario_from_mechanism(
        mechanism, Assumptions(values, {}, "test", frozenset({"reserves_months"}))
    )
    lean_result = run_stress_test(lean.scenario, seed=1, paths=500, workers=1)
    rich_result = run_stress_test(rich.scenario, seed=1, paths=500, workers=1)
    assert rich_result.members[0].ruin_probability <= lean_result.members[0].ruin_probability
    assert rich.members[0].provenance["reserves"] == "assumed (test)"
