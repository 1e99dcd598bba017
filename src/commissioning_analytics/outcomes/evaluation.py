"""The whole evaluation: propensity score, matching, balance, effect, statement, safeguards,
score overlap, and optionally time to first event and subgroup results (OUT-1, OUT-2, OUT-4,
PBR-2, EQU-2). The CLI and the web app both call :func:`evaluate`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes import safeguards
from commissioning_analytics.outcomes.balance import Balance, balance_table
from commissioning_analytics.outcomes.effects import Effect, estimate_effect
from commissioning_analytics.outcomes.intermediate import (
    INTERMEDIATE_MEASURES,
    IntermediateResult,
    intermediate_effects,
)
from commissioning_analytics.outcomes.io import PeopleTable
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER, MatchResult, match
from commissioning_analytics.outcomes.numbers import finite
from commissioning_analytics.outcomes.overlap import Overlap, score_overlap
from commissioning_analytics.outcomes.propensity import LogisticFit, fit_logistic
from commissioning_analytics.outcomes.statement import statement
from commissioning_analytics.outcomes.subgroups import (
    AGE_BAND_VARIABLE,
    SubgroupResult,
    age_band_results,
    subgroup_results,
)
from commissioning_analytics.outcomes.time_to_event import (
    TimeToEvent,
    TimeToEventError,
    check_columns,
    matched_time_to_event,
)


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
    overlap: Overlap
    time_to_event: TimeToEvent | None = None
    subgroups: tuple[tuple[str, SubgroupResult], ...] = field(default=())
    intermediate: tuple[IntermediateResult, ...] | None = None
    """``None`` when the comparison data hold no intermediate outcomes (OUT-3)."""

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
            "time_to_event": None if self.time_to_event is None else self.time_to_event.to_dict(),
            "overlap": self.overlap.to_dict(),
            "subgroups": [result.to_dict(variable) for variable, result in self.subgroups],
            "intermediate": (
                None if self.intermediate is None else [r.to_dict() for r in self.intermediate]
            ),
        }


def _finite(value: float) -> float | None:
    """JSON has no inf or NaN: they become null."""
    return finite(value)


def _check_columns(table: PeopleTable, numbers: list[str], text: list[str], purpose: str) -> None:
    for column in numbers:
        if column not in table.numbers:
            raise EvaluationError(f"{table.name}: no numeric column {column!r} ({purpose})")
    for column in text:
        if column not in table.text:
            raise EvaluationError(f"{table.name}: no text column {column!r} ({purpose})")


def _check_status_column(table: PeopleTable, column: str) -> None:
    if column not in INTERMEDIATE_MEASURES:
        raise EvaluationError(f"{column!r} is not an intermediate outcome")
    _check_columns(table, [column], [], "intermediate outcomes")
    values = table.numbers[column]
    bad = np.flatnonzero(~np.isnan(values) & (values != 0) & (values != 1))
    if bad.size:
        raise EvaluationError(
            f"{table.name}: row {int(bad[0]) + 2}: column {column!r} must be 1 (yes), 0 (no) "
            "or empty (not recorded)"
        )


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
    time_to_event: tuple[str, str] | None = None,
    subgroups: list[str] | None = None,
    age_bands_from: str | None = None,
    intermediate: list[str] | None = None,
) -> Evaluation:
    """Match ``cohort`` to ``pool`` on ``covariates`` and estimate the effect on ``outcome``.

    ``time_to_event``: ``(duration column, event column)``, e.g. ``("days_to_first",
    "first_event")`` from :mod:`.measures`, adds Kaplan–Meier, log-rank and Cox results on the
    matched sample (:mod:`.time_to_event`). ``subgroups``: text columns (e.g. sex, ethnicity,
    area) to break the effect down by (:mod:`.subgroups`). ``age_bands_from``: a numeric age
    column, adding results by age band (18–20, 21–24, 25+; OUT-3) as the variable "age band".
    ``intermediate``: status columns of both tables (1, 0 or NaN for not recorded; names from
    :data:`.intermediate.INTERMEDIATE_MEASURES`), each evaluated through the same matched sets
    (:mod:`.intermediate`); ``None`` when the data hold none.
    """
    safeguards.check_cohort_size(cohort.rows, what=f"the cohort ({cohort.name})")
    if pool.rows == 0:
        raise EvaluationError(f"{pool.name}: the comparison pool has no rows")
    for table in (cohort, pool):
        if time_to_event is not None:
            _check_columns(table, list(time_to_event), [], "time to event")
            duration, event = time_to_event
            try:
                check_columns(
                    table.name, table.numbers[duration], table.numbers[event], duration, event
                )
            except TimeToEventError as error:
                raise EvaluationError(str(error)) from None
        _check_columns(table, [], list(subgroups or []), "subgroups")
        if age_bands_from is not None:
            _check_columns(table, [age_bands_from], [], "age bands")
        for column in intermediate or []:
            _check_status_column(table, column)
    safeguards.check_binary_outcome(
        outcome, [(cohort.name, cohort.numbers[outcome]), (pool.name, pool.numbers[outcome])]
    )
    x_t = np.column_stack([cohort.numbers[c] for c in covariates])
    x_c = np.column_stack([pool.numbers[c] for c in covariates])
    x_both = np.vstack([x_t, x_c])
    safeguards.check_covariates(covariates, x_both)
    treated = np.concatenate([np.ones(cohort.rows, dtype=bool), np.zeros(pool.rows, dtype=bool)])
    fit = fit_logistic(x_both, treated, tuple(covariates))
    safeguards.check_separation(fit, x_both, treated)
    t_strata, c_strata = strata_codes(cohort, pool, exact or [])
    logit_t, logit_c = fit.linear_predictor(x_t), fit.linear_predictor(x_c)
    matches = match(
        logit_t,
        logit_c,
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
    survival = None
    if time_to_event is not None:
        duration, event = time_to_event
        survival = matched_time_to_event(
            cohort.numbers[duration],
            cohort.numbers[event],
            pool.numbers[duration],
            pool.numbers[event],
            matches,
            duration=duration,
            event=event,
        )
        warnings.append(safeguards.time_to_event_warning(survival.events_treated, event) or "")
        warnings.extend(survival.warnings)
    groups = tuple(
        (variable, result)
        for variable in dict.fromkeys(subgroups or [])
        for result in subgroup_results(cohort.text[variable], y_t, y_c, matches)
    )
    if age_bands_from is not None:
        ages = cohort.numbers[age_bands_from]
        groups += tuple(
            (AGE_BAND_VARIABLE, result) for result in age_band_results(ages, y_t, y_c, matches)
        )
    statuses = None
    if intermediate is not None:
        statuses = tuple(
            intermediate_effects(
                {c: cohort.numbers[c] for c in intermediate},
                {c: pool.numbers[c] for c in intermediate},
                matches,
            )
        )
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
        warnings=tuple(dict.fromkeys(w for w in warnings if w)),
        published_counts=published,
        overlap=score_overlap(logit_t, logit_c, matches),
        time_to_event=survival,
        subgroups=groups,
        intermediate=statuses,
    )
