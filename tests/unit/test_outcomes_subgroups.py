"""Results by subgroup (OUT-2 areas, EQU-2 protected characteristics, OUT-3 age bands): the
same matched sets, the same 60-person safeguard, and a disparity flag when a group's effect
differs."""

from __future__ import annotations

import numpy as np
import pytest

from commissioning_analytics.outcomes.effects import estimate_effect
from commissioning_analytics.outcomes.matching import MatchResult, match
from commissioning_analytics.outcomes.subgroups import (
    age_band_results,
    age_bands,
    restrict,
    subgroup_results,
)


def _problem(seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x_t, x_c = rng.normal(0.3, 1, 600), rng.normal(0, 1, 6_000)
    labels = np.array(["women"] * 200 + ["men"] * 350 + ["unknown"] * 50)
    effect = np.where(labels == "women", -3.0, 0.0)  # the service works for women only
    y_t = x_t + effect + rng.normal(0, 1, 600)
    y_c = x_c + rng.normal(0, 1, 6_000)
    return x_t, x_c, labels, y_t, y_c


@pytest.mark.parametrize("replace", [False, True])
def test_a_subgroup_with_a_different_effect_is_flagged(replace: bool) -> None:
    x_t, x_c, labels, y_t, y_c = _problem(1)
    result = match(x_t, x_c, replace=replace)
    rows = {row.group: row for row in subgroup_results(labels, y_t, y_c, result)}
    assert list(rows) == ["men", "unknown", "women"]
    women, men = rows["women"], rows["men"]
    assert women.effect is not None and men.effect is not None
    assert women.effect.effect == pytest.approx(-3.0, abs=0.3)
    assert men.effect.effect == pytest.approx(0.0, abs=0.3)
    assert women.disparity and men.disparity  # each differs from everyone else
    assert (women.n_cohort, women.n_matched) == (200, 200)


def test_subgroups_under_sixty_get_no_estimate() -> None:
    x_t, x_c, labels, y_t, y_c = _problem(2)
    rows = {r.group: r for r in subgroup_results(labels, y_t, y_c, match(x_t, x_c))}
    unknown = rows["unknown"]
    assert unknown.effect is None and unknown.disparity_p_value is None
    assert not unknown.disparity
    assert "fewer than 60" in unknown.note


def test_restricting_to_everyone_changes_nothing() -> None:
    x_t, x_c, _, y_t, y_c = _problem(3)
    result = match(x_t, x_c, replace=True, ratio=2)
    everyone = restrict(result, np.ones(600, dtype=bool))
    assert estimate_effect(y_t, y_c, everyone) == estimate_effect(y_t, y_c, result)


def test_labels_must_cover_the_cohort() -> None:
    x_t, x_c, labels, y_t, y_c = _problem(4)
    with pytest.raises(ValueError, match="one subgroup label"):
        subgroup_results(labels[:-1], y_t, y_c, match(x_t, x_c))


def _one_to_one(n: int) -> MatchResult:
    pairs = np.arange(n, dtype=np.int64)
    return MatchResult(pairs, pairs.copy(), np.ones(n), float("inf"), n, n)


def test_age_bands_follow_the_young_adult_split() -> None:
    ages = np.array([17, 18, 20, 20.9, 21, 24, 24.5, 25, 64, np.nan])
    assert age_bands(ages).tolist() == [
        "under 18",
        "18-20",
        "18-20",
        "18-20",
        "21-24",
        "21-24",
        "21-24",
        "25+",
        "25+",
        "not recorded",
    ]


def test_results_by_age_band_by_hand() -> None:
    """OUT-3: 70 people aged 18-20 (30% reoffend against 50% of their matches), 80 aged 21-24
    (50% against 50%), 50 aged 25+ (too few for an estimate) and one not recorded."""
    ages = np.concatenate([np.full(70, 19.0), np.full(80, 22.0), np.full(50, 40.0), [np.nan]])
    y_t = np.concatenate([np.repeat([1.0, 0.0], [21, 49]), np.repeat([1.0, 0.0], [40, 40]),
                          np.zeros(50), [1.0]])  # fmt: skip
    y_c = np.concatenate([np.repeat([1.0, 0.0], [35, 35]), np.repeat([0.0, 1.0], [40, 40]),
                          np.ones(50), [0.0]])  # fmt: skip
    rows = {r.group: r for r in age_band_results(ages, y_t, y_c, _one_to_one(ages.size))}
    assert list(rows) == ["18-20", "21-24", "25+", "not recorded"]
    young, older = rows["18-20"].effect, rows["21-24"].effect
    assert young is not None and older is not None
    assert (young.treated_mean, young.comparison_mean) == (pytest.approx(0.3), 0.5)
    assert young.effect == pytest.approx(-0.2)
    assert (older.treated_mean, older.comparison_mean, older.effect) == (0.5, 0.5, 0.0)
    # Paired differences: 21 pairs (1, 1) → 0, 14 (0, 1) → −1, 35 (0, 0) → 0; SE by hand.
    d = np.concatenate([np.zeros(21), -np.ones(14), np.zeros(35)])
    assert young.standard_error == pytest.approx(np.sqrt(70 / 69 * np.sum((d + 0.2) ** 2)) / 70)
    assert rows["21-24"].disparity_p_value is not None  # the rest (121) can be tested against
    for small in ("25+", "not recorded"):
        assert rows[small].effect is None and "fewer than 60" in rows[small].note
    assert rows["25+"].to_dict("age band")["variable"] == "age band"
