"""Working-capital stress test (PBR-5): hand-computable paths, reproducibility, levers."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from commissioning_analytics.cashflow.draws import MemberDraws, draw_member
from commissioning_analytics.cashflow.stress import (
    FAN_PERCENTILES,
    cash_paths,
    compare_levers,
    run_stress_test,
    what_if,
)
from commissioning_analytics.cashflow.stress_inputs import (
    DAYS_PER_MONTH,
    Levers,
    Member,
    Scenario,
    StressInputError,
)


def member(name: str = "Small charity", /, **overrides: float | int) -> Member:
    values: dict[str, float | int] = {
        "reserves": 50_000.0,
        "fixed_costs_monthly": 4_000.0,
        "cost_per_referral": 300.0,
        "referrals_mean": 10.0,
        "referrals_dispersion": 2.0,
        "outcome_rate_mean": 0.4,
        "outcome_rate_concentration": 20.0,
        "price_per_referral": 1_000.0,
        "upfront_share": 0.3,
        "at_risk_share": 0.4,
        "outcome_lag_months": 9,
        "payment_terms_days": 30.0,
        "management_fee_share": 0.2,
        "delivery_months": 3,
    }
    values.update(overrides)
    return Member(name=name, **values)  # type: ignore[arg-type]


def no_referrals(**overrides: float | int) -> Member:
    """A member with no referrals: its cash path has no randomness at all."""
    values: dict[str, float | int] = {"referrals_mean": 0.0, "payment_terms_days": 0.0}
    values.update(overrides)
    return member(**values)


def test_zero_variance_gives_the_exact_cash_path() -> None:
    # Fee £500 less a 20% management fee = £400 in, £600 out: £200 down a month from £1,000.
    scenario = Scenario(
        (no_referrals(reserves=1_000.0, fixed_costs_monthly=600.0, service_fee_monthly=500.0),),
        months=12,
    )
    result = run_stress_test(scenario, seed=1, paths=50).members[0]
    expected = 1_000.0 - 200.0 * np.arange(1, 13)
    for row in result.fan:
        np.testing.assert_allclose(row, expected, atol=0.01)
    # Month 5 closes at exactly £0, which is not running out; month 6 closes at -£200.
    assert result.ruin_probability == 1.0
    assert result.ruin_month_percentiles == (6, 6, 6)
    assert result.lowest_cash_percentiles == pytest.approx((-1_400.0,) * 3)


@pytest.mark.parametrize(
    ("terms_days", "expected"),
    [
        # Receipts 50, 50, 75, 25 (see below) against costs 200, 100, 150, 100.
        (0.0, [850.0, 800.0, 725.0, 650.0]),
        # A whole month's terms moves every receipt one month later.
        (DAYS_PER_MONTH, [800.0, 750.0, 650.0, 625.0]),
    ],
)
def test_cash_path_by_hand_for_given_draws(terms_days: float, expected: list[float]) -> None:
    # Net price £100 after the 50% management fee: £25 up front, £25 in arrears a month
    # later, £50 × outcome rate 0.5 two months later. Referrals 2, 0, 1, 0.
    m = member(
        reserves=1_000.0,
        fixed_costs_monthly=100.0,
        cost_per_referral=50.0,
        price_per_referral=200.0,
        upfront_share=0.25,
        at_risk_share=0.5,
        delivery_months=1,
        outcome_lag_months=2,
        payment_terms_days=terms_days,
        management_fee_share=0.5,
    )
    draws = MemberDraws(
        referrals=np.array([[2.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]),
        outcome_rate=np.array([0.5, 1.0]),
    )
    cash = cash_paths(m, draws, 4)
    np.testing.assert_allclose(cash[0], expected)
    np.testing.assert_allclose(cash[1], [900.0, 800.0, 700.0, 600.0])


def test_costs_with_no_income_run_out_in_a_computable_month() -> None:
    scenario = Scenario((no_referrals(reserves=1_000.0, fixed_costs_monthly=300.0),), months=24)
    result = run_stress_test(scenario, seed=3, paths=20).members[0]
    # £700, £400, £100, then -£200 at the close of month 4.
    assert result.ruin_month_percentiles == (4, 4, 4)
    assert result.ruin_probability == 1.0


def test_half_a_month_of_payment_terms_moves_half_of_each_fee_into_the_next_month() -> None:
    scenario = Scenario(
        (
            no_referrals(
                reserves=1_000.0,
                fixed_costs_monthly=600.0,
                service_fee_monthly=500.0,
                payment_terms_days=DAYS_PER_MONTH / 2,
            ),
        ),
        months=3,
    )
    median = run_stress_test(scenario, seed=1, paths=10).members[0].fan[2]
    # Month 1 receives half the £400 net fee; later months half of this and half of last.
    np.testing.assert_allclose(median, [600.0, 400.0, 200.0], atol=0.01)


def test_large_reserves_never_run_out() -> None:
    scenario = Scenario((member(reserves=1e9),), months=36)
    result = run_stress_test(scenario, seed=5, paths=500).members[0]
    assert result.ruin_probability == 0.0
    assert result.ruin_month_percentiles is None


def test_mean_cash_matches_the_expected_path() -> None:
    # Known rate (Poisson counts) and known outcome rate: the expectation is hand-computable.
    m = member(
        reserves=10_000.0,
        referrals_dispersion=math.inf,
        outcome_rate_concentration=math.inf,
        payment_terms_days=0.0,
        management_fee_share=0.0,
        delivery_months=2,
        outcome_lag_months=4,
    )
    months = 8
    t = np.arange(months)
    per_referral = (
        -300.0
        + 1_000.0 * 0.3
        + np.where(t >= 2, 1_000.0 * 0.3, 0.0)
        + np.where(t >= 4, 1_000.0 * 0.4 * 0.4, 0.0)
    )
    expected = 10_000.0 + np.cumsum(-4_000.0 + 10.0 * per_referral)
    paths = 20_000
    cash = cash_paths(m, draw_member(m, paths, months, np.random.default_rng(11)), months)
    standard_error = cash.std(axis=0) / math.sqrt(paths)
    assert np.all(np.abs(cash.mean(axis=0) - expected) < 4 * standard_error + 0.01)


def test_referral_counts_are_negative_binomial() -> None:
    for mean, shape in ((3.0, 1.5), (12.0, 4.0), (80.0, 5.0)):
        draws = draw_member(
            member(referrals_mean=mean, referrals_dispersion=shape),
            20_000,
            6,
            np.random.default_rng(2),
        )
        counts = draws.referrals
        assert np.all(counts == np.round(counts))
        assert counts.mean() == pytest.approx(mean, rel=0.03)
        assert counts.var() == pytest.approx(mean + mean**2 / shape, rel=0.08)


def test_poisson_counts_by_inverse_cdf_have_poisson_frequencies() -> None:
    draws = draw_member(
        member(referrals_mean=2.0, referrals_dispersion=math.inf),
        50_000,
        4,
        np.random.default_rng(9),
    )
    frequencies = np.bincount(draws.referrals.astype(int).ravel(), minlength=6)[:6] / 200_000
    pmf = [math.exp(-2.0) * 2.0**k / math.factorial(k) for k in range(6)]
    np.testing.assert_allclose(frequencies, pmf, atol=0.004)


def test_same_seed_same_answer_whatever_the_threads() -> None:
    scenario = Scenario((member("A"), member("B", reserves=5_000.0)), months=24)
    one = run_stress_test(scenario, seed=42, paths=300, workers=1)
    two = run_stress_test(scenario, seed=42, paths=300, workers=2)
    assert one.to_dict() == two.to_dict()
    other = run_stress_test(scenario, seed=43, paths=300, workers=1)
    assert other.to_dict() != one.to_dict()


def test_adding_a_member_leaves_the_others_draws_alone() -> None:
    first = Scenario((member("A"),), months=24)
    both = Scenario((member("A"), member("B")), months=24)
    alone = run_stress_test(first, seed=7, paths=200).member("A")
    beside = run_stress_test(both, seed=7, paths=200).member("A")
    assert alone.to_dict() == beside.to_dict()


def test_results_are_ordered_and_shaped() -> None:
    months = 30
    scenario = Scenario((member("A", reserves=20_000.0), member("B")), months=months)
    for result in run_stress_test(scenario, seed=8, paths=400).members:
        assert result.fan.shape == (len(FAN_PERCENTILES), months)
        assert np.all(np.diff(result.fan, axis=0) >= 0)
        assert list(result.lowest_cash_percentiles) == sorted(result.lowest_cash_percentiles)
        assert result.lowest_cash_percentiles[-1] <= result.reserves
        assert 0.0 <= result.ruin_probability <= 1.0
        if result.ruin_month_percentiles is not None:
            assert list(result.ruin_month_percentiles) == sorted(result.ruin_month_percentiles)
            assert 1 <= result.ruin_month_percentiles[0] <= months


def test_what_if_compares_on_the_same_draws() -> None:
    scenario = Scenario((member("A", reserves=15_000.0),), months=36)
    comparison = what_if(scenario, Levers(upfront_share=0.6), seed=4, paths=1_000)
    assert comparison.baseline.to_dict() == run_stress_test(scenario, seed=4, paths=1_000).to_dict()
    change = comparison.ruin_probability_change()["A"]
    assert change < 0
    assert comparison.variant.levers.describe() == "up-front share 0.6"


def test_levers_can_be_limited_to_named_members() -> None:
    scenario = Scenario((member("A"), member("B")), months=12)
    changed = Levers(payment_terms_days=90.0, only=frozenset({"B"})).apply(scenario)
    assert changed.members[0].payment_terms_days == 30.0
    assert changed.members[1].payment_terms_days == 90.0
    with pytest.raises(StressInputError, match="unknown members"):
        Levers(only=frozenset({"C"})).apply(scenario)


def test_summary_and_json() -> None:
    scenario = Scenario((member("Women's centre"), member("Prime", reserves=1e7)), months=12)
    result = run_stress_test(scenario, seed=1, paths=100)
    text = result.summary()
    assert "Women's centre" in text and "Prime" in text
    assert "100 paths × 12 months" in text
    payload = json.loads(json.dumps(result.to_dict()))
    assert payload["members"][1]["ruin_probability"] == 0.0
    assert len(payload["members"][0]["fan"]["50"]) == 12


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reserves": -1.0}, "reserves"),
        ({"upfront_share": 0.7, "at_risk_share": 0.4}, "upfront_share"),
        ({"outcome_rate_mean": 1.5}, "outcome_rate_mean"),
        ({"referrals_dispersion": 0.0}, "referrals_dispersion"),
        ({"management_fee_share": 1.0}, "management_fee_share"),
        ({"outcome_lag_months": -2}, "outcome_lag_months"),
        ({"payment_terms_days": math.nan}, "payment_terms_days"),
    ],
)
def test_bad_member_inputs_name_the_member_and_field(
    overrides: dict[str, float | int], field: str
) -> None:
    with pytest.raises(StressInputError, match=rf"member 'Small charity': {field}"):
        member(**overrides)


def test_bad_scenarios_are_refused() -> None:
    with pytest.raises(StressInputError, match="names must be unique"):
        Scenario((member("A"), member("A")), months=12)
    with pytest.raises(StressInputError, match="months"):
        Scenario((member("A"),), months=0)
    with pytest.raises(StressInputError, match="paths"):
        run_stress_test(Scenario((member("A"),), months=12), seed=1, paths=0)
    with pytest.raises(StressInputError, match="variants"):
        compare_levers(Scenario((member("A"),), months=12), {}, seed=1)


def test_replace_keeps_validation() -> None:
    with pytest.raises(StressInputError, match="at_risk_share"):
        replace(member(), at_risk_share=-0.1)
