"""Propensity score by unpenalised logistic regression (OUT-1): agreement with statsmodels,
and warnings for separation and non-convergence."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from commissioning_analytics.outcomes.propensity import PropensityError, fit_logistic


def _data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    eta = -1.0 + x @ np.array([0.8, -0.5, 0.2])
    return x, rng.random(n) < 1 / (1 + np.exp(-eta))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_statsmodels_maximum_likelihood(seed: int) -> None:
    x, y = _data(5_000, seed)
    fit = fit_logistic(x, y, ("a", "b", "c"))
    reference = sm.Logit(y.astype(float), sm.add_constant(x)).fit(disp=0)
    assert fit.converged
    assert fit.warnings == []
    np.testing.assert_allclose(fit.coefficients, reference.params, rtol=0, atol=1e-7)
    np.testing.assert_allclose(fit.standard_errors, reference.bse, rtol=1e-5)
    assert fit.log_likelihood == pytest.approx(reference.llf, rel=1e-10)
    np.testing.assert_allclose(fit.predict(x), reference.predict(sm.add_constant(x)), atol=1e-8)


def test_blocks_of_rows_give_the_same_information_matrix() -> None:
    # More rows than one block (32,768), so the blocked XᵀWX is exercised across boundaries.
    x, y = _data(70_001, 5)
    fit = fit_logistic(x, y)
    reference = sm.Logit(y.astype(float), sm.add_constant(x)).fit(disp=0)
    np.testing.assert_allclose(fit.standard_errors, reference.bse, rtol=1e-6)


def test_complete_separation_is_warned_about_not_hidden() -> None:
    x = np.r_[np.linspace(-3, -1, 40), np.linspace(1, 3, 40)]
    y = np.r_[np.zeros(40), np.ones(40)]
    fit = fit_logistic(x, y, ("score",))
    assert any("separation" in w and "fitted probabilities at 0 or 1" in w for w in fit.warnings)
    assert "warning: possible (quasi-)complete separation" in fit.summary()


def test_non_convergence_is_warned_about() -> None:
    x, y = _data(500, 3)
    fit = fit_logistic(x, y, max_iterations=1)
    assert not fit.converged
    assert fit.iterations == 1
    assert any("did not converge" in w for w in fit.warnings)


def test_summary_names_every_term() -> None:
    x, y = _data(500, 4)
    text = fit_logistic(x, y, ("age", "prior_offences", "deprivation")).summary()
    for term in ("(intercept)", "age", "prior_offences", "deprivation", "converged: yes"):
        assert term in text


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.zeros((4, 1)), np.ones(4), "both groups"),
        (np.zeros((4, 1)), np.ones(3), "different lengths"),
        (np.array([[0.0], [np.nan], [1.0], [2.0]]), np.array([0, 1, 0, 1]), "missing"),
    ],
)
def test_unfittable_input_is_refused(x: np.ndarray, y: np.ndarray, message: str) -> None:
    with pytest.raises(PropensityError, match=message):
        fit_logistic(x, y)
