"""Cox proportional hazards (OUT-1: time to first proven reoffence): our Newton–Raphson on the
Efron partial likelihood against statsmodels' independent ``PHReg`` (to 1e-6), the weighted
Efron likelihood against lifelines, weights against duplicated rows, and the warnings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from statsmodels.duration.hazard_regression import PHReg

from commissioning_analytics.outcomes.cox import CoxError, fit_cox

DATA = Path(__file__).resolve().parents[1] / "data" / "rossi"


def _random(seed: int, n: int, p: int, max_time: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    x[:, 0] = rng.integers(0, 2, n)  # a binary covariate, like "in the cohort"
    beta = rng.normal(0, 0.5, p)
    hazard = 0.05 * np.exp(x @ beta)
    time = np.ceil(rng.exponential(1 / hazard))  # whole days: many ties
    censor = rng.integers(1, max_time + 1, n)
    durations = np.minimum(time, censor).astype(float)
    events = (time <= censor).astype(float)
    return x, durations, events


@pytest.mark.parametrize(
    ("seed", "n", "p", "max_time"), [(1, 300, 1, 30), (2, 500, 3, 60), (3, 1_000, 5, 365)]
)
@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_agrees_with_statsmodels_phreg(seed: int, n: int, p: int, max_time: int, ties: str) -> None:
    x, durations, events = _random(seed, n, p, max_time)
    ours = fit_cox(x, durations, events, ties=ties)
    theirs = PHReg(durations, x, status=events, ties=ties).fit()
    assert ours.converged and ours.warnings == ()
    np.testing.assert_allclose(ours.coefficients, theirs.params, atol=1e-6)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse, atol=1e-6)
    assert ours.log_likelihood == pytest.approx(theirs.llf, abs=1e-6)
    np.testing.assert_allclose(ours.p_values, theirs.pvalues, atol=1e-6)


def test_weighted_efron_with_ties_matches_lifelines() -> None:
    """lifelines 0.30.3 ``CoxPHFitter().fit(df, "t", "e", weights_col="w")`` on this file
    (60 rows, 7 distinct times, weights 0.5–3) gave these numbers (README.md)."""
    frame = pd.read_csv(DATA / "weighted_ties.csv")
    fit = fit_cox(
        frame[["x1", "x2"]].to_numpy(), frame["t"].to_numpy(), frame["e"].to_numpy(),
        frame["w"].to_numpy(), names=("x1", "x2"),
    )  # fmt: skip
    np.testing.assert_allclose(fit.coefficients, [-0.23213876, -0.16055615], atol=1e-7)
    np.testing.assert_allclose(fit.standard_errors, [0.16403485, 0.29442608], atol=1e-7)
    assert fit.log_likelihood == pytest.approx(-161.81968080225164, abs=1e-7)


_cases = st.tuples(
    st.integers(0, 2**32 - 1),
    st.integers(15, 60),
    st.lists(st.integers(1, 4), min_size=60, max_size=60),
)


def _duplicated(
    seed: int, n: int, counts: list[int], censored_only: bool
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    x, durations, events = _random(seed, n, 2, 10)
    weights = np.asarray(counts[:n], dtype=float)
    if censored_only:
        weights[events == 1] = 1.0
    repeat = weights.astype(int)
    copies = (np.repeat(x, repeat, axis=0), np.repeat(durations, repeat), np.repeat(events, repeat))
    return (x, durations, events, weights), copies


@settings(max_examples=40, deadline=None)
@given(_cases)
def test_integer_weights_equal_duplicated_rows_breslow(case: tuple[int, int, list[int]]) -> None:
    (x, t, e, w), (xd, td, ed) = _duplicated(*case, censored_only=False)
    assume(e.any())
    weighted, copied = fit_cox(x, t, e, w, ties="breslow"), fit_cox(xd, td, ed, ties="breslow")
    assume(copied.converged and not copied.warnings)  # a finite maximum to compare
    # A well-determined one: with a standard error in the tens of thousands (near separation)
    # the curvature is ~1e-9 and the two fits agree only to about 1e-7 relative.
    assume(bool(np.all(copied.standard_errors < 100)))
    np.testing.assert_allclose(weighted.coefficients, copied.coefficients, atol=1e-8)
    np.testing.assert_allclose(weighted.standard_errors, copied.standard_errors, atol=1e-8)
    assert weighted.log_likelihood == pytest.approx(copied.log_likelihood, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(_cases)
def test_integer_weights_equal_duplicated_rows_efron(case: tuple[int, int, list[int]]) -> None:
    """With Efron, exact when the weighted rows are censored: duplicating an *event* row makes
    a tie, which Efron's approximation (in R and lifelines alike) treats differently from one
    weighted event — see the next test."""
    (x, t, e, w), (xd, td, ed) = _duplicated(*case, censored_only=True)
    assume(e.any())
    weighted, copied = fit_cox(x, t, e, w), fit_cox(xd, td, ed)
    assume(copied.converged and not copied.warnings)  # a finite maximum to compare
    # A well-determined one: with a standard error in the tens of thousands (near separation)
    # the curvature is ~1e-9 and the two fits agree only to about 1e-7 relative.
    assume(bool(np.all(copied.standard_errors < 100)))
    np.testing.assert_allclose(weighted.coefficients, copied.coefficients, atol=1e-8)
    np.testing.assert_allclose(weighted.standard_errors, copied.standard_errors, atol=1e-8)
    assert weighted.log_likelihood == pytest.approx(copied.log_likelihood, abs=1e-8)


def test_a_weighted_event_is_not_a_tie_under_efron() -> None:
    """One event of weight 2 at time 1 with risk sum S: ``2·(xβ − log S)``; two copies are a
    tie: ``2xβ − log S − log(S − φ)``. At β = 0 with 3 people of x = 0 (S = 4 with the copy)."""
    x = np.array([[1.0], [0.0], [0.0], [0.0]])
    t = np.array([1.0, 2.0, 3.0, 4.0])
    e = np.array([1.0, 1.0, 0.0, 0.0])
    weighted = fit_cox(x, t, e, np.array([2.0, 1.0, 1.0, 1.0]))
    copied = fit_cox(np.vstack([x[:1], x]), np.r_[1.0, t], np.r_[1.0, e])
    assert weighted.log_likelihood_null == pytest.approx(-2 * np.log(5) - np.log(3))
    assert copied.log_likelihood_null == pytest.approx(-np.log(5) - np.log(4) - np.log(3))


def test_rows_with_zero_weight_are_dropped() -> None:
    x, t, e = _random(4, 200, 2, 30)
    w = np.ones(200)
    w[:50] = 0.0
    assert fit_cox(x, t, e, w).coefficients == pytest.approx(
        fit_cox(x[50:], t[50:], e[50:]).coefficients, abs=1e-10
    )


def test_monotone_likelihood_is_warned_about_not_raised() -> None:
    """Everyone with x = 1 has the event and no one with x = 0 does: β̂ → ∞."""
    x = np.r_[np.ones(20), np.zeros(20)][:, None]
    t = np.r_[np.arange(1, 21), np.full(20, 30)].astype(float)
    e = np.r_[np.ones(20), np.zeros(20)]
    fit = fit_cox(x, t, e, names=("cohort",))
    assert any("monotone likelihood" in w and "cohort" in w for w in fit.warnings)


def test_summary_is_a_table_with_hazard_ratios() -> None:
    x, t, e = _random(5, 400, 2, 50)
    fit = fit_cox(x, t, e, names=("cohort", "age"))
    text = fit.summary()
    assert "Cox proportional hazards (efron ties), n = 400" in text
    assert "cohort" in text and "age" in text and "exp(coef)" in text
    assert fit.hr_ci_low[0] < fit.hazard_ratios[0] < fit.hr_ci_high[0]
    assert fit.likelihood_ratio > 0
    np.testing.assert_allclose(fit.z, fit.coefficients / fit.standard_errors)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"events": np.zeros(10)}, "no events"),
        ({"events": np.full(10, 2.0)}, r"0 \(censored\) or 1"),
        ({"durations": -np.ones(10)}, "must not be negative"),
        ({"weights": np.full(10, np.nan)}, "finite"),
        ({"durations": np.ones(9)}, "one row per person"),
    ],
)
def test_bad_input_is_refused(change: dict[str, np.ndarray], message: str) -> None:
    arguments = {
        "covariates": np.arange(10.0),
        "durations": np.arange(1.0, 11.0),
        "events": np.ones(10),
        "weights": np.ones(10),
    } | change
    with pytest.raises(CoxError, match=message):
        fit_cox(**arguments)


def test_complete_separation_below_the_growth_threshold_is_flagged() -> None:
    """A case hypothesis found: the covariates order every event before everyone still at risk,
    so the partial likelihood only approaches its ceiling of 0, while the coefficients (about
    −8 and 12) stay under the growth threshold; the fit must say it is not estimable."""
    counts = [1] * 60
    counts[6] = 2
    (x, t, e, w), _ = _duplicated(29732773, 28, counts, censored_only=False)
    fit = fit_cox(x, t, e, w, ties="breslow")
    assert fit.log_likelihood > -1e-6
    assert np.all(np.abs(fit.coefficients) < 20)
    assert any("separate the events completely" in warning for warning in fit.warnings)
    ordinary = fit_cox(*_random(7, 40, 2, 10), ties="breslow")
    assert not any("separate" in warning for warning in ordinary.warnings)
