"""Nearest-neighbour matching on the logit of the propensity score (OUT-1).

Rules (the brute-force test in ``tests/unit/test_outcomes_matching.py`` implements them
literally and must agree exactly):

* **Distance** is ``|logit(eᵢ) − logit(eⱼ)|``. The **caliper** is ``caliper × SD`` where SD is
  the pooled standard deviation of the logit, ``√((s²_cohort + s²_pool) / 2)`` (Austin 2011's
  recommended 0.2 by default); a pair further apart than that is never made. ``None``: no caliper.
* **Ties** at equal distance: a comparison unit with a lower score than the cohort member
  comes first; among units with the same score below, the highest index; among units with the
  same score at or above, the lowest index. Equivalently: the pool is ordered by (score, index)
  and the nearer neighbour in that order wins, the left one on a tie.
* **Exact matching**: a cohort member is only matched to pool units of the same stratum.
* **Without replacement**, matching is greedy: cohort members are processed in descending
  order of score (ties by index) — or, if a ``seed`` is given, in a random order drawn from
  it — and each takes its nearest still-unused comparison unit within the caliper. With
  ``ratio`` k > 1 this is done in k rounds (everyone gets a first match before anyone gets a
  second, as in R's MatchIt); a member that found no match in a round takes no part in later
  rounds. The pool is sorted once and "next unused to the left/right" pointers with path
  compression find each neighbour in near-constant time.
* **With replacement**, each cohort member takes its k nearest units (distinct for that member)
  within the caliper; units may serve many members. Fully vectorised (``np.searchsorted``).

Each pair carries the weight ``1 / mᵢ`` where ``mᵢ`` is the number of matches of its cohort
member, so every matched cohort member counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFAULT_CALIPER = 0.2


class MatchingError(ValueError):
    """Matching is impossible: bad arguments or no cohort member has a comparison."""


@dataclass(frozen=True)
class MatchResult:
    """Matched pairs: ``treated[i]`` (index into the cohort) with ``comparison[i]`` (index into
    the pool), carrying ``weight[i]``. ``caliper_width`` is on the logit scale (inf if none)."""

    treated: IntArray
    comparison: IntArray
    weight: FloatArray
    caliper_width: float
    n_treated: int
    n_pool: int

    @property
    def n_matched_treated(self) -> int:
        return int(np.unique(self.treated).size)

    @property
    def n_matched_comparison(self) -> int:
        return int(np.unique(self.comparison).size)

    def comparison_weights(self) -> FloatArray:
        """Total weight of each pool unit (zero if unmatched); sums to ``n_matched_treated``."""
        totals = np.bincount(self.comparison, weights=self.weight, minlength=self.n_pool)
        return np.asarray(totals, dtype=np.float64)

    def treated_matched(self) -> NDArray[np.bool_]:
        """Which cohort members found at least one match."""
        flags = np.zeros(self.n_treated, dtype=bool)
        flags[self.treated] = True
        return flags


def pooled_sd(treated_logit: FloatArray, pool_logit: FloatArray) -> float:
    """``√((s²_cohort + s²_pool) / 2)`` with the n − 1 denominator."""
    var_t = float(np.var(treated_logit, ddof=1)) if treated_logit.size > 1 else 0.0
    var_c = float(np.var(pool_logit, ddof=1)) if pool_logit.size > 1 else 0.0
    return float(np.sqrt((var_t + var_c) / 2.0))


def processing_order(treated_logit: FloatArray, seed: int | None) -> IntArray:
    """Greedy order: descending score, ties by index; or a random permutation from ``seed``."""
    n = treated_logit.size
    if seed is not None:
        return np.random.default_rng(seed).permutation(n).astype(np.int64)
    return np.lexsort((np.arange(n), -treated_logit)).astype(np.int64)


def match(
    treated_logit: FloatArray,
    pool_logit: FloatArray,
    *,
    ratio: int = 1,
    caliper: float | None = DEFAULT_CALIPER,
    replace: bool = False,
    treated_strata: IntArray | None = None,
    pool_strata: IntArray | None = None,
    seed: int | None = None,
) -> MatchResult:
    """Match each cohort member to up to ``ratio`` pool units (see the module's rules)."""
    t = np.ascontiguousarray(treated_logit, dtype=np.float64)
    c = np.ascontiguousarray(pool_logit, dtype=np.float64)
    if ratio < 1:
        raise MatchingError("ratio must be 1 or more")
    if caliper is not None and not caliper > 0:
        raise MatchingError("caliper must be more than 0, or None for no caliper")
    if t.size == 0 or c.size == 0:
        raise MatchingError("both the cohort and the pool need at least one person")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(c))):
        raise MatchingError("scores must be finite")
    width = np.inf if caliper is None else caliper * pooled_sd(t, c)
    groups = _strata_groups(t.size, c.size, treated_strata, pool_strata)
    rank = np.empty(t.size, dtype=np.int64)
    rank[processing_order(t, seed)] = np.arange(t.size)
    pairs_t: list[IntArray] = []
    pairs_c: list[IntArray] = []
    for t_idx, c_idx in groups:
        if t_idx.size == 0 or c_idx.size == 0:
            continue
        pool_idx, values = _sorted_pool(c, None if pool_strata is None else c_idx)
        if replace:
            got_t, got_pos = _with_replacement(t[t_idx], values, ratio, width)
        else:
            ordered = t_idx[np.argsort(rank[t_idx], kind="stable")]
            local = np.searchsorted(t_idx, ordered)
            got_t, got_pos = _without_replacement(t[ordered], values, ratio, width)
            got_t = local[got_t]
        pairs_t.append(t_idx[got_t])
        pairs_c.append(pool_idx[got_pos])
    treated = np.concatenate(pairs_t) if pairs_t else np.empty(0, dtype=np.int64)
    comparison = np.concatenate(pairs_c) if pairs_c else np.empty(0, dtype=np.int64)
    order = np.lexsort((comparison, treated))
    treated, comparison = treated[order].astype(np.int64), comparison[order].astype(np.int64)
    counts = np.bincount(treated, minlength=t.size)
    weight = 1.0 / counts[treated] if treated.size else np.empty(0)
    return MatchResult(treated, comparison, weight, float(width), t.size, c.size)


def _strata_groups(
    n_t: int, n_c: int, t_strata: IntArray | None, c_strata: IntArray | None
) -> list[tuple[IntArray, IntArray]]:
    """Index arrays (ascending) of cohort and pool members for each stratum."""
    if t_strata is None and c_strata is None:
        return [(np.arange(n_t, dtype=np.int64), np.arange(n_c, dtype=np.int64))]
    if t_strata is None or c_strata is None:
        raise MatchingError("strata are needed for both the cohort and the pool")
    ts, cs = np.asarray(t_strata), np.asarray(c_strata)
    if ts.shape != (n_t,) or cs.shape != (n_c,):
        raise MatchingError("strata must have one value per person")
    c_order = np.argsort(cs, kind="stable")
    c_sorted = cs[c_order]
    groups = []
    for value in np.unique(ts):
        lo, hi = np.searchsorted(c_sorted, value, "left"), np.searchsorted(c_sorted, value, "right")
        groups.append((np.flatnonzero(ts == value), np.sort(c_order[lo:hi])))
    return groups


def _sorted_pool(c: FloatArray, subset: IntArray | None) -> tuple[IntArray, FloatArray]:
    """Pool indices ordered by (score, index), and their scores.

    An unstable sort is about twice as fast; ties are rare with continuous scores, and when
    there are any the stable sort decides them by index.
    """
    scores = c if subset is None else c[subset]
    order = np.argsort(scores)
    values = scores[order]
    if values.size > 1 and np.any(values[1:] == values[:-1]):
        order = np.argsort(scores, kind="stable")
        values = scores[order]
    pool_idx = order.astype(np.int64) if subset is None else subset[order]
    return pool_idx, values


def _with_replacement(
    x: FloatArray, values: FloatArray, ratio: int, width: float
) -> tuple[IntArray, IntArray]:
    """The ``ratio`` nearest sorted-pool positions of each ``x`` within ``width``."""
    m = values.size
    insert = np.searchsorted(values, x, side="left")
    offsets = np.concatenate([-np.arange(1, ratio + 1), np.arange(ratio)])  # L1..Lk, R1..Rk
    positions = insert[:, None] + offsets[None, :]
    valid = (positions >= 0) & (positions < m)
    safe = np.clip(positions, 0, m - 1)
    distance = np.where(valid, np.abs(x[:, None] - values[safe]), np.inf)
    best = np.argsort(distance, axis=1, kind="stable")[:, :ratio]
    rows = np.arange(x.size)[:, None]
    chosen_distance = distance[rows, best]
    keep = np.isfinite(chosen_distance) & (chosen_distance <= width)
    row_index = np.broadcast_to(rows, best.shape)[keep]
    return row_index.astype(np.int64), safe[rows, best][keep].astype(np.int64)


def _without_replacement(
    x: FloatArray, values: FloatArray, ratio: int, width: float
) -> tuple[IntArray, IntArray]:
    """Greedy matching of ``x`` (already in processing order) to sorted ``values``.

    Nearest unused position at or after ``p`` (``m`` when none) and at or before ``p − 1`` (−1
    when none) are found through "next unused" pointers stored only for used positions, with
    path halving, so each lookup is near-constant and nothing the size of the pool is built.
    """
    m = values.size
    inserts = np.searchsorted(values, x, side="left").tolist()
    xs = x.tolist()
    # Only used positions have entries: right[q] = q + 1 and left[q] = q − 1 when q is used.
    right: dict[int, int] = {}
    left: dict[int, int] = {}
    out_t: list[int] = []
    out_c: list[int] = []
    active = list(range(len(xs)))
    for _ in range(ratio):
        still: list[int] = []
        for i in active:
            xi, p = xs[i], inserts[i]
            r = _find(right, p)
            q = _find(left, p - 1)
            if q >= 0 and (r == m or xi - float(values[q]) <= float(values[r]) - xi):
                chosen, distance = q, xi - float(values[q])
            elif r < m:
                chosen, distance = r, float(values[r]) - xi
            else:
                continue
            if distance > width:
                continue
            out_t.append(i)
            out_c.append(chosen)
            still.append(i)
            right[chosen] = chosen + 1
            left[chosen] = chosen - 1
        active = still
    return np.asarray(out_t, dtype=np.int64), np.asarray(out_c, dtype=np.int64)


def _find(parent: dict[int, int], i: int) -> int:
    """Follow used positions to the first unused one, halving the path as it goes."""
    step = parent.get(i)
    while step is not None:
        after = parent.get(step)
        if after is None:
            return step
        parent[i] = after
        i = after
        step = parent.get(i)
    return i
