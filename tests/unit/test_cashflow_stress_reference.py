"""The stress test's figures for a fixed seed (PBR-5), pinned when it was made faster (issue 21).

The figures were captured from the implementation before the change (one whole-matrix pass per
member); the faster one (blocks of paths, months along the rows, cheaper inverse-CDF draws) must
give the same draws and the same answers, so a seed keeps meaning the same run.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from commissioning_analytics.cashflow.draws import draw_member
from commissioning_analytics.cashflow.stress import _order_statistics, cash_paths, compare_levers
from commissioning_analytics.cashflow.stress_inputs import Levers, Scenario
from tests.unit.test_cashflow_stress import member

CHAIN = (
    # A large prime: its monthly mean is above the inverse-CDF range (numpy's Poisson sampler).
    member(
        "Prime",
        reserves=400_000.0,
        referrals_mean=60.0,
        referrals_dispersion=3.0,
        management_fee_share=0.0,
        fixed_costs_monthly=20_000.0,
        service_fee_monthly=2_000.0,
    ),
    member("Charity", referrals_mean=4.0, referrals_dispersion=0.9, payment_terms_days=45.0),
    member(
        "Known rate",
        referrals_mean=12.0,
        referrals_dispersion=math.inf,
        outcome_rate_concentration=math.inf,
        payment_terms_days=15.0,
        delivery_months=0,
    ),
    member(
        "Spread",
        referrals_mean=20.0,
        referrals_dispersion=1.2,
        outcome_lag_months=30,
        at_risk_share=0.0,
        reserves=10_000.0,
    ),
)

# variant, member: P(run out), ruin month p10/50/90, lowest cash p10/50/90, fan total, fan p50
# in the last month.
PINNED = {
    ("agreed", "Prime"): (
        0.07,
        (26, 31, 36),
        (45686.044085164125, 291424.3326488707, 305315.19507186866),
        76247885.7004242,
        494685.5,
    ),
    ("agreed", "Charity"): (
        0.9293333333333333,
        (13, 14, 18),
        (-91321.16200807247, -71864.8836019272, -14284.824614408468),
        -1754891.3477233895,
        -71864.8828125,
    ),
    ("agreed", "Known rate"): (
        0.0,
        None,
        (13959.08008213552, 21017.404517453782, 27292.983162217646),
        5150325.315234375,
        21596.8701171875,
    ),
    ("agreed", "Spread"): (
        1.0,
        (1, 2, 3),
        (-89576.05749486655, -19854.332648870637, -11847.917864476387),
        14825719.083486931,
        94456.9609375,
    ),
    ("faster", "Prime"): (
        0.058,
        (27, 31, 35),
        (72146.51737722286, 359218.2751540041, 385240.94455852156),
        88300407.32276611,
        556316.9375,
    ),
    ("faster", "Charity"): (
        0.9053333333333333,
        (13, 15, 21),
        (-90976.61712402622, -68660.1414273578, -2470.4468429882168),
        -865779.0805511482,
        -68660.14453125,
    ),
    ("faster", "Known rate"): (
        0.0,
        None,
        (15285.572895277186, 22397.913757700204, 28707.556468172475),
        5355186.0362792965,
        22839.5234375,
    ),
    ("faster", "Spread"): (
        0.44566666666666666,
        (3, 3, 3),
        (-86767.08418891171, 431.62217659137605, 4178.357289527721),
        18525834.293359365,
        109488.91015625,
    ),
}


def test_seeded_run_gives_the_pinned_figures() -> None:
    results = compare_levers(
        Scenario(CHAIN, 36),
        {"agreed": Levers(), "faster": Levers(payment_terms_days=10.0, upfront_share=0.5)},
        seed=2026,
        paths=3_000,
        workers=1,
    )
    for (variant, name), (ruin, months, lowest, fan_total, last_median) in PINNED.items():
        stress = results[variant].member(name)
        assert stress.ruin_probability == ruin, (variant, name)
        assert stress.ruin_month_percentiles == months, (variant, name)
        assert stress.lowest_cash_percentiles == pytest.approx(lowest, rel=1e-12, abs=1e-9)
        assert float(stress.fan.sum()) == pytest.approx(fan_total, rel=1e-12)
        assert float(stress.fan[2, -1]) == pytest.approx(last_median, rel=1e-12)


def test_seeded_draws_and_cash_paths_give_the_pinned_figures() -> None:
    charity = CHAIN[1]
    draws = draw_member(charity, 2_000, 24, np.random.default_rng(5))
    assert int(draws.referrals.sum()) == 187_198
    assert float(draws.referrals[1234].sum()) == 110.0
    assert float(draws.outcome_rate.sum()) == pytest.approx(793.2772146527464, rel=1e-12)
    cash = cash_paths(charity, draws, 24)
    assert cash.shape == (2_000, 24)
    assert float(cash.sum()) == pytest.approx(265771286.7290486, rel=1e-12)
    assert float(cash[1234, 17]) == pytest.approx(-10398.75373203468, rel=1e-12)
    assert float(cash[7, 23]) == -46000.0
    prime = draw_member(CHAIN[0], 3_000, 36, np.random.default_rng(6))
    assert int(prime.referrals.sum()) == 6_541_810
    assert float(prime.referrals[2999, 35]) == 272.0


@pytest.mark.parametrize("paths", [1, 7, 2_048, 10_000])
def test_fan_order_statistics_are_those_of_a_full_sort(paths: int) -> None:
    """The fan chart picks its percentiles without sorting every month: the values picked are
    those a full sort gives, with ties, constant months, far outliers and signed zeros."""
    rng = np.random.default_rng(paths)
    months = [
        rng.normal(0, 5e4, paths),
        np.round(rng.normal(0, 3, paths)),
        np.full(paths, 125.5),
        np.where(rng.random(paths) < 0.01, 1e9, rng.normal(0, 1, paths)),
        rng.choice([-1e9, -0.0, 0.0, 1e-30, 3.0], paths),
        np.exp(rng.normal(0, 8, paths)),
    ]
    rows = np.ascontiguousarray(np.stack(months), dtype=np.float32)
    ranks = np.unique(
        np.minimum([0, paths // 20, paths // 20 + 1, paths // 2, paths - 1], paths - 1)
    )
    picked = _order_statistics(rows, ranks)
    np.testing.assert_array_equal(picked, np.sort(rows, axis=1)[:, ranks])
