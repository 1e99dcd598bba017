"""Effect of the service on one outcome, with its uncertainty (OUT-1, PBR-2).

The estimand is the average effect on the matched cohort (ATT). For each matched cohort member
``i`` with matches ``J(i)`` (weights ``wᵢⱼ = 1/mᵢ``), the difference is
``dᵢ = yᵢ − Σⱼ wᵢⱼ yⱼ``; the effect is ``τ = mean(dᵢ)``, which equals the cohort mean minus
the weighted comparison mean. Binary outcomes (0/1) give a difference in proportions.

**Variance** (Abadie–Imbens-inspired and conservative). ``Σᵢ dᵢ`` has variance
``Σᵢ Var(dᵢ) + Σⱼ σ²ⱼ (Kⱼ² − K′ⱼ)`` where ``Kⱼ = Σᵢ wᵢⱼ`` and ``K′ⱼ = Σᵢ wᵢⱼ²`` for pool unit
``j``: the second term is the covariance between cohort members that share a comparison unit
(matching with replacement). We estimate ``Σᵢ Var(dᵢ)`` by ``N/(N − 1) · Σᵢ (dᵢ − τ)²``
(which also absorbs effect heterogeneity, so it errs on the large side) and ``σ²ⱼ`` by the
weighted variance of the matched comparison outcomes (the marginal, not conditional,
variance: again larger). So ``SE = √(that) / N``. Without replacement a unit serves one member, so
``Kⱼ² = K′ⱼ``, the second term vanishes and this is the familiar paired (matched-set) standard
error. The 95% interval is ``τ ± 1.96·SE`` and the two-sided p-value is
from the normal distribution; cohorts are at least 60 (see :mod:`.safeguards`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

from commissioning_analytics.outcomes.balance import weighted_mean_var
from commissioning_analytics.outcomes.matching import MatchResult

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Effect:
    treated_mean: float
    comparison_mean: float
    effect: float
    standard_error: float
    ci_low: float
    ci_high: float
    p_value: float
    confidence: float
    n_treated: int
    n_comparison: int
    binary: bool

    @property
    def significant(self) -> bool:
        """The interval excludes zero (p below 1 − confidence)."""
        return self.ci_low > 0 or self.ci_high < 0


def _two_sided_p(tau: float, se: float) -> float:
    if se > 0:
        return float(math.erfc(abs(tau / se) / math.sqrt(2)))
    return 1.0 if tau == 0 else 0.0


def is_binary(*outcomes: FloatArray) -> bool:
    return all(bool(np.all((y == 0) | (y == 1))) for y in outcomes)


def estimate_effect(
    treated_outcome: FloatArray,
    pool_outcome: FloatArray,
    result: MatchResult,
    *,
    confidence: float = 0.95,
) -> Effect:
    """Treated mean, matched comparison mean, difference, interval and p-value."""
    y_t = np.asarray(treated_outcome, dtype=np.float64)
    y_c = np.asarray(pool_outcome, dtype=np.float64)
    n = result.n_matched_treated
    if n < 2:
        raise ValueError("at least two matched cohort members are needed to estimate an effect")
    members = np.unique(result.treated)
    imputed = np.bincount(
        result.treated, weights=result.weight * y_c[result.comparison], minlength=y_t.size
    )[members]
    d = y_t[members] - imputed
    tau = float(d.mean())
    k = result.comparison_weights()
    k2 = np.bincount(result.comparison, weights=result.weight**2, minlength=y_c.size)
    used = k > 0
    comparison_mean, sigma2 = weighted_mean_var(y_c[used], k[used])
    sharing = float(np.sum(k[used] ** 2 - k2[used]))
    sigma2 = sigma2 if math.isfinite(sigma2) else 0.0
    variance = (n / (n - 1) * float(np.sum((d - tau) ** 2)) + sharing * sigma2) / n**2
    return normal_effect(
        float(y_t[members].mean()),
        comparison_mean,
        tau,
        math.sqrt(max(variance, 0.0)),
        n_treated=n,
        n_comparison=result.n_matched_comparison,
        binary=is_binary(y_t, y_c),
        confidence=confidence,
    )


def normal_effect(
    treated_mean: float,
    comparison_mean: float,
    tau: float,
    se: float,
    *,
    n_treated: int,
    n_comparison: int,
    binary: bool,
    confidence: float = 0.95,
) -> Effect:
    """The effect ``tau`` with its normal interval and two-sided p-value from ``se``."""
    z = float(norm.ppf(0.5 + confidence / 2))
    return Effect(
        treated_mean=treated_mean,
        comparison_mean=comparison_mean,
        effect=tau,
        standard_error=se,
        ci_low=tau - z * se,
        ci_high=tau + z * se,
        p_value=_two_sided_p(tau, se),
        confidence=confidence,
        n_treated=n_treated,
        n_comparison=n_comparison,
        binary=binary,
    )
