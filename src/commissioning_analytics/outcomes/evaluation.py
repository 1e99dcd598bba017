"""The whole evaluation: propensity score, matching, balance, effect, statement, safeguards
(OUT-1, OUT-2, OUT-4, PBR-2). The CLI and the web app both call :func:`evaluate`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes import safeguards
from commissioning_analytics.outcomes.balance import Balance, balance_table
from commissioning_analytics.outcomes.effects import Effect, estimate_effect
from commissioning_analytics.outcomes.io import PeopleTable
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER, MatchResult, match
from commissioning_analytics.outcomes.propensity import LogisticFit, fit_logistic
from commissioning_analytics.outcomes.statement import statement


class EvaluationError(ValueError):
    """The evaluation cannot give a result (e.g. no overlap between cohort and pool)."""


@dataclass(frozen=True)
class Evaluation:
    outcome: str
    covariates: tuple[str, ...]
    n_treated: int
    n_pool: int
    fit: LogisticFit
    matches: MatchResult
    balance: Balance
    effect: Effect
    statement: str
    warnings: tuple[str, ...]
    published_counts: dict[str, int | str]

    def to_dict(self) -> dict[str, Any]:
        e = self.effect
        return {
            "outcome": self.outcome,
            "outcome_type": "binary" if e.binary else "continuous",
            "n_treated": self.n_treated,
            "n_pool": self.n_pool,
            "n_matched_treated": self.matches.n_matched_treated,
            "n_matched_comparison": self.matches.n_matched_comparison,
            "share_matched": self.balance.share_matched,
            "caliper_width_logit": _finite(self.matches.caliper_width),
            "treated_mean": e.treated_mean,
            "comparison_mean": e.comparison_mean,
            "effect": e.effect,
            "standard_error": e.standard_error,
            "ci_low": e.ci_low,
            "ci_high": e.ci_high,
            "confidence": e.confidence,
            "p_value": e.p_value,
            "balance": [
                {
                    "covariate": b.covariate,
                    "smd_before": _finite(b.smd_before),
                    "smd_after": _finite(b.smd_after),
                    "variance_ratio_before": _finite(b.variance_ratio_before),
                    "variance_ratio_after": _finite(b.variance_ratio_after),
                }
                for b in self.balance.covariates
            ],
            "propensity_model": {
                "terms": ["(intercept)", *self.fit.names],
                "coefficients": self.fit.coefficients.tolist(),
                "converged": self.fit.converged,
                "iterations": self.fit.iterations,
            },
            "published_counts": self.published_counts,
            "statement": self.statement,
            "warnings": list(self.warnings),
        }


def _finite(value: float) -> float | None:
    """JSON has no inf or NaN: they become null."""
    return value if np.isfinite(value) else None


def strata_codes(
    cohort: PeopleTable, pool: PeopleTable, columns: list[str]
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | tuple[None, None]:
    """One integer code per combination of the ``columns`` values, shared by both files."""
    if not columns:
        return None, None
    n_t = cohort.rows
    code = np.zeros(n_t + pool.rows, dtype=np.int64)
    for column in columns:
        both = np.concatenate([cohort.text[column], pool.text[column]])
        levels, inverse = np.unique(both, return_inverse=True)
        code = code * len(levels) + inverse.astype(np.int64)
        _, code = np.unique(code, return_inverse=True)  # keep codes small
    return code[:n_t], code[n_t:]


def evaluate(
    cohort: PeopleTable,
    pool: PeopleTable,
    *,
    outcome: str,
    covariates: list[str],
    exact: list[str] | None = None,
    caliper: float | None = DEFAULT_CALIPER,
    replace: bool = False,
    ratio: int = 1,
    seed: int | None = None,
    outcome_label: str | None = None,
) -> Evaluation:
    """Match ``cohort`` to ``pool`` on ``covariates`` and estimate the effect on ``outcome``."""
    safeguards.check_cohort_size(cohort.rows, what=f"the cohort ({cohort.name})")
    if pool.rows == 0:
        raise EvaluationError(f"{pool.name}: the comparison pool has no rows")
    x_t = np.column_stack([cohort.numbers[c] for c in covariates])
    x_c = np.column_stack([pool.numbers[c] for c in covariates])
    treated = np.concatenate([np.ones(cohort.rows, dtype=bool), np.zeros(pool.rows, dtype=bool)])
    fit = fit_logistic(np.vstack([x_t, x_c]), treated, tuple(covariates))
    t_strata, c_strata = strata_codes(cohort, pool, exact or [])
    matches = match(
        fit.linear_predictor(x_t),
        fit.linear_predictor(x_c),
        ratio=ratio,
        caliper=caliper,
        replace=replace,
        treated_strata=t_strata,
        pool_strata=c_strata,
        seed=seed,
    )
    if matches.n_matched_treated == 0:
        raise EvaluationError(
            "no overlap: no cohort member has a comparison within the caliper "
            "(try a wider caliper, fewer exact-matching columns or a larger pool)"
        )
    safeguards.check_cohort_size(matches.n_matched_treated, what="the matched cohort")
    y_t, y_c = cohort.numbers[outcome], pool.numbers[outcome]
    balance = balance_table(covariates, x_t, x_c, matches)
    effect = estimate_effect(y_t, y_c, matches)
    warnings = list(fit.warnings)
    published: dict[str, int | str] = {
        "matched_treated": safeguards.publish_count(matches.n_matched_treated),
        "matched_comparison": safeguards.publish_count(matches.n_matched_comparison),
    }
    if effect.binary:
        events_t = int(y_t[matches.treated_matched()].sum())
        events_c = float(np.dot(matches.comparison_weights(), y_c))
        published["treated_with_outcome"] = safeguards.publish_count(events_t)
        published["comparison_with_outcome_weighted"] = safeguards.publish_count(events_c)
        warnings.append(safeguards.events_warning(events_t, outcome) or "")
    warnings.append(safeguards.unmatched_warning(cohort.rows, matches.n_matched_treated) or "")
    warnings.append(safeguards.balance_warning(balance.poorly_balanced(safeguards.MAX_SMD)) or "")
    label = outcome_label or (f"have the outcome {outcome!r}" if effect.binary else f"{outcome!r}")
    return Evaluation(
        outcome=outcome,
        covariates=tuple(covariates),
        n_treated=cohort.rows,
        n_pool=pool.rows,
        fit=fit,
        matches=matches,
        balance=balance,
        effect=effect,
        statement=statement(effect, label),
        warnings=tuple(w for w in warnings if w),
        published_counts=published,
    )
