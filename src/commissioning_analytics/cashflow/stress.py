"""Working-capital stress test (PBR-5): Monte Carlo cash positions of each supply-chain member.

For every member and path, month by month over the contract::

    cash[t] = reserves + Σ_{s ≤ t} (receipts[s] − fixed_costs − cost_per_referral · referrals[s])

Receipts follow the member's payment tranches, lags, payment terms and the prime's
management fee (see :class:`~commissioning_analytics.cashflow.stress_inputs.Member`).
Reserves *run out* in the first month whose closing cash is below −£0.005 (negative once
rounded to the penny), so float rounding of an exact zero never counts as running out.

Members are simulated independently, each from its own child of
``np.random.SeedSequence(seed)`` (member *i* gets child *i*), one member at a time, so memory
stays at a few arrays of paths × months whatever the chain's size, and the answer does not
depend on the number of worker threads. What-if variants (:func:`compare_levers`) are
evaluated on the same draws (common random numbers), so their differences are due to the
lever, not to noise.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from commissioning_analytics.cashflow.draws import MemberDraws, draw_member
from commissioning_analytics.cashflow.stress_inputs import (
    DAYS_PER_MONTH,
    Levers,
    Member,
    Scenario,
    StressInputError,
)

RUIN_TOLERANCE = 0.005
RUIN_MONTH_PERCENTILES = (10, 50, 90)
LOWEST_CASH_PERCENTILES = (10, 50, 90)
FAN_PERCENTILES = (5, 25, 50, 75, 95)

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class MemberStress:
    """One member's results: chance and timing of running out, lowest cash, fan chart.

    ``ruin_month_percentiles`` are contract months (1 = first) among the paths that run out,
    ``None`` when none does. ``fan`` has one row per :data:`FAN_PERCENTILES` entry and one
    column per month: closing cash across paths.
    """

    name: str
    reserves: float
    ruin_probability: float
    ruin_month_percentiles: tuple[int, ...] | None
    lowest_cash_percentiles: tuple[float, ...]
    fan: Floats = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reserves": self.reserves,
            "ruin_probability": self.ruin_probability,
            "ruin_month_percentiles": (
                None
                if self.ruin_month_percentiles is None
                else dict(zip(RUIN_MONTH_PERCENTILES, self.ruin_month_percentiles, strict=True))
            ),
            "lowest_cash_percentiles": dict(
                zip(LOWEST_CASH_PERCENTILES, self.lowest_cash_percentiles, strict=True)
            ),
            "fan": {q: row.tolist() for q, row in zip(FAN_PERCENTILES, self.fan, strict=True)},
        }


@dataclass(frozen=True)
class StressResult:
    """The stress test of one mechanism variant for every member of the chain."""

    paths: int
    months: int
    seed: int
    levers: Levers
    members: tuple[MemberStress, ...]

    def member(self, name: str) -> MemberStress:
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(name)

    def summary(self) -> str:
        """A plain-text table: one line per member."""
        lines = [
            f"Working-capital stress test: {self.paths:,} paths × {self.months} months, "
            f"seed {self.seed}; mechanism {self.levers.describe()}",
            f"{'Member':<30} {'Free reserves':>13} {'P(run out)':>10} {'Month p10/50/90':>16} "
            f"{'Lowest cash p10/p50/p90':>36}",
        ]
        for m in self.members:
            months = (
                "—"
                if m.ruin_month_percentiles is None
                else "/".join(map(str, m.ruin_month_percentiles))
            )
            lowest = " / ".join(f"£{v:,.0f}" for v in m.lowest_cash_percentiles)
            lines.append(
                f"{m.name[:30]:<30} {f'£{m.reserves:,.0f}':>13} {m.ruin_probability:>10.1%} "
                f"{months:>16} {lowest:>36}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "paths": self.paths,
            "months": self.months,
            "seed": self.seed,
            "levers": self.levers.describe(),
            "members": [m.to_dict() for m in self.members],
        }


@dataclass(frozen=True)
class WhatIf:
    """A variant beside the mechanism as agreed, on the same draws."""

    baseline: StressResult
    variant: StressResult

    def ruin_probability_change(self) -> dict[str, float]:
        """Variant minus baseline probability of running out, per member."""
        return {
            b.name: v.ruin_probability - b.ruin_probability
            for b, v in zip(self.baseline.members, self.variant.members, strict=True)
        }


def run_stress_test(
    scenario: Scenario,
    *,
    seed: int,
    paths: int = 10_000,
    levers: Levers | None = None,
    workers: int | None = None,
) -> StressResult:
    """Simulate every member's cash position; ``levers`` changes the mechanism first."""
    key = "variant"
    return compare_levers(
        scenario, {key: levers or Levers()}, seed=seed, paths=paths, workers=workers
    )[key]


def what_if(
    scenario: Scenario,
    levers: Levers,
    *,
    seed: int,
    paths: int = 10_000,
    workers: int | None = None,
) -> WhatIf:
    """The mechanism as agreed and with ``levers`` applied, on common random numbers."""
    results = compare_levers(
        scenario,
        {"baseline": Levers(), "variant": levers},
        seed=seed,
        paths=paths,
        workers=workers,
    )
    return WhatIf(baseline=results["baseline"], variant=results["variant"])


def compare_levers(
    scenario: Scenario,
    variants: Mapping[str, Levers],
    *,
    seed: int,
    paths: int = 10_000,
    workers: int | None = None,
) -> dict[str, StressResult]:
    """Run several mechanism variants on the same random draws (common random numbers)."""
    if isinstance(paths, bool) or not isinstance(paths, int) or paths < 1:
        raise StressInputError(f"paths: must be a whole number ≥ 1, got {paths!r}")
    if not variants:
        raise StressInputError("variants: at least one is needed")
    applied = {name: lever.apply(scenario) for name, lever in variants.items()}
    streams = np.random.SeedSequence(seed).spawn(len(scenario.members))

    def one_member(index: int) -> dict[str, MemberStress]:
        rng = np.random.default_rng(streams[index])
        draws = draw_member(scenario.members[index], paths, scenario.months, rng)
        return {
            name: _member_stress(variant.members[index], draws, scenario.months)
            for name, variant in applied.items()
        }

    count = workers if workers is not None else _available_cpus()
    if count <= 1:
        per_member = [one_member(i) for i in range(len(scenario.members))]
    else:
        with ThreadPoolExecutor(max_workers=count) as pool:
            per_member = list(pool.map(one_member, range(len(scenario.members))))
    return {
        name: StressResult(
            paths=paths,
            months=scenario.months,
            seed=seed,
            levers=variants[name],
            members=tuple(result[name] for result in per_member),
        )
        for name in variants
    }


def _available_cpus() -> int:
    """CPUs this process may run on (respects ``taskset``/container limits), at most 8."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(8, available))


_BLOCK_PATHS = 1024
"""Paths per block in :func:`_member_stress`: a block's cash (months × paths, float64) and its
scratch stay in the core's cache while every flow is added to them."""


@dataclass(frozen=True)
class _CashPlan:
    """What one member's cash paths are made of, worked out once per member and variant.

    ``per_referral`` is money per referral by the month offset at which it lands (costs at
    offset 0), ``outcome`` the (offset, weight) pairs at which outcome payments land, each worth
    ``outcome_price`` times the path's outcome rate per referral, and ``fixed`` the flows of each
    month that do not depend on referrals (reserves at the start, the service fee, fixed costs).
    """

    per_referral: dict[int, float]
    outcome_price: float
    outcome: tuple[tuple[int, float], ...]
    fixed: Floats


def _cash_plan(member: Member, months: int) -> _CashPlan:
    net = member.price_per_referral * (1.0 - member.management_fee_share)
    delay = member.payment_terms_days / DAYS_PER_MONTH
    whole = math.floor(delay)
    late = delay - whole
    split = ((whole, 1.0 - late), (whole + 1, late))
    # Money per referral by the month offset at which it lands; costs land at once.
    per_referral: dict[int, float] = {0: -member.cost_per_referral}
    for lag, amount in (
        (0, net * member.upfront_share),
        (member.delivery_months, net * member.arrears_share),
    ):
        for shift, weight in split:
            per_referral[lag + shift] = per_referral.get(lag + shift, 0.0) + amount * weight
    # Fixed flows per month: reserves at the start, the service fee, fixed costs.
    fixed = np.full(months, -member.fixed_costs_monthly)
    fixed[0] += member.reserves
    fee = member.service_fee_monthly * (1.0 - member.management_fee_share)
    for shift, weight in split:
        fixed[shift:] += fee * weight
    outcome = tuple(
        (member.outcome_lag_months + shift, weight)
        for shift, weight in split
        if weight and member.outcome_lag_months + shift < months and member.at_risk_share
    )
    return _CashPlan(per_referral, net * member.at_risk_share, outcome, fixed)


def _cash_by_month(
    plan: _CashPlan,
    referrals: Floats,
    outcome_rate: Floats,
    out: Floats,
    scratch: Floats,
) -> Floats:
    """Closing cash (months × paths) into ``out``, for referrals laid out months × paths.

    Each path's flows are added in the same order as ever, so the cash is the same to the
    last bit; months along the rows make each shifted flow and the running total one
    contiguous operation per month rather than a strided one per path.
    """
    months = out.shape[0]
    amounts = iter(plan.per_referral.items())
    _, first = next(amounts)
    np.multiply(referrals, first, out=out)
    for shift, amount in amounts:
        if amount and shift < months:
            part = scratch[: months - shift]
            np.multiply(referrals[: months - shift], amount, out=part)
            out[shift:] += part
    if plan.outcome:
        outcome = plan.outcome_price * outcome_rate
        for lag, weight in plan.outcome:
            part = scratch[: months - lag]
            np.multiply(outcome * weight, referrals[: months - lag], out=part)
            out[lag:] += part
    out += plan.fixed[:, None]
    for month in range(1, months):
        np.add(out[month - 1], out[month], out=out[month])
    return out


def cash_paths(member: Member, draws: MemberDraws, months: int) -> Floats:
    """Closing cash per path and month (paths × months) for one member and its draws."""
    referrals = draws.referrals.T
    out = np.empty(referrals.shape)
    _cash_by_month(
        _cash_plan(member, months), referrals, draws.outcome_rate, out, np.empty_like(out)
    )
    return out.T


def _member_stress(member: Member, draws: MemberDraws, months: int) -> MemberStress:
    """One member's figures, from its cash worked out a block of paths at a time (so the
    block stays in cache) and kept whole only as float32 for the fan chart."""
    plan = _cash_plan(member, months)
    referrals = draws.referrals.T
    paths = referrals.shape[1]
    width = min(paths, _BLOCK_PATHS)
    cash = np.empty((months, width))
    scratch = np.empty_like(cash)
    below = np.empty((months, width), dtype=np.bool_)
    by_month = np.empty((months, paths), dtype=np.float32)
    first_ruin = np.empty(paths, dtype=np.intp)  # contract month, 0 when the path never runs out
    lowest = np.empty(paths)
    for start in range(0, paths, width):
        stop = min(start + width, paths)
        block = cash[:, : stop - start]
        _cash_by_month(
            plan,
            referrals[:, start:stop],
            draws.outcome_rate[start:stop],
            block,
            scratch[:, : stop - start],
        )
        by_month[:, start:stop] = block
        ruin = np.less(block, -RUIN_TOLERANCE, out=below[:, : stop - start])
        first = np.argmax(ruin, axis=0) + 1
        first[~ruin.any(axis=0)] = 0
        first_ruin[start:stop] = first
        np.minimum(block.min(axis=0), member.reserves, out=lowest[start:stop])
    ruined = first_ruin > 0
    ruin_months: tuple[int, ...] | None = None
    if ruined.any():
        ruin_months = tuple(
            int(v)
            for v in np.percentile(
                first_ruin[ruined], RUIN_MONTH_PERCENTILES, method="inverted_cdf"
            )
        )
    return MemberStress(
        name=member.name,
        reserves=member.reserves,
        ruin_probability=float(ruined.mean()),
        ruin_month_percentiles=ruin_months,
        lowest_cash_percentiles=tuple(
            float(v) for v in np.percentile(lowest, LOWEST_CASH_PERCENTILES)
        ),
        fan=_fan(by_month),
    )


def _fan(by_month: npt.NDArray[np.float32]) -> Floats:
    """Percentiles of closing cash per month (linear interpolation, as ``np.percentile``) from
    the cash in float32 (pennies are below the chart's resolution), months × paths."""
    paths = by_month.shape[1]
    position = np.asarray(FAN_PERCENTILES, dtype=np.float64) / 100 * (paths - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, paths - 1)
    fraction = position - below
    ranks = np.unique(np.concatenate([below, above]))
    ordered = _order_statistics(by_month, ranks)
    low = ordered[:, np.searchsorted(ranks, below)].astype(np.float64)
    high = ordered[:, np.searchsorted(ranks, above)].astype(np.float64)
    return (low + (high - low) * fraction).T


_BUCKETS = 2048
"""Buckets per month in :func:`_order_statistics`: about five paths each at 10,000 paths."""


def _order_statistics(
    rows: npt.NDArray[np.float32], ranks: npt.NDArray[np.intp]
) -> npt.NDArray[np.float32]:
    """The ``ranks``-th smallest value (0 = smallest) of each row, exactly as sorting would give.

    Each row's values go into equal-width buckets between its least and greatest (a monotone
    map, so a lower bucket holds only values no greater), counted at once; only the buckets
    holding a wanted rank are sorted. Several times faster than sorting every row, which was
    most of the fan chart's cost.
    """
    months, paths = rows.shape
    least = rows.min(axis=1, keepdims=True)
    span = rows.max(axis=1, keepdims=True).astype(np.float64) - least
    buckets = min(_BUCKETS, paths)
    if not np.all(np.isfinite(span)) or float(span.max(initial=0.0)) > 1e30:
        return np.sort(rows, axis=1)[:, ranks]
    scale = ((buckets - 1) / np.where(span > 0, span, 1.0)).astype(np.float32)
    scaled = np.subtract(rows, least)
    scaled *= scale
    bucket = scaled.astype(np.int32)
    del scaled
    bucket += (np.arange(months, dtype=np.int32) * buckets)[:, None]
    flat = bucket.reshape(-1)
    counts = np.bincount(flat, minlength=months * buckets).reshape(months, buckets)
    before = np.cumsum(counts, axis=1)
    before -= counts
    target = np.stack([np.searchsorted(row, ranks, side="right") - 1 for row in before])
    group = target + (np.arange(months) * buckets)[:, None]
    wanted = np.zeros(months * buckets, dtype=np.bool_)
    wanted[group.ravel()] = True
    chosen = np.flatnonzero(wanted[flat])
    chosen_group = flat[chosen]
    chosen_value = rows.reshape(-1)[chosen]
    order = np.lexsort((chosen_value, chosen_group))
    starts = np.searchsorted(chosen_group[order], group)
    within = ranks[None, :] - np.take_along_axis(before, target, axis=1)
    return chosen_value[order][starts + within]
