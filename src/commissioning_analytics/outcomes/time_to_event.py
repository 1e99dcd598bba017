"""Time to first proven reoffence on the matched sample (OUT-1).

The matched cohort members (weight 1 each) are compared with the matched comparison people,
each weighted by their matching weight (the sum of ``1/mᵢ`` over the members they serve, so
the comparison group counts as many people as the matched cohort):

* **Kaplan–Meier** curves for each group (:mod:`.survival`; weighted for the comparison);
* the **log-rank test** between them (weighted, approximate for non-integer weights);
* a **Cox model** with the single covariate "in the cohort" (:mod:`.cox`, Efron ties,
  weighted): its hazard ratio is the cohort's hazard of a first reoffence relative to the
  matched comparison (below 1: reoffending later or less). Its standard error, interval and
  p-value use the **Lin–Wei robust variance clustered on matched sets** (each cohort member
  with the comparison people matched to it); a comparison person matched to several members
  (matching with replacement) is also a cluster of its own, so the variance is two-way
  clustered (Cameron, Gelbach & Miller 2011): ``meat = M_sets + M_people − M_set∩person``
  (Austin & Cafri 2020, Stat Med 39:1623, found clustering on matched sets and on the reused
  comparison people gives correct standard errors after matching with replacement; the
  model-based one, which treats matching weights as frequency weights, is too small). A
  comparison person's weighted score residual is shared among its matched sets in proportion
  to its pair weights. The model-based standard error stays in ``model_standard_error``.

For the stored result each curve is **thinned to at most 200 points**: the first and last
event times are always kept, and the points in between are taken at evenly spaced positions
along the list of event times (not in time), so a curve with more than 200 distinct event
times loses some of its steps but never its ends. With days as the time unit and a one-year
follow-up there are at most 365 event times.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes.cox import (
    CoxError,
    CoxFit,
    cluster_meat,
    cluster_sums,
    fit_cox,
    sandwich,
    score_residuals,
)
from commissioning_analytics.outcomes.matching import MatchResult
from commissioning_analytics.outcomes.numbers import finite
from commissioning_analytics.outcomes.survival import KaplanMeier, LogRank, kaplan_meier
from commissioning_analytics.outcomes.survival import logrank_test as _logrank

FloatArray = NDArray[np.float64]
MAX_POINTS = 200
ROBUST_VARIANCE = "robust, clustered on matched sets and reused comparison people"


class TimeToEventError(ValueError):
    """The duration or event column cannot be used."""


@dataclass(frozen=True)
class TimeToEvent:
    duration: str
    event: str
    treated: KaplanMeier
    comparison: KaplanMeier
    log_rank: LogRank | None
    cox: CoxFit | None
    events_treated: int
    events_comparison: float
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        cox: dict[str, float | str | None] | None = None
        if self.cox is not None:
            fit = self.cox
            cox = {
                "hazard_ratio": finite(fit.hazard_ratios[0]),
                "ci_low": finite(fit.hr_ci_low[0]),
                "ci_high": finite(fit.hr_ci_high[0]),
                "p_value": finite(fit.p_values[0]),
                "coefficient": finite(fit.coefficients[0]),
                "standard_error": finite(fit.standard_errors[0]),
                "model_standard_error": finite(
                    fit.standard_errors[0]
                    if fit.model_standard_errors is None
                    else fit.model_standard_errors[0]
                ),
                "variance": fit.variance,
            }
        log_rank = None
        if self.log_rank is not None:
            log_rank = {
                "statistic": finite(self.log_rank.statistic),
                "p_value": finite(self.log_rank.p_value),
            }
        return {
            "duration": self.duration,
            "event": self.event,
            "kaplan_meier": {
                "treated": curve_points(self.treated),
                "comparison": curve_points(self.comparison),
            },
            "median_days": {
                "treated": finite(self.treated.median),
                "comparison": finite(self.comparison.median),
            },
            "log_rank": log_rank,
            "cox": cox,
            "events": {
                "treated": self.events_treated,
                "comparison_weighted": round(self.events_comparison, 6),
            },
        }


def thin(n: int, limit: int = MAX_POINTS) -> NDArray[np.int64]:
    """At most ``limit`` indices of ``range(n)``, evenly spaced, always the first and last."""
    if n <= limit:
        return np.arange(n, dtype=np.int64)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(np.int64))


def curve_points(km: KaplanMeier, limit: int = MAX_POINTS) -> list[dict[str, float | None]]:
    """One point per distinct event time (thinned, see the module docstring)."""
    return [
        {
            "time": float(km.times[i]),
            "survival": finite(round(float(km.survival[i]), 10)),
            "ci_low": finite(round(float(km.ci_low[i]), 10)),
            "ci_high": finite(round(float(km.ci_high[i]), 10)),
            "at_risk": round(float(km.at_risk[i]), 6),
        }
        for i in thin(km.times.size, limit)
    ]


def check_columns(
    name: str, durations: FloatArray, events: FloatArray, duration: str, event: str
) -> None:
    """Durations must not be negative and events must be 0 or 1 (one line naming the row)."""
    bad = np.flatnonzero(durations < 0)
    if bad.size:
        row = int(bad[0])
        raise TimeToEventError(
            f"{name}: row {row + 2}: column {duration!r} has {durations[row]:g}; "
            "durations must not be negative"
        )
    bad = np.flatnonzero((events != 0) & (events != 1))
    if bad.size:
        row = int(bad[0])
        raise TimeToEventError(
            f"{name}: row {row + 2}: column {event!r} has {events[row]:g}; "
            "events must be 0 (censored) or 1 (event)"
        )


def _empty_curve() -> KaplanMeier:
    empty = np.empty(0)
    return KaplanMeier(empty, empty, empty, empty, empty, empty)


def matched_cox(
    durations_t: FloatArray,
    events_t: FloatArray,
    durations_c: FloatArray,
    events_c: FloatArray,
    matches: MatchResult,
    *,
    ties: str = "efron",
) -> CoxFit:
    """The Cox model "in the cohort" on the matched sample, its standard error two-way
    clustered on matched sets and comparison people (module docstring)."""
    members = np.flatnonzero(matches.treated_matched())
    weights = matches.comparison_weights()
    used = np.flatnonzero(weights > 0)
    n_t = members.size
    group = np.concatenate([np.ones(n_t), np.zeros(used.size)])[:, None]
    durations = np.concatenate([durations_t[members], durations_c[used]])
    events = np.concatenate([events_t[members], events_c[used]])
    case_weights = np.concatenate([np.ones(n_t), weights[used]])
    fit = fit_cox(group, durations, events, case_weights, names=("cohort",), ties=ties)
    if fit.covariance is None:
        return fit
    scores = score_residuals(group, durations, events, case_weights, fit.coefficients, ties=ties)
    own, pooled = scores[:n_t], scores[n_t:]
    row_of = np.zeros(matches.n_pool, dtype=np.int64)
    row_of[used] = np.arange(used.size)
    set_of = np.zeros(matches.n_treated, dtype=np.int64)
    set_of[members] = np.arange(n_t)
    share = (matches.weight / weights[matches.comparison])[:, None]
    pair_scores = share * pooled[row_of[matches.comparison]]
    sets = own.copy()
    np.add.at(sets, set_of[matches.treated], pair_scores)
    pairs = cluster_sums(pair_scores, matches.treated * matches.n_pool + matches.comparison)
    meat_sets = cluster_meat(sets)
    meat_people = cluster_meat(own) + cluster_meat(pooled)
    meat = meat_sets + meat_people - (cluster_meat(own) + cluster_meat(pairs))
    if not np.all(np.diag(meat) > 0):
        # Two-way sums can fall below zero in small samples; the larger one-way sum is safe.
        meat = max(meat_sets, meat_people, key=lambda m: float(np.trace(m)))
    return fit.with_covariance(sandwich(fit.covariance, meat), ROBUST_VARIANCE)


def matched_time_to_event(
    durations_t: FloatArray,
    events_t: FloatArray,
    durations_c: FloatArray,
    events_c: FloatArray,
    matches: MatchResult,
    *,
    duration: str,
    event: str,
) -> TimeToEvent:
    """Kaplan–Meier, log-rank and Cox on the matched cohort against the matched comparison."""
    members = matches.treated_matched()
    weights = matches.comparison_weights()
    used = weights > 0
    t_t, e_t = durations_t[members], events_t[members]
    t_c, e_c, w_c = durations_c[used], events_c[used], weights[used]
    events_treated = int(e_t.sum())
    events_comparison = float(np.dot(w_c, e_c))
    km_t = kaplan_meier(t_t, e_t) if events_treated else _empty_curve()
    km_c = kaplan_meier(t_c, e_c, w_c) if events_comparison > 0 else _empty_curve()
    warnings: list[str] = []
    log_rank: LogRank | None = None
    cox: CoxFit | None = None
    if events_treated or events_comparison > 0:
        log_rank = _logrank(t_t, e_t, t_c, e_c, None, w_c)
        try:
            cox = matched_cox(durations_t, events_t, durations_c, events_c, matches)
            warnings.extend(cox.warnings)
        except CoxError as error:
            warnings.append(f"the Cox model could not be fitted: {error}")
    else:
        warnings.append(f"no one in the matched sample has the event {event!r}")
    return TimeToEvent(
        duration=duration,
        event=event,
        treated=km_t,
        comparison=km_c,
        log_rank=log_rank,
        cox=cox,
        events_treated=events_treated,
        events_comparison=events_comparison,
        warnings=tuple(warnings),
    )
