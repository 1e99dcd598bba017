"""Creaming and parking detection (PBR-3).

A provider paid by results can "cream" (work with the people easiest to help) and "park"
(take the referral, do little). The sign is that engagement and outcome rates fall with the
need or complexity of the person referred. For one provider's referrals this module gives, for
each complexity group, the engagement rate (engaged / referred) and the outcome rate
(achieved / referred) with Wilson 95% intervals; a Cochran–Armitage test for a trend in each
proportion across the groups; a flag when a fall is both significant and large; and, given a
differential tariff, the expected outcome payment per referral in each group, to show whether
the tariff gradient pays for the harder cases. Formulas in ``docs/chain-risk.md``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.stats import norm

from commissioning_analytics.payments.money import pounds, to_penny

Z95 = float(norm.ppf(0.975))
"""1.959963984540054: the two-sided 95% normal quantile."""


@dataclass(frozen=True, slots=True)
class Referral:
    """One person referred: ``group`` is the need/complexity ordinal (higher = more complex)."""

    group: int
    engaged: bool
    achieved: bool


@dataclass(frozen=True, slots=True)
class TrendTest:
    """Cochran–Armitage test for trend. ``slope`` is the fitted change in the rate per unit of
    score (negative: falls with complexity); ``p_decline`` is one-sided (a fall)."""

    z: float
    p_two_sided: float
    p_decline: float
    slope: float


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``successes / n`` (8/10 → 0.4902 … 0.9433)."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError("need 0 <= successes <= n and n > 0")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == n else min(1.0, centre + half)
    return lower, upper


def cochran_armitage(
    successes: Sequence[int], totals: Sequence[int], scores: Sequence[float]
) -> TrendTest:
    """``T = Σ sᵢ (xᵢ − nᵢ p̄)``, ``Var T = p̄ (1 − p̄) [Σ nᵢ sᵢ² − (Σ nᵢ sᵢ)² / N]``,
    ``z = T / √Var T``. With no variation (all or no successes) ``z = 0``."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    s = np.asarray(scores, dtype=float)
    if not (len(x) == len(n) == len(s)) or len(x) < 2:
        raise ValueError("need successes, totals and scores for at least two groups")
    big_n = n.sum()
    p_bar = x.sum() / big_n
    t = float(np.sum(s * (x - n * p_bar)))
    sxx = float(np.sum(n * s * s) - np.sum(n * s) ** 2 / big_n)
    if sxx <= 0:
        raise ValueError("scores must differ between groups")
    variance = p_bar * (1 - p_bar) * sxx
    z = t / math.sqrt(variance) if variance > 0 else 0.0
    return TrendTest(
        z=z, p_two_sided=float(2 * norm.sf(abs(z))), p_decline=float(norm.cdf(z)), slope=t / sxx
    )


@dataclass(frozen=True, slots=True)
class GroupRates:
    group: int
    referrals: int
    engaged: int
    achieved: int
    engagement_rate: float
    engagement_interval: tuple[float, float]
    outcome_rate: float
    outcome_interval: tuple[float, float]
    tariff: Decimal | None = None
    expected_payment: Decimal | None = None  # per referral: tariff × outcome rate
    equalising_tariff: Decimal | None = None  # tariff that matches the least complex group


@dataclass(frozen=True)
class CreamingResult:
    groups: tuple[GroupRates, ...]
    engagement_trend: TrendTest
    outcome_trend: TrendTest
    engagement_decline: float  # fitted fall in the rate from least to most complex group
    outcome_decline: float
    flagged: bool
    explanation: str
    tariff_offsets: bool | None  # None when no tariff was given
    tariff_explanation: str

    def summary(self) -> str:
        lines = ["Group  referrals  engaged (95% CI)        outcome (95% CI)"]
        for g in self.groups:
            lines.append(
                f"{g.group:>5}  {g.referrals:>9}  {_rate(g.engagement_rate, g.engagement_interval)}"
                f"  {_rate(g.outcome_rate, g.outcome_interval)}"
            )
        lines.append(self.explanation)
        if self.tariff_explanation:
            lines.append(self.tariff_explanation)
        return "\n".join(lines)


def _rate(rate: float, interval: tuple[float, float]) -> str:
    return f"{rate:6.1%} ({interval[0]:.1%}–{interval[1]:.1%})".ljust(22)


def detect_creaming(
    referrals: Iterable[Referral],
    tariffs: Mapping[int, Decimal] | None = None,
    *,
    alpha: float = 0.05,
    min_decline: float = 0.10,
) -> CreamingResult:
    """Flag creaming or parking when the engagement or outcome rate falls with complexity
    with one-sided Cochran–Armitage ``p < alpha`` and a fitted fall of at least
    ``min_decline`` (a proportion: 0.10 = 10 percentage points) from the least to the most
    complex group. Scores are the group ordinals. ``tariffs`` maps each group to the outcome
    payment per person achieving; every group with referrals must have one."""
    counts: Counter[tuple[int, str]] = Counter()
    for r in referrals:
        counts[(r.group, "referrals")] += 1
        counts[(r.group, "engaged")] += int(r.engaged)
        counts[(r.group, "achieved")] += int(r.achieved)
    groups = sorted({g for g, _ in counts})
    if len(groups) < 2:
        raise ValueError("need referrals in at least two complexity groups")
    if tariffs is not None and set(groups) - set(tariffs):
        raise ValueError(f"no tariff for groups {sorted(set(groups) - set(tariffs))}")
    n = [counts[(g, "referrals")] for g in groups]
    engaged = [counts[(g, "engaged")] for g in groups]
    achieved = [counts[(g, "achieved")] for g in groups]
    e_trend = cochran_armitage(engaged, n, groups)
    o_trend = cochran_armitage(achieved, n, groups)
    span = groups[-1] - groups[0]
    e_decline, o_decline = -e_trend.slope * span, -o_trend.slope * span
    findings = [
        (what, trend, decline)
        for what, trend, decline in (
            ("engagement", e_trend, e_decline),
            ("outcome", o_trend, o_decline),
        )
        if trend.p_decline < alpha and decline >= min_decline
    ]
    explanation = _explain(findings, groups, alpha, min_decline)
    rows = []
    base_payment: Decimal | None = None
    for g, ng, eg, ag in zip(groups, n, engaged, achieved, strict=True):
        tariff = expected = equalising = None
        if tariffs is not None:
            tariff = tariffs[g]
            rate = Decimal(ag) / Decimal(ng)
            raw = tariff * rate
            base_payment = raw if base_payment is None else base_payment
            expected = to_penny(raw)
            equalising = to_penny(base_payment / rate) if rate > 0 else None
        rows.append(
            GroupRates(
                g, ng, eg, ag, eg / ng, wilson_interval(eg, ng), ag / ng, wilson_interval(ag, ng),
                tariff, expected, equalising,
            )
        )  # fmt: skip
    offsets, tariff_text = _tariff_check(rows) if tariffs is not None else (None, "")
    return CreamingResult(
        groups=tuple(rows),
        engagement_trend=e_trend,
        outcome_trend=o_trend,
        engagement_decline=e_decline,
        outcome_decline=o_decline,
        flagged=bool(findings),
        explanation=explanation,
        tariff_offsets=offsets,
        tariff_explanation=tariff_text,
    )


def _explain(
    findings: list[tuple[str, TrendTest, float]], groups: list[int], alpha: float, floor: float
) -> str:
    if not findings:
        return (
            "No sign of creaming or parking: neither the engagement rate nor the outcome rate "
            f"falls with complexity by {floor:.0%} or more at the {alpha:g} significance level."
        )
    parts = [
        f"the {what} rate falls by {decline:.0%} from group {groups[0]} to group {groups[-1]} "
        f"(Cochran–Armitage z = {trend.z:.2f}, one-sided p = {trend.p_decline:.3g})"
        for what, trend, decline in findings
    ]
    return (
        "Possible creaming or parking: "
        + "; ".join(parts)
        + ". People with more complex needs are less likely to be worked with or helped to an "
        "outcome than the differences in tariff and chance alone would suggest; ask the "
        "provider why."
    )


def _tariff_check(rows: list[GroupRates]) -> tuple[bool, str]:
    """The tariff offsets the outcome-rate gradient when no group's expected payment per
    referral is below the least complex group's."""
    base = rows[0]
    assert base.expected_payment is not None
    short = [r for r in rows[1:] if (r.expected_payment or Decimal(0)) < base.expected_payment]
    if not short:
        return True, (
            "The differential tariff offsets the fall in outcome rates: each complexity group "
            f"earns at least the {pounds(base.expected_payment)} per referral of group "
            f"{base.group}."
        )
    detail = "; ".join(
        f"group {r.group} earns {pounds(r.expected_payment or Decimal(0))} per referral"
        + (
            f" (a tariff of {pounds(r.equalising_tariff)} would match)"
            if r.equalising_tariff is not None
            else " (no outcomes, so no tariff would match)"
        )
        for r in short
    )
    return False, (
        "The differential tariff is not steep enough to offset the fall in outcome rates: "
        f"group {base.group} earns {pounds(base.expected_payment)} per referral, but {detail}."
    )
