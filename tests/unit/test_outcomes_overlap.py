"""The propensity score overlap histogram (OUT-1, issue 17): bins on the logit scale, so a pool
of people with small scores is spread over the chart instead of filling its first bar."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, logit

from commissioning_analytics.outcomes.matching import match
from commissioning_analytics.outcomes.overlap import BINS, CLIP, score_overlap


def test_a_skewed_sample_is_spread_over_the_bins_not_piled_into_one() -> None:
    """2,000 cohort members among 20,000 pool people: scores mostly under 5%. On 20 bins from 0
    to 1 more than 90% of everyone is in the first bar; on the logit scale no bar has more
    than 40% of either group."""
    rng = np.random.default_rng(17)
    treated_logit, pool_logit = rng.normal(-3.0, 1.0, 2_000), rng.normal(-4.5, 1.0, 20_000)
    everyone = expit(np.r_[treated_logit, pool_logit])
    old_bins, _ = np.histogram(everyone, bins=np.linspace(0, 1, BINS + 1))
    assert old_bins.max() / everyone.size > 0.9
    matches = match(treated_logit, pool_logit)
    overlap = score_overlap(treated_logit, pool_logit, matches)
    assert overlap.treated.max() / 2_000 <= 0.4
    assert overlap.pool.max() / 20_000 <= 0.4
    assert (overlap.treated.sum(), overlap.pool.sum()) == (2_000, 20_000)
    assert overlap.matched_comparison.sum() == pytest.approx(matches.n_matched_treated)
    assert overlap.logit_edges[0] == pytest.approx(min(treated_logit.min(), pool_logit.min()))
    assert overlap.logit_edges[-1] == pytest.approx(max(treated_logit.max(), pool_logit.max()))
    np.testing.assert_allclose(np.diff(overlap.logit_edges), np.diff(overlap.logit_edges)[0])
    data = overlap.to_dict()
    assert data["scale"] == "logit" and len(data["edges"]) == BINS + 1
    assert data["edges"] == pytest.approx(expit(overlap.logit_edges).tolist())


def test_scores_of_zero_and_one_are_clipped_onto_the_chart() -> None:
    treated_logit, pool_logit = np.array([40.0, 0.5, 1.0]), np.array([-40.0, 0.0, 0.2, 0.7])
    overlap = score_overlap(treated_logit, pool_logit, match(treated_logit, pool_logit))
    assert overlap.logit_edges[0] == pytest.approx(logit(CLIP))
    assert overlap.logit_edges[-1] == pytest.approx(logit(1 - CLIP))
    assert (overlap.treated[-1], overlap.pool[0]) == (1, 1)
    assert (overlap.treated.sum(), overlap.pool.sum()) == (3, 4)


def test_everyone_with_one_score_gets_bins_around_it() -> None:
    scores = np.zeros(5)
    overlap = score_overlap(scores, scores, match(scores, scores))
    assert (overlap.logit_edges[0], overlap.logit_edges[-1]) == (-0.5, 0.5)
    assert overlap.treated.sum() == 5
