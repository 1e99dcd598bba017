"""Balance diagnostics before and after matching (OUT-1).

* **Standardised mean difference (SMD)**: ``(mean_cohort − mean_comparison) / SD`` where SD is
  the pooled standard deviation *before* matching, ``√((s²_cohort + s²_pool) / 2)``. The same
  denominator is used after matching (as in Stuart 2010 and R's cobalt), so a change in SMD
  reflects a change in means, not in spread. A covariate with no spread at all has SMD 0 when
  the means agree and ±inf otherwise.
* **After matching**, the cohort side is the matched cohort members (each once) and the
  comparison side is the matched pool units weighted by their matching weights (the total
  weight a unit carries across the cohort members it serves).
* **Variance ratio**: ``s²_cohort / s²_comparison`` (weighted, frequency-weight style
  ``Σw(x − x̄)² / (Σw − 1)``); near 1 is good, outside 0.5–2 is poor.
* **Share matched**: matched cohort members / cohort size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes.matching import MatchResult

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class CovariateBalance:
    covariate: str
    smd_before: float
    smd_after: float
    variance_ratio_before: float
    variance_ratio_after: float


@dataclass(frozen=True)
class Balance:
    covariates: tuple[CovariateBalance, ...]
    share_matched: float

    def poorly_balanced(self, threshold: float) -> list[str]:
        """Covariates whose |SMD| after matching is above ``threshold``."""
        return [c.covariate for c in self.covariates if not abs(c.smd_after) <= threshold]


def weighted_mean_var(values: FloatArray, weights: FloatArray) -> tuple[float, float]:
    """Weighted mean and ``Σw(x − x̄)² / (Σw − 1)`` (NaN variance when Σw ≤ 1)."""
    total = float(weights.sum())
    mean = float(np.dot(weights, values) / total)
    spread = float(np.dot(weights, (values - mean) ** 2))
    return mean, spread / (total - 1.0) if total > 1.0 else float("nan")


def _smd(diff: float, sd: float) -> float:
    if sd > 0:
        return diff / sd
    return 0.0 if diff == 0 else float(np.copysign(np.inf, diff))


def _ratio(var_t: float, var_c: float) -> float:
    if var_c > 0:
        return var_t / var_c
    return 1.0 if var_t == 0 else float("inf")


def balance_table(
    names: tuple[str, ...] | list[str],
    treated_x: FloatArray,
    pool_x: FloatArray,
    result: MatchResult,
) -> Balance:
    """SMDs and variance ratios for each covariate column, before and after matching."""
    matched = result.treated_matched()
    pool_weights = result.comparison_weights()
    used = pool_weights > 0
    rows = []
    for k, name in enumerate(names):
        t_all = treated_x[:, k]
        c_all = pool_x[:, k]
        mean_t, var_t = float(t_all.mean()), float(t_all.var(ddof=1))
        mean_c, var_c = float(c_all.mean()), float(c_all.var(ddof=1))
        sd = float(np.sqrt((var_t + var_c) / 2.0))
        t_m = t_all[matched]
        mt = float(t_m.mean()) if t_m.size else float("nan")
        vt = float(t_m.var(ddof=1)) if t_m.size > 1 else float("nan")
        if used.any():
            mc, vc = weighted_mean_var(c_all[used], pool_weights[used])
        else:
            mc, vc = float("nan"), float("nan")
        rows.append(
            CovariateBalance(
                covariate=name,
                smd_before=_smd(mean_t - mean_c, sd),
                smd_after=_smd(mt - mc, sd),
                variance_ratio_before=_ratio(var_t, var_c),
                variance_ratio_after=_ratio(vt, vc),
            )
        )
    share = result.n_matched_treated / result.n_treated if result.n_treated else 0.0
    return Balance(tuple(rows), share)
