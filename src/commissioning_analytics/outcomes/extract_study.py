"""A study against the steward's national extract: the three headline measures (OUT-1, PBR-2).

The cohort is a set of extract rows (the provider's people, found by pseudonym); the pool is
every other row unless given. The propensity model is fitted on cohort and pool, the cohort is
matched on its logit as in :func:`.evaluation.evaluate`, and only then are the measures computed,
for the matched people alone (:meth:`.extract.Extract.measures_for`): at national scale that is
some 20,000 people's offences instead of 5,000,000.

The three measures and their intervals:

* **rate** of proven reoffending and **frequency** (reoffences per 100 people): the matched
  effect and its variance from :func:`.effects.estimate_effect`;
* intermediate outcomes the extract holds (:mod:`.intermediate`: accommodation, employment,
  education or training at 6 weeks and 6 months), through the same matched sets;
* **days to first reoffence among those who reoffend**: the mean over the matched cohort members
  who reoffended against the weighted mean over the matched comparison people who reoffended
  (weights as in matching); its standard error is ``√(s²_t / n_t + s²_c / n_eff)`` with Kish's
  effective size ``n_eff = (Σw)² / Σw²`` — the two groups are compared as independent samples,
  as the Justice Data Lab does for this measure, because reoffending itself selects who is in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from commissioning_analytics.outcomes import safeguards
from commissioning_analytics.outcomes.balance import Balance, balance_table, weighted_mean_var
from commissioning_analytics.outcomes.effects import Effect, estimate_effect, normal_effect
from commissioning_analytics.outcomes.extract import Extract
from commissioning_analytics.outcomes.intermediate import IntermediateResult, intermediate_effects
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER, MatchResult, match
from commissioning_analytics.outcomes.measures import Measures
from commissioning_analytics.outcomes.numbers import finite
from commissioning_analytics.outcomes.propensity import LogisticFit, fit_logistic

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class ExtractStudyError(ValueError):
    """The study cannot give a result (no overlap, a cohort too small after matching)."""


@dataclass(frozen=True)
class ExtractStudy:
    """``matches`` index the cohort rows and ``comparison_rows`` (the matched pool people, in
    extract rows); the measures are those of ``cohort_rows`` and ``comparison_rows``."""

    covariates: tuple[str, ...]
    cohort_rows: IntArray
    comparison_rows: IntArray
    n_pool: int
    fit: LogisticFit
    matches: MatchResult
    balance: Balance
    cohort_measures: Measures
    comparison_measures: Measures
    rate: Effect
    frequency_per_100: Effect
    days_to_first: Effect | None
    warnings: tuple[str, ...]
    intermediate: tuple[IntermediateResult, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON of the results (no pseudonyms or rows: counts and figures only)."""
        return {
            "n_cohort": int(self.cohort_rows.size),
            "n_pool": self.n_pool,
            "n_matched_treated": self.matches.n_matched_treated,
            "n_matched_comparison": self.matches.n_matched_comparison,
            "measures": {
                "rate": _effect_dict(self.rate),
                "frequency_per_100": _effect_dict(self.frequency_per_100),
                "days_to_first": _effect_dict(self.days_to_first),
            },
            "intermediate": [
                {
                    "measure": r.measure,
                    "label": r.label,
                    "n_recorded": r.n_recorded,
                    "note": r.note,
                    **(_effect_dict(r.effect) or {}),
                }
                for r in self.intermediate
            ],
            "warnings": list(self.warnings),
        }


def _effect_dict(effect: Effect | None) -> dict[str, Any] | None:
    if effect is None:
        return None
    names = ("treated_mean", "comparison_mean", "effect", "standard_error", "ci_low", "ci_high")
    figures: dict[str, Any] = {name: finite(getattr(effect, name)) for name in names}
    return figures | {
        "p_value": finite(effect.p_value),
        "n_treated": effect.n_treated,
        "n_comparison": effect.n_comparison,
        "significant": effect.significant,
    }


def _compact(result: MatchResult, pool_rows: IntArray) -> tuple[MatchResult, IntArray]:
    """The same pairs with the pool renumbered to the matched people only."""
    used, comparison = np.unique(result.comparison, return_inverse=True)
    compact = MatchResult(
        result.treated,
        comparison.astype(np.int64),
        result.weight,
        result.caliper_width,
        result.n_treated,
        int(used.size),
    )
    return compact, pool_rows[used]


def among_reoffenders(
    treated_days: FloatArray,
    treated_reoffended: NDArray[np.bool_],
    comparison_days: FloatArray,
    comparison_reoffended: NDArray[np.bool_],
    result: MatchResult,
    *,
    confidence: float = 0.95,
) -> Effect | None:
    """Mean days to first reoffence among the matched people who reoffended, cohort against
    comparison (weights from matching); ``None`` with fewer than two reoffenders on a side."""
    matched = result.treated_matched() & np.asarray(treated_reoffended, dtype=bool)
    weights = result.comparison_weights() * np.asarray(comparison_reoffended, dtype=bool)
    a = np.asarray(treated_days, dtype=np.float64)[matched]
    used = weights > 0
    if a.size < 2 or np.count_nonzero(used) < 2:
        return None
    w, b = weights[used], np.asarray(comparison_days, dtype=np.float64)[used]
    comparison_mean, comparison_var = weighted_mean_var(b, w)
    effective = float(w.sum() ** 2 / np.sum(w**2))
    se = math.sqrt(float(np.var(a, ddof=1)) / a.size + comparison_var / effective)
    return normal_effect(
        float(a.mean()),
        comparison_mean,
        float(a.mean()) - comparison_mean,
        se,
        n_treated=int(a.size),
        n_comparison=int(np.count_nonzero(used)),
        binary=False,
        confidence=confidence,
    )


def study_extract(
    extract: Extract,
    cohort_rows: ArrayLike,
    *,
    covariates: list[str],
    pool_rows: ArrayLike | None = None,
    caliper: float | None = DEFAULT_CALIPER,
    replace: bool = False,
    ratio: int = 1,
    seed: int | None = None,
    cohort_index_dates: ArrayLike | None = None,
) -> ExtractStudy:
    """Fit, match, measure and estimate the three headline effects (see the module).

    ``cohort_index_dates`` (one per cohort row) measures the cohort from the provider's own
    index dates instead of the extract's; the comparison keeps the extract's."""
    cohort = np.asarray(cohort_rows, dtype=np.int64)
    safeguards.check_cohort_size(cohort.size, what="the cohort")
    if pool_rows is None:
        in_cohort = np.zeros(extract.rows, dtype=bool)
        in_cohort[cohort] = True
        pool = np.flatnonzero(~in_cohort).astype(np.int64)
    else:
        pool = np.asarray(pool_rows, dtype=np.int64)
    if pool.size == 0:
        raise ExtractStudyError("the comparison pool has no people")
    columns = [extract.numbers[c] for c in covariates]
    x_t = np.column_stack([c[cohort] for c in columns])
    x_c = np.column_stack([c[pool] for c in columns])
    x_both = np.vstack([x_t, x_c])
    safeguards.check_covariates(covariates, x_both)
    treated = np.zeros(x_both.shape[0], dtype=bool)
    treated[: cohort.size] = True
    fit = fit_logistic(x_both, treated, tuple(covariates))
    safeguards.check_separation(fit, x_both, treated)
    del x_both, treated
    logit_t, logit_c = fit.linear_predictor(x_t), fit.linear_predictor(x_c)
    full = match(logit_t, logit_c, ratio=ratio, caliper=caliper, replace=replace, seed=seed)
    if full.n_matched_treated == 0:
        raise ExtractStudyError("no cohort member has a comparison within the caliper")
    safeguards.check_cohort_size(full.n_matched_treated, what="the matched cohort")
    balance = balance_table(covariates, x_t, x_c, full)
    matches, comparison_rows = _compact(full, pool)
    treated_measures = extract.measures_for(cohort, cohort_index_dates)
    comparison_measures = extract.measures_for(comparison_rows)
    rate = estimate_effect(
        treated_measures.reoffended.astype(np.float64),
        comparison_measures.reoffended.astype(np.float64),
        matches,
    )
    frequency = estimate_effect(
        treated_measures.reoffences * np.float64(100.0),
        comparison_measures.reoffences * np.float64(100.0),
        matches,
    )
    days = among_reoffenders(
        treated_measures.days_to_first.astype(np.float64),
        treated_measures.reoffended.astype(bool),
        comparison_measures.days_to_first.astype(np.float64),
        comparison_measures.reoffended.astype(bool),
        matches,
    )
    intermediate = intermediate_effects(
        {name: values[cohort] for name, values in extract.statuses.items()},
        {name: values[comparison_rows] for name, values in extract.statuses.items()},
        matches,
    )
    warnings = [
        *fit.warnings,
        safeguards.unmatched_warning(cohort.size, full.n_matched_treated) or "",
        safeguards.balance_warning(balance.poorly_balanced(safeguards.MAX_SMD)) or "",
    ]
    return ExtractStudy(
        covariates=tuple(covariates),
        cohort_rows=cohort,
        comparison_rows=comparison_rows,
        n_pool=int(pool.size),
        fit=fit,
        matches=matches,
        balance=balance,
        cohort_measures=treated_measures,
        comparison_measures=comparison_measures,
        rate=rate,
        frequency_per_100=frequency,
        days_to_first=days,
        warnings=tuple(w for w in dict.fromkeys(warnings) if w),
        intermediate=tuple(intermediate),
    )
