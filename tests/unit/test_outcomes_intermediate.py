"""Intermediate outcomes (OUT-3): accommodation, employment, education or training at set
points, from the extract's status columns, through the same matched sets; by hand."""

from __future__ import annotations

import numpy as np
import pytest

from commissioning_analytics.outcomes.intermediate import (
    held_measures,
    intermediate_effects,
    recorded_pairs,
    status_values,
)
from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.matching import MatchResult


def _one_to_one(n: int) -> MatchResult:
    pairs = np.arange(n, dtype=np.int64)
    return MatchResult(pairs, pairs.copy(), np.ones(n), float("inf"), n, n)


def _status(*runs: tuple[str, int]) -> np.ndarray:
    return status_values([v for value, n in runs for v in [value] * n], column="c", name="x")


def test_settled_accommodation_at_six_weeks_by_hand() -> None:
    """70 matched pairs. Cohort: 36 yes, 29 no, 5 not recorded; comparison: 24 yes, 36 no,
    5 not recorded (pairs 60-64), 5 yes (pairs 65-69, whose cohort member is not recorded).
    Pairs 0-59 have both: 36/60 = 60% against 24/60 = 40%, an effect of +20 points."""
    treated = {
        "accommodation_6w": _status(("1", 36), ("0", 29), ("", 5)),
        "employment_6m": _status(("1", 20), ("0", 30), ("", 20)),
    }
    pool = {
        "accommodation_6w": _status(("1", 24), ("0", 36), ("", 5), ("1", 5)),
        "employment_6m": _status(("1", 70)),
    }
    rows = {r.measure: r for r in intermediate_effects(treated, pool, _one_to_one(70))}
    assert list(rows) == ["accommodation_6w", "employment_6m"]
    accommodation = rows["accommodation_6w"]
    assert accommodation.label == "in settled accommodation 6 weeks after the index date"
    assert accommodation.n_recorded == 60
    effect = accommodation.effect
    assert effect is not None and effect.binary
    assert (effect.treated_mean, effect.comparison_mean) == (0.6, 0.4)
    assert effect.effect == pytest.approx(0.2)
    # Differences: 12 pairs (yes, no) → 1, 48 pairs → 0; Σ(d − 0.2)² = 12·0.64 + 48·0.04 = 9.6.
    assert effect.standard_error == pytest.approx(np.sqrt(60 / 59 * 9.6) / 60)
    employment = rows["employment_6m"]  # 50 recorded: no estimate
    assert employment.effect is None and employment.n_recorded == 50
    assert "fewer than 60" in employment.note


def test_unrecorded_matches_are_dropped_and_the_rest_reweighted() -> None:
    result = MatchResult(np.array([0, 0, 1, 1]), np.array([0, 1, 2, 3]), np.full(4, 0.5), 1.0, 2, 4)
    pairs = recorded_pairs(result, np.array([1.0, 0.0]), np.array([1.0, np.nan, 0.0, 1.0]))
    assert pairs.treated.tolist() == [0, 1, 1]
    assert pairs.weight.tolist() == [1.0, 0.5, 0.5]


def test_held_measures_and_bad_status_values() -> None:
    assert held_measures(["person_id", "education_6m", "accommodation_6w"]) == [
        "accommodation_6w",
        "education_6m",
    ]
    with pytest.raises(InputError) as error:
        status_values(["1", "0", "yes"], column="employment_6w", name="people.csv")
    assert str(error.value) == (
        "people.csv: row 4: column 'employment_6w' has 'yes'; it must be 1 (yes), 0 (no) or "
        "empty (not recorded)"
    )


def test_a_status_recorded_for_everyone_read_as_numbers_is_accepted() -> None:
    """A column with no blanks is read as numbers by the steward's loader (1.0, 0.0): the
    study must take it as statuses, not refuse "1.0" (issue 17, OUT-3)."""
    values = status_values(np.array([1.0, 0.0, np.nan, 1.0]), column="education_6m", name="x")
    assert values[[0, 1, 3]].tolist() == [1.0, 0.0, 1.0] and np.isnan(values[2])
    assert status_values(np.array([0, 1]), column="education_6m", name="x").tolist() == [0, 1]
    with pytest.raises(InputError, match="row 4: column 'education_6m' has '2'"):
        status_values(np.array([1.0, 0.0, 2.0]), column="education_6m", name="x")
