"""Benchmarks of the framework-free analytics core (no database, no server).

Each prints its figure against the issue's target; timings are the best of a few runs of the
same work, on the same synthetic data, so a one-off hiccup of the 2-core machine does not count.
Issue 21's targets: the stress test <= 1 s and <= 1 GB, outcome matching alone <= 0.3 s in both
modes, the whole outcome evaluation <= 2 s, and the process's peak RSS <= 2 GB.
"""

from __future__ import annotations

import copy
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np

from commissioning_analytics.cashflow.stress import run_stress_test
from commissioning_analytics.cashflow.stress_inputs import Member, Scenario
from commissioning_analytics.lots.accessibility import accessibility_report
from commissioning_analytics.lots.conditions import LotSpec
from commissioning_analytics.lots.market import market_columns_from_synthetic
from commissioning_analytics.market.geography import AREAS, SPECIALISMS
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.outcomes.evaluation import evaluate
from commissioning_analytics.outcomes.io import PeopleTable
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER, match, pooled_sd
from commissioning_analytics.outcomes.propensity import fit_logistic
from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.loader import example_document

T = TypeVar("T")

PAYMENTS_S = 2.0
STRESS_TEST_S = 1.0
STRESS_TEST_MIB = 1024.0
MATCHING_S = 0.3
WHOLE_EVALUATION_S = 2.0
PEAK_RSS_MIB = 2048.0


def target(figure: float, limit: float, text: str) -> str:
    """``(target <= 1 s: met)``: the target beside its figure, and whether this run met it."""
    return f"(target <= {text}: {'met' if figure <= limit else 'MISSED'})"


def best_and_last(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The best time of ``runs`` runs of ``work``, and what its last run returned."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def best_of(runs: int, work: Callable[[], object]) -> float:
    return best_and_last(runs, work)[0]


def payments_calculation(contracts: int = 1000, periods: int = 20) -> str:
    """Issue 5: payment calculation for 1,000 contracts x 20 periods, target <= 2 s."""
    document = cast(dict[str, Any], copy.deepcopy(example_document("illustrative-supply-chain")))
    document["volume_fees"] = [{"id": "attach", "event": "attachment", "tariff": "400.00"}]
    document["supply_chain"][0]["volume_fee_share"] = "0.5"
    mechanism = parse_mechanism(document)
    observed_periods = []
    for n in range(1, periods + 1):
        period: dict[str, object] = {
            "period": n,
            "start": "2026-01-01",
            "end": "2026-01-28",
            "volumes": [{"event": "attachment", "count": 10 + n}],
            "outcomes": [
                {
                    "measure": "binary-reconviction",
                    "cohort": f"c{n}",
                    "cohort_size": 400,
                    "observed": "41.5",
                    "reference": "45.0",
                }
            ],
        }
        observed_periods.append(period)
    observed = parse_observed(
        {"format_version": 1, "mechanism": mechanism.id, "periods": observed_periods}, mechanism
    )
    lines = len(calculate(mechanism, observed).lines)
    seconds = best_of(2, lambda: [calculate(mechanism, observed) for _ in range(contracts)])
    return (
        f"payments: {contracts:,} contracts x {periods} periods ({lines * contracts:,} lines) "
        f"in {seconds:.2f} s {target(seconds, PAYMENTS_S, '2 s')}"
    )


def lot_accessibility(lots_count: int = 50) -> str:
    """Issue 3: the lot accessibility report on the 10x market (17,000+ providers)."""
    columns = market_columns_from_synthetic(generate_market(2026, 10.0))
    regions = [area.slug for area in AREAS if area.kind == "probation_region"]
    specialisms = [specialism.slug for specialism in SPECIALISMS]
    lots = [
        LotSpec(
            f"Lot {i}",
            (regions[i % len(regions)],) if i % 2 else ("england-and-wales",),
            Decimal(100_000 + 50_000 * i),
            36,
            tuple(specialisms[i % 16 : i % 16 + 1 + i % 3]),
            Decimal(i % 4) if i % 4 else None,
            Decimal(3) if i % 2 else None,
        )
        for i in range(lots_count)
    ]
    seconds = best_of(3, lambda: accessibility_report(columns, lots))
    return (
        f"lot accessibility: {len(columns):,} providers x {lots_count} lots with split "
        f"suggestions in {seconds:.2f} s"
    )


def stress_test(paths: int = 10_000, months: int = 60, members: int = 50) -> str:
    """The working-capital stress test (issue 5; issue 21's targets: <= 1 s and <= 1 GB more
    memory than the process had before it)."""
    rng = np.random.default_rng(0)

    def uniform(low: float, high: float) -> float:
        return float(rng.uniform(low, high))

    chain = tuple(
        Member(
            name=f"member {i}",
            reserves=2e6 if i == 0 else uniform(5e3, 3e5),
            fixed_costs_monthly=uniform(1e3, 2e4),
            cost_per_referral=uniform(100, 900),
            referrals_mean=120.0 if i == 0 else uniform(0.5, 25),
            referrals_dispersion=uniform(0.8, 6),
            outcome_rate_mean=uniform(0.2, 0.6),
            outcome_rate_concentration=20.0,
            price_per_referral=uniform(800, 2500),
            upfront_share=0.3,
            at_risk_share=0.4,
            outcome_lag_months=18,
            payment_terms_days=30.0,
            management_fee_share=0.0 if i == 0 else 0.2,
            delivery_months=3,
            service_fee_monthly=uniform(0, 5e3),
        )
        for i in range(members)
    )
    scenario = Scenario(chain, months)
    run_stress_test(scenario, seed=1, paths=200)  # warm-up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds = best_of(3, lambda: run_stress_test(scenario, seed=1, paths=paths))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return (
        f"stress test: {paths:,} paths x {months} months x {members} members in "
        f"{seconds:.2f} s {target(seconds, STRESS_TEST_S, '1 s')}; memory +{grown_mib:,.0f} MiB "
        f"during it {target(grown_mib, STRESS_TEST_MIB, '1 GB')}, process peak RSS "
        f"{peak_mib:,.0f} MiB"
    )


def _people(name: str, rng: np.random.Generator, rows: int, shift: float) -> PeopleTable:
    covariates = rng.normal(shift, 1.0, size=(rows, 10))
    risk = 1 / (1 + np.exp(-(covariates[:, 0] - 0.5)))
    outcome = (rng.random(rows) < risk).astype(np.float64)
    numbers = {f"x{i}": covariates[:, i].copy() for i in range(10)}
    numbers["reoffended"] = outcome
    return PeopleTable(name=name, rows=rows, numbers=numbers, text={})


@dataclass(frozen=True)
class MatchingFigures:
    """What ``outcomes_matching`` printed, and what the peer comparison (bench/peers.py) needs:
    for each mode (``replace`` False/True) our matching-alone seconds and matched cohort count."""

    lines: list[str]
    ours: dict[bool, tuple[float, int]]


def outcomes_matching(
    treated: int = 10_000, pool: int = 1_000_000, peer_data: Path | None = None
) -> MatchingFigures:
    """Issue 6: fit + match + effect + CI for 10,000 treated x 1,000,000 pool with 10 covariates;
    issue 21's targets: matching alone <= 0.3 s in both modes, whole evaluation <= 2 s, <= 2 GB.

    With ``peer_data``, the fitted logits (and the caliper's width) are saved there as ``.npz`` so
    that causalml matches exactly the same scores (bench/peers.py)."""
    rng = np.random.default_rng(6)
    cohort = _people("cohort", rng, treated, 0.15)
    comparison = _people("pool", rng, pool, 0.0)
    covariates = [f"x{i}" for i in range(10)]
    x_t = np.column_stack([cohort.numbers[c] for c in covariates])
    x_c = np.column_stack([comparison.numbers[c] for c in covariates])
    labels = np.concatenate([np.ones(treated, dtype=bool), np.zeros(pool, dtype=bool)])
    fit_seconds = best_of(2, lambda: fit_logistic(np.vstack([x_t, x_c]), labels, tuple(covariates)))
    fit = fit_logistic(np.vstack([x_t, x_c]), labels, tuple(covariates))
    logit_t, logit_c = fit.linear_predictor(x_t), fit.linear_predictor(x_c)
    if peer_data is not None:
        np.savez(
            peer_data,
            treated_logit=logit_t,
            pool_logit=logit_c,
            caliper=DEFAULT_CALIPER,
            pooled_sd=pooled_sd(logit_t, logit_c),
        )
    lines = [f"outcomes: propensity fit {treated + pool:,} x 10 in {fit_seconds:.2f} s"]
    ours: dict[bool, tuple[float, int]] = {}
    for replace in (False, True):
        seconds, matches = best_and_last(3, partial(match, logit_t, logit_c, replace=replace))
        ours[replace] = (seconds, matches.n_matched_treated)
        whole, evaluation = best_and_last(
            2,
            partial(
                evaluate,
                cohort,
                comparison,
                outcome="reoffended",
                covariates=covariates,
                replace=replace,
            ),
        )
        effect = evaluation.effect
        mode = "with replacement" if replace else "without replacement"
        lines.append(
            f"outcomes: matching alone {mode}: {seconds:.3f} s "
            f"{target(seconds, MATCHING_S, '0.3 s')}; "
            f"whole evaluation (fit + match + balance + effect + CI) {whole:.2f} s "
            f"{target(whole, WHOLE_EVALUATION_S, '2 s')}"
        )
        lines.append(
            f"  {matches.n_matched_treated:,} of {treated:,} matched; effect {effect.effect:+.4f} "
            f"({effect.confidence:.0%} CI {effect.ci_low:+.4f} to {effect.ci_high:+.4f})"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(
        f"outcomes: process peak RSS so far {peak_mib:,.0f} MiB "
        f"{target(peak_mib, PEAK_RSS_MIB, '2 GB')}"
    )
    return MatchingFigures(lines, ours)


def main(peer_data: Path | None = None) -> MatchingFigures:
    """Print every figure; ``peer_data``: where to save the matching data for bench/peers.py."""
    print("analytics core")
    for benchmark in (payments_calculation, lot_accessibility, stress_test):
        print("  " + benchmark())
    figures = outcomes_matching(peer_data=peer_data)
    for line in figures.lines:
        print("  " + line)
    return figures


if __name__ == "__main__":
    main()
