"""The minimum detectable effect of a yes/no measure (PBR-2, OUT-1; seed 003 §14.5)."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.power import NormalIndPower

from commissioning_analytics.outcomes.power import (
    PowerInputError,
    detectable_change_sentence,
    minimum_detectable_effect,
)

# z_{0.975} + z_{0.8}, from published normal tables to 10 decimals.
Z_SUM = 1.9599639845 + 0.8416212336


def test_issue_example_200_people_at_40_percent_by_hand() -> None:
    """200 people against 200 comparison people at 40%: 2.8016 × sqrt(0.24 × 2/200)."""
    effect = minimum_detectable_effect(200, 0.4)
    assert effect.points == pytest.approx(Z_SUM * math.sqrt(0.24 * 0.01) * 100, abs=1e-8)
    assert round(effect.points, 4) == 13.7249
    assert effect.whole_points == 14
    assert (effect.cohort_size, effect.baseline_rate, effect.comparison_ratio) == (200, 0.4, 1.0)
    assert (effect.alpha, effect.power, effect.design_effect) == (0.05, 0.8, 1.0)


@pytest.mark.parametrize(
    ("ratio", "points", "whole"),
    [(1.0, 13.7249, 14), (2.0, 11.8861, 12), (5.0, 10.6313, 11), (None, 9.7050, 10)],
)
def test_larger_comparison_groups_detect_smaller_changes(
    ratio: float | None, points: float, whole: int
) -> None:
    effect = minimum_detectable_effect(200, 0.4, comparison_ratio=ratio)
    assert round(effect.points, 4) == points
    assert effect.whole_points == whole


@pytest.mark.parametrize(
    ("n", "p", "k"), [(200, 0.4, 1), (200, 0.4, 2), (500, 0.3, 3), (60, 0.45, 1)]
)
def test_agrees_with_statsmodels_normal_power(n: int, p: float, k: int) -> None:
    """statsmodels solves for a standardised effect, also counting the far tail's tiny
    rejection probability, so it agrees to within 0.001 percentage points, not exactly."""
    standardised = NormalIndPower().solve_power(
        nobs1=n, alpha=0.05, power=0.8, ratio=k, alternative="two-sided"
    )
    expected_points = standardised * math.sqrt(p * (1 - p)) * 100
    assert minimum_detectable_effect(n, p, comparison_ratio=k).points == pytest.approx(
        expected_points, abs=1e-3
    )


def test_design_effect_widens_by_its_square_root() -> None:
    plain = minimum_detectable_effect(200, 0.4)
    matched = minimum_detectable_effect(200, 0.4, design_effect=1.44)
    assert matched.points == pytest.approx(plain.points * 1.2, rel=1e-12)


def test_detects_compares_a_change_with_the_effect() -> None:
    effect = minimum_detectable_effect(200, 0.4)
    assert not effect.detects(5)
    assert effect.detects(13.73)


def test_sentence_in_plain_english() -> None:
    effect = minimum_detectable_effect(200, 0.4)
    assert detectable_change_sentence(effect, a_year=True) == (
        "With 200 people a year, a reoffending measure can detect only a change of 14 points "
        "or more."
    )
    assert detectable_change_sentence(minimum_detectable_effect(1500, 0.4), a_year=False) == (
        "With 1,500 people, a reoffending measure can detect only a change of 6 points or more."
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cohort_size": 0, "baseline_rate": 0.4}, "cohort size must be at least 1"),
        ({"cohort_size": 200, "baseline_rate": 1.0}, "baseline rate must lie between 0 and 1"),
        ({"cohort_size": 200, "baseline_rate": 0.4, "comparison_ratio": 0}, "ratio must be"),
        ({"cohort_size": 200, "baseline_rate": 0.4, "power": 1}, "power must lie"),
        ({"cohort_size": 200, "baseline_rate": 0.4, "design_effect": 0.5}, "at least 1"),
    ],
)
def test_refuses_inputs_out_of_range(kwargs: dict, message: str) -> None:
    with pytest.raises(PowerInputError, match=message):
        minimum_detectable_effect(**kwargs)
