"""Results by subgroup (OUT-2 areas, EQU-2 protected characteristics): the same matched sets,
the same 60-person safeguard, and a disparity flag when a group's effect differs."""

from __future__ import annotations

import numpy as np
import pytest

from commissioning_analytics.outcomes.effects import estimate_effect
from commissioning_analytics.outcomes.matching import match
from commissioning_analytics.outcomes.subgroups import restrict, subgroup_results


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
