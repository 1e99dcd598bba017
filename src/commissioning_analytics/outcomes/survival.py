"""Time to first proven reoffence: Kaplan–Meier curves and the log-rank test (OUT-1).

* **Kaplan–Meier**: at each distinct event time ``t``, ``S(t) = Π (1 − dₜ / nₜ)`` with ``dₜ``
  events at ``t`` and ``nₜ`` people still at risk (time ≥ ``t``); people censored at ``t`` are
  at risk at ``t``. Greenwood's variance, and a 95% interval on the log(−log) scale (always
  inside [0, 1]; as in lifelines and R's ``survfit(conf.type = "log-log")``).
* **Log-rank test** between two groups: ``χ² = (O₁ − E₁)² / V`` with
  ``E₁ = Σ dₜ n₁ₜ / nₜ`` and the hypergeometric ``V = Σ dₜ (n₁ₜ/nₜ)(1 − n₁ₜ/nₜ)(nₜ − dₜ)/(nₜ − 1)``,
  one degree of freedom.

Optional ``weights`` (e.g. matching weights) make every count a weighted count; with weights
that are not whole numbers the log-rank test is then approximate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.stats import chi2, norm

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class KaplanMeier:
    """The survival table: one row per distinct event time."""

    times: FloatArray
    at_risk: FloatArray
    events: FloatArray
    survival: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray

    def at(self, time: float) -> float:
        """``S(time)``: 1 before the first event time."""
        index = int(np.searchsorted(self.times, time, side="right")) - 1
        return 1.0 if index < 0 else float(self.survival[index])

    @property
    def median(self) -> float:
        """The first time at which ``S`` is at or below one half (inf if never)."""
        below = np.flatnonzero(self.survival <= 0.5)
        return float(self.times[below[0]]) if below.size else float("inf")


@dataclass(frozen=True)
class LogRank:
    statistic: float
    p_value: float
    observed: tuple[float, float]
    expected: tuple[float, float]


def _arrays(
    durations: FloatArray, events: FloatArray, weights: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    t = np.asarray(durations, dtype=np.float64)
    e = np.asarray(events, dtype=np.float64)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=np.float64)
    if not (t.shape == e.shape == w.shape) or t.ndim != 1:
        raise ValueError("durations, events and weights must be 1-d and of the same length")
    if t.size == 0:
        raise ValueError("no people to analyse")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("durations must be finite and not negative")
    if not np.all((e == 0) | (e == 1)):
        raise ValueError("events must be 0 (censored) or 1 (event)")
    return t, e, w


def _risk_table(
    t: FloatArray, e: FloatArray, w: FloatArray, grid: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Weighted numbers at risk and events at each time in ``grid`` (sorted)."""
    order = np.argsort(t, kind="stable")
    ts, ws = t[order], w[order]
    total_after = np.concatenate([np.cumsum(ws[::-1])[::-1], [0.0]])
    at_risk = total_after[np.searchsorted(ts, grid, side="left")]
    event_times = t[e == 1]
    slot = np.searchsorted(grid, event_times)
    events = np.bincount(slot, weights=w[e == 1], minlength=grid.size)[: grid.size]
    return np.asarray(at_risk, dtype=np.float64), np.asarray(events, dtype=np.float64)


def kaplan_meier(
    durations: FloatArray,
    events: FloatArray,
    weights: FloatArray | None = None,
    *,
    confidence: float = 0.95,
) -> KaplanMeier:
    t, e, w = _arrays(durations, events, weights)
    grid = np.unique(t[e == 1])
    at_risk, d = _risk_table(t, e, w, grid)
    survival = np.asarray(np.cumprod(1.0 - d / at_risk), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(d / (at_risk * (at_risk - d)))
        z = float(norm.ppf(0.5 + confidence / 2))
        log_s = np.log(survival)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        low = np.exp(-np.exp(np.log(-log_s) + spread))
        high = np.exp(-np.exp(np.log(-log_s) - spread))
    defined = (survival > 0) & (survival < 1)
    return KaplanMeier(
        times=grid,
        at_risk=at_risk,
        events=d,
        survival=survival,
        ci_low=np.where(defined, low, survival),
        ci_high=np.where(defined, high, survival),
    )


def logrank_test(
    durations_a: FloatArray,
    events_a: FloatArray,
    durations_b: FloatArray,
    events_b: FloatArray,
    weights_a: FloatArray | None = None,
    weights_b: FloatArray | None = None,
) -> LogRank:
    """The two-group log-rank test (see the module docstring)."""
    ta, ea, wa = _arrays(durations_a, events_a, weights_a)
    tb, eb, wb = _arrays(durations_b, events_b, weights_b)
    grid = np.unique(np.concatenate([ta[ea == 1], tb[eb == 1]]))
    if grid.size == 0:
        raise ValueError("no events in either group: the log-rank test is undefined")
    n1, d1 = _risk_table(ta, ea, wa, grid)
    n2, d2 = _risk_table(tb, eb, wb, grid)
    n, d = n1 + n2, d1 + d2
    expected_1 = float(np.sum(d * n1 / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    variance = float(np.sum(np.where(n > 1, terms, 0.0)))
    observed_1 = float(d1.sum())
    statistic = (observed_1 - expected_1) ** 2 / variance if variance > 0 else 0.0
    return LogRank(
        statistic=statistic,
        p_value=float(chi2.sf(statistic, 1)),
        observed=(observed_1, float(d2.sum())),
        expected=(expected_1, float(d.sum()) - expected_1),
    )
