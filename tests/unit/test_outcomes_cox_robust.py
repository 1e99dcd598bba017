"""The hazard ratio's robust variance on matched data (OUT-1, issue 17): Lin–Wei score
residuals and sandwich against statsmodels' independent ``PHReg.fit(groups=)`` (Breslow ties,
which its score residuals use) to 1e-8, and the matched-sets clustering against statsmodels on
the matched sample written out one row per matched pair."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.duration.hazard_regression import PHReg

from commissioning_analytics.outcomes.cox import fit_cox, score_residuals
from commissioning_analytics.outcomes.matching import match
from commissioning_analytics.outcomes.time_to_event import ROBUST_VARIANCE, matched_cox


def _survival(rng: np.random.Generator, n: int, hazard: float) -> tuple[np.ndarray, np.ndarray]:
    time = np.ceil(rng.exponential(1 / hazard, n))  # whole days: ties
    return np.minimum(time, 90.0), (time <= 90).astype(float)


def _sample(seed: int, n_t: int, n_pool: int, shift: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    logit_t, logit_c = rng.normal(shift, 1, n_t), rng.normal(0, 1, n_pool)
    d_t, e_t = _survival(rng, n_t, 0.010)
    d_c, e_c = _survival(rng, n_pool, 0.015)
    return logit_t, logit_c, d_t, e_t, d_c, e_c


def test_score_residuals_and_clustered_sandwich_agree_with_statsmodels() -> None:
    rng = np.random.default_rng(5)
    x = np.column_stack([rng.integers(0, 2, 400), rng.normal(size=400)]).astype(float)
    durations, events = _survival(rng, 400, 0.02)
    clusters = rng.integers(0, 80, 400)
    ours = fit_cox(x, durations, events, ties="breslow", clusters=clusters)
    model = PHReg(durations, x, status=events, ties="breslow")
    theirs = model.fit(groups=clusters)
    residuals = score_residuals(x, durations, events, None, ours.coefficients, ties="breslow")
    np.testing.assert_allclose(residuals, model.score_residuals(ours.coefficients), atol=1e-10)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse, atol=1e-8)
    assert ours.model_standard_errors is not None
    np.testing.assert_allclose(ours.model_standard_errors, model.fit().bse, atol=1e-8)
    assert ours.variance.startswith("robust")


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_weighted_residuals_sum_to_the_score_at_the_estimate(ties: str) -> None:
    rng = np.random.default_rng(9)
    x = rng.normal(size=(300, 2))
    durations, events = _survival(rng, 300, 0.03)
    weights = rng.uniform(0.2, 3.0, 300)
    weights[:10] = 0.0
    fit = fit_cox(x, durations, events, weights, ties=ties)
    residuals = score_residuals(x, durations, events, weights, fit.coefficients, ties=ties)
    assert np.all(residuals[:10] == 0)
    np.testing.assert_allclose(residuals.sum(axis=0), 0.0, atol=1e-6)


@pytest.mark.parametrize("replace", [False, True])
def test_matched_sets_variance_agrees_with_statsmodels_on_one_row_per_pair(replace: bool) -> None:
    """1:1 matching (pair weights 1): the matched sample written one row per pair is the same
    Breslow likelihood as comparison people weighted by their use. statsmodels clusters on
    matched sets, on people and on (set, person); with the same ``I⁻¹`` the two-way sandwich
    is ``V_sets + V_people − V_pairs`` exactly. Tolerance 1e-8 on the standard error."""
    logit_t, logit_c, d_t, e_t, d_c, e_c = _sample(11, 300, 900 if not replace else 400, 0.8)
    matches = match(logit_t, logit_c, replace=replace, caliper=None)
    ours = matched_cox(d_t, e_t, d_c, e_c, matches, ties="breslow")
    members = np.flatnonzero(matches.treated_matched())
    durations = np.r_[d_t[members], d_c[matches.comparison]]
    events = np.r_[e_t[members], e_c[matches.comparison]]
    group = np.r_[np.ones(members.size), np.zeros(matches.comparison.size)][:, None]
    sets = np.r_[members, matches.treated]
    people = np.r_[members, matches.n_treated + matches.comparison]
    pairs = sets * (matches.n_treated + matches.n_pool) + people
    model = PHReg(durations, group, status=events, ties="breslow")

    def variance(labels: np.ndarray) -> float:
        return float(model.fit(groups=labels).cov_params()[0, 0])

    expected = np.sqrt(variance(sets) + variance(people) - variance(pairs))
    assert ours.coefficients[0] == pytest.approx(model.fit().params[0], abs=1e-7)
    assert ours.standard_errors[0] == pytest.approx(expected, abs=1e-8)
    assert ours.variance == ROBUST_VARIANCE
    if not replace:  # each comparison person in one matched set: clustering on sets alone
        assert ours.standard_errors[0] == pytest.approx(np.sqrt(variance(sets)), abs=1e-8)


def test_reusing_comparison_people_widens_the_interval_beyond_frequency_weights() -> None:
    """Matching with replacement from a small pool uses each comparison person about three
    times. Frequency weights count those uses as independent people; the robust variance sees
    that they are one person, so its standard error is larger. Without reuse the two agree
    closely (the model-based error is right when people are independent)."""
    logit_t, logit_c, d_t, e_t, d_c, e_c = _sample(3, 600, 200, 0.0)
    reused = matched_cox(d_t, e_t, d_c, e_c, match(logit_t, logit_c, replace=True, caliper=None))
    assert reused.model_standard_errors is not None
    assert reused.standard_errors[0] > 1.25 * reused.model_standard_errors[0]
    log_width = np.log(reused.hr_ci_high[0] / reused.hr_ci_low[0])
    assert log_width == pytest.approx(2 * 1.959964 * reused.standard_errors[0], rel=1e-6)
    logit_t, logit_c, d_t, e_t, d_c, e_c = _sample(3, 600, 3_000, 0.0)
    single = matched_cox(d_t, e_t, d_c, e_c, match(logit_t, logit_c, caliper=None))
    assert single.model_standard_errors is not None
    assert single.standard_errors[0] == pytest.approx(single.model_standard_errors[0], rel=0.1)
