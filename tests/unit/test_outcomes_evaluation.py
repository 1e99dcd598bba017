"""The whole evaluation (OUT-1, OUT-4): safeguards and warnings fire where they should, and
the JSON-ready dictionary carries the contract's fields."""

from __future__ import annotations

import json

import numpy as np
import pytest

from commissioning_analytics.outcomes.evaluation import EvaluationError, evaluate
from commissioning_analytics.outcomes.io import PeopleTable
from commissioning_analytics.outcomes.safeguards import SafeguardError


def _people(
    name: str, n: int, shift: float, rate: float, seed: int, area: str | None = None
) -> PeopleTable:
    rng = np.random.default_rng(seed)
    age = rng.normal(30 + 6 * shift, 8, n)
    prior = rng.poisson(2 + shift, n).astype(float)
    out = (rng.random(n) < rate).astype(float)
    areas = np.array([area] * n) if area else rng.choice(["N", "S"], n)
    return PeopleTable(name, n, {"age": age, "prior": prior, "out": out}, {"area": areas})


def test_a_typical_evaluation_has_no_warnings_and_publishes_rounded_counts() -> None:
    cohort = _people("c", 400, 0.5, 0.25, 1)
    pool = _people("p", 8_000, 0.0, 0.3, 2)
    result = evaluate(cohort, pool, outcome="out", covariates=["age", "prior"], exact=["area"])
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["warnings"] == []
    assert data["n_matched_treated"] == 400
    assert data["published_counts"]["treated_with_outcome"] == int(cohort.numbers["out"].sum())
    assert isinstance(data["published_counts"]["comparison_with_outcome_weighted"], int)
    assert data["propensity_model"]["terms"] == ["(intercept)", "age", "prior"]
    assert data["outcome_type"] == "binary"


def test_few_events_many_unmatched_and_poor_balance_are_warned_about() -> None:
    cohort = _people("c", 200, 2.5, 0.05, 3)  # few reoffenders, far from most of the pool
    pool = _people("p", 2_000, 0.0, 0.3, 4)
    result = evaluate(cohort, pool, outcome="out", covariates=["age", "prior"], caliper=0.05)
    text = " | ".join(result.warnings)
    assert "fewer than 30 people in the matched cohort have the outcome 'out'" in text
    assert "found no match" in text
    assert result.balance.share_matched < 0.8


def test_small_cohorts_and_small_matched_cohorts_are_refused() -> None:
    pool = _people("p", 2_000, 0.0, 0.3, 4)
    with pytest.raises(SafeguardError, match=r"the cohort \(c\) has 59 people"):
        evaluate(_people("c", 59, 0.0, 0.3, 5), pool, outcome="out", covariates=["age"])
    cohort = _people("c", 100, 0.0, 0.3, 6, area="N")
    tiny_pool = _people("p", 2_000, 0.0, 0.3, 7, area="S")
    tiny_pool.text["area"][:30] = "N"  # only 30 comparison people share the cohort's area
    with pytest.raises(SafeguardError, match="the matched cohort has 30 people"):
        evaluate(cohort, tiny_pool, outcome="out", covariates=["age"], exact=["area"])


def test_no_overlap_is_an_error() -> None:
    cohort = _people("c", 100, 0.0, 0.3, 6, area="N")
    pool = _people("p", 1_000, 0.0, 0.3, 7, area="S")
    with pytest.raises(EvaluationError, match="no overlap"):
        evaluate(cohort, pool, outcome="out", covariates=["age"], exact=["area"])


def test_a_continuous_outcome_gets_the_average_statement() -> None:
    cohort = _people("c", 300, 0.5, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["out"][:] = cohort.numbers["prior"] * 0.5 + 1.5
    pool.numbers["out"][:] = pool.numbers["prior"] * 0.5 + 0.2
    result = evaluate(cohort, pool, outcome="out", covariates=["age", "prior"])
    assert not result.effect.binary
    assert result.statement.startswith("For typical people who receive support")
    assert result.effect.effect == pytest.approx(1.3, abs=0.1)


def test_a_stray_value_in_a_yes_no_outcome_is_refused_by_column_and_rows() -> None:
    """Issue 17: a stray 2 in a 0/1 outcome must not switch to a continuous analysis (OUT-1)."""
    cohort = _people("c", 300, 0.5, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["out"][5] = 2.0
    pool.numbers["out"][[10, 20]] = [2.0, 7.0]
    with pytest.raises(SafeguardError) as refused:
        evaluate(cohort, pool, outcome="out", covariates=["age", "prior"])
    message = str(refused.value)
    assert "the outcome 'out' is 0 or 1 for almost everyone but has other values in 3 rows" in (
        message
    )
    assert "c: 1 row (rows 7) with 2" in message
    assert "p: 2 rows (rows 12, 22) with 2, 7" in message


def test_a_count_outcome_with_many_values_stays_continuous() -> None:
    """More than 5% of values other than 0/1 is a genuine count, not a stray (OUT-1)."""
    cohort = _people("c", 300, 0.5, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["out"][:] = cohort.numbers["prior"]
    pool.numbers["out"][:] = pool.numbers["prior"]
    result = evaluate(cohort, pool, outcome="out", covariates=["age"])
    assert not result.effect.binary


def test_a_constant_covariate_is_refused_by_name() -> None:
    cohort = _people("c", 300, 0.5, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["flag"] = np.full(300, 3.0)
    pool.numbers["flag"] = np.full(5_000, 3.0)
    with pytest.raises(SafeguardError, match=r"same value for everyone .*: 'flag' \(always 3\)"):
        evaluate(cohort, pool, outcome="out", covariates=["age", "flag", "prior"])


def test_perfectly_collinear_covariates_are_refused_by_name() -> None:
    cohort = _people("c", 300, 0.5, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    for table in (cohort, pool):
        table.numbers["birth_year"] = 2026.0 - table.numbers["age"]
    with pytest.raises(
        SafeguardError, match="the covariates 'age' and 'birth_year' are perfectly collinear"
    ):
        evaluate(cohort, pool, outcome="out", covariates=["age", "prior", "birth_year"])


def test_quasi_separation_with_moderate_coefficients_is_refused_in_plain_english() -> None:
    """Issue 17: everyone with ``on_licence`` = 1 is in the cohort; Newton stops at |β| ≈ 20,
    under the old |β| > 30 threshold, and the fit must still be refused (OUT-1, OUT-4)."""
    cohort = _people("c", 300, 0.0, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["on_licence"] = (np.arange(300) < 100).astype(float)
    pool.numbers["on_licence"] = np.zeros(5_000)
    with pytest.raises(SafeguardError) as refused:
        evaluate(cohort, pool, outcome="out", covariates=["age", "on_licence"])
    assert str(refused.value).startswith(
        "the cohort can be told apart from the comparison pool almost perfectly by 'on_licence'"
    )


def test_complete_separation_is_refused_not_reported_as_a_small_matched_cohort() -> None:
    cohort = _people("c", 300, 0.0, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["age"][:] = np.linspace(41, 60, 300)
    pool.numbers["age"][:] = np.linspace(18, 40, 5_000)
    with pytest.raises(SafeguardError, match="told apart from the comparison pool"):
        evaluate(cohort, pool, outcome="out", covariates=["age", "prior"])


def test_pool_people_unlike_anyone_in_the_cohort_are_left_unmatched_not_refused() -> None:
    """Separation on the pool's side only (a service for men, a pool of men and women) leaves
    the women unmatched; the comparison is still fair (OUT-1)."""
    cohort = _people("c", 300, 0.0, 0.25, 8)
    pool = _people("p", 5_000, 0.0, 0.3, 9)
    cohort.numbers["female"] = np.zeros(300)
    pool.numbers["female"] = (np.arange(5_000) % 2).astype(float)
    result = evaluate(cohort, pool, outcome="out", covariates=["age", "female"])
    assert result.matches.n_matched_treated == 300
