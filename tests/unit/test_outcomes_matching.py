"""Nearest-neighbour matching (OUT-1): exact agreement with a slow, obviously-correct greedy
matcher on random problems, and the invariants every match must keep."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.outcomes.matching import (
    MatchingError,
    MatchResult,
    match,
    pooled_sd,
    processing_order,
)


def _key(x: float, value: float, index: int) -> tuple[float, int, int]:
    """The documented tie rule: distance; then lower score first; then, below the cohort
    member's score, the highest index, and at or above it, the lowest index."""
    below = value < x
    return (abs(x - value), 0 if below else 1, -index if below else index)


def brute_force(
    t: np.ndarray,
    c: np.ndarray,
    *,
    ratio: int,
    width: float,
    replace: bool,
    t_strata: np.ndarray,
    c_strata: np.ndarray,
    order: np.ndarray,
) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    if replace:
        for i in range(len(t)):
            candidates = [j for j in range(len(c)) if c_strata[j] == t_strata[i]]
            candidates.sort(key=lambda j: _key(float(t[i]), float(c[j]), j))
            pairs.update((i, j) for j in candidates[:ratio] if abs(t[i] - c[j]) <= width)
        return pairs
    used: set[int] = set()
    active = [int(i) for i in order]
    for _ in range(ratio):
        still = []
        for i in active:
            free = [j for j in range(len(c)) if j not in used and c_strata[j] == t_strata[i]]
            if not free:
                continue
            best = min(free, key=lambda j: _key(float(t[i]), float(c[j]), j))
            if abs(t[i] - c[best]) <= width:
                pairs.add((i, best))
                used.add(best)
                still.append(i)
        active = still
    return pairs


def _pairs(result: MatchResult) -> set[tuple[int, int]]:
    return set(zip(result.treated.tolist(), result.comparison.tolist(), strict=True))


problems = st.fixed_dictionaries(
    {
        "n_t": st.integers(1, 12),
        "n_c": st.integers(1, 30),
        "ratio": st.integers(1, 3),
        "caliper": st.sampled_from([None, 0.05, 0.2, 1.0]),
        "replace": st.booleans(),
        "strata": st.integers(1, 3),
        "seed": st.one_of(st.none(), st.integers(0, 1000)),
        "data_seed": st.integers(0, 2**32 - 1),
        "ties": st.booleans(),
    }
)


def _make(problem: dict[str, Any]) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(problem["data_seed"])
    n_t, n_c = int(problem["n_t"]), int(problem["n_c"])
    if problem["ties"]:  # scores on a coarse grid, so equal distances and equal scores occur
        t = rng.integers(-4, 5, n_t) / 4.0
        c = rng.integers(-4, 5, n_c) / 4.0
    else:
        t = rng.normal(0.3, 1.0, n_t)
        c = rng.normal(0.0, 1.0, n_c)
    k = int(problem["strata"])
    return t, c, rng.integers(0, k, n_t), rng.integers(0, k, n_c)


@settings(max_examples=300, deadline=None)
@given(problems)
def test_matches_equal_brute_force(problem: dict[str, Any]) -> None:
    t, c, ts, cs = _make(problem)
    strata = int(problem["strata"]) > 1
    result = match(
        t,
        c,
        ratio=int(problem["ratio"]),
        caliper=problem["caliper"],
        replace=bool(problem["replace"]),
        treated_strata=ts if strata else None,
        pool_strata=cs if strata else None,
        seed=problem["seed"],
    )
    expected = brute_force(
        t,
        c,
        ratio=int(problem["ratio"]),
        width=result.caliper_width,
        replace=bool(problem["replace"]),
        t_strata=ts if strata else np.zeros_like(ts),
        c_strata=cs if strata else np.zeros_like(cs),
        order=processing_order(t, problem["seed"]),
    )
    assert _pairs(result) == expected
    # Invariants: within the caliper, strata respected, weights per member sum to one.
    assert np.all(np.abs(t[result.treated] - c[result.comparison]) <= result.caliper_width)
    if strata:
        assert np.array_equal(ts[result.treated], cs[result.comparison])
    if not problem["replace"]:
        assert len(set(result.comparison.tolist())) == result.comparison.size
    per_member = np.bincount(result.treated, weights=result.weight, minlength=t.size)
    assert np.allclose(per_member[result.treated_matched()], 1.0)
    assert result.comparison_weights().sum() == pytest.approx(result.n_matched_treated)


def test_caliper_is_a_share_of_the_pooled_sd_of_the_logit() -> None:
    t = np.array([0.0, 1.0, 2.0])
    c = np.array([0.0, 2.0, 4.0, 6.0])
    result = match(t, c, caliper=0.2)
    expected_sd = np.sqrt((np.var(t, ddof=1) + np.var(c, ddof=1)) / 2)
    assert pooled_sd(t, c) == pytest.approx(expected_sd)
    assert result.caliper_width == pytest.approx(0.2 * expected_sd)
    assert _pairs(result) == {(0, 0), (2, 1)}  # 1.0 is 1 away from 0 and 2: outside 0.2·SD


def test_greedy_order_is_descending_score_and_the_nearest_unused_wins() -> None:
    # Both members want pool unit 0 (score 1.0); the higher-scored member (1.05) goes first.
    t = np.array([0.95, 1.05])
    c = np.array([1.0, 0.5, 1.5])
    result = match(t, c, caliper=None)
    assert _pairs(result) == {(1, 0), (0, 1)}
    assert result.n_matched_treated == 2
    assert result.n_matched_comparison == 2


def test_with_replacement_reuses_the_nearest_and_weights_by_ratio() -> None:
    t = np.array([0.95, 1.05])
    c = np.array([1.0, 0.5, 1.5, 3.0])
    result = match(t, c, caliper=None, replace=True, ratio=2)
    assert _pairs(result) == {(0, 0), (0, 1), (1, 0), (1, 2)}
    assert np.allclose(result.weight, 0.5)
    assert result.comparison_weights().tolist() == [1.0, 0.5, 0.5, 0.0]


def test_exact_strata_are_never_crossed() -> None:
    t = np.array([0.0, 0.0])
    c = np.array([0.0, 0.01, 5.0])
    result = match(
        t,
        c,
        caliper=None,
        treated_strata=np.array([1, 2]),
        pool_strata=np.array([2, 2, 1]),
    )
    assert _pairs(result) == {(0, 2), (1, 0)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ratio": 0}, "ratio"),
        ({"caliper": 0.0}, "caliper"),
        ({"treated_strata": np.array([0])}, "strata"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(MatchingError, match=message):
        match(np.array([0.0]), np.array([0.0, 1.0]), **kwargs)
