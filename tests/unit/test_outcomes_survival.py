"""Kaplan–Meier and the log-rank test (OUT-1, time to first reoffence), checked against a
published reference: the Freireich et al. (1963) leukaemia remission trial (6-MP vs placebo),
as tabulated by Kleinbaum & Klein, *Survival Analysis: A Self-Learning Text*: 6-MP survival
0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448 at weeks 6, 7, 10, 13, 16, 22, 23; placebo
median 8 weeks; log-rank χ² = 16.79 (1 df). Tolerances: 0.0005 on survival, 0.01 on χ²."""

from __future__ import annotations

import math

import numpy as np
import pytest

from commissioning_analytics.outcomes.survival import kaplan_meier, logrank_test

MP_EVENTS = [6, 6, 6, 7, 10, 13, 16, 22, 23]
MP_CENSORED = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]

mp_t = np.array(MP_EVENTS + MP_CENSORED, dtype=float)
mp_e = np.array([1] * len(MP_EVENTS) + [0] * len(MP_CENSORED), dtype=float)
pl_t = np.array(PLACEBO, dtype=float)
pl_e = np.ones(len(PLACEBO))


def test_kaplan_meier_matches_the_published_table() -> None:
    km = kaplan_meier(mp_t, mp_e)
    assert km.times.tolist() == [6, 7, 10, 13, 16, 22, 23]
    assert km.at_risk.tolist() == [21, 17, 15, 12, 11, 7, 6]
    assert km.events.tolist() == [3, 1, 1, 1, 1, 1, 1]
    published = [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448]
    np.testing.assert_allclose(km.survival, published, atol=5e-4)
    assert km.at(5.9) == 1.0
    assert km.at(12) == pytest.approx(0.753, abs=5e-4)
    assert km.median == 23.0
    assert kaplan_meier(pl_t, pl_e).median == 8.0


def test_greenwood_interval_on_the_log_log_scale() -> None:
    km = kaplan_meier(mp_t, mp_e)
    s = 18 / 21
    var = 3 / (21 * 18)  # Greenwood at week 6
    spread = 1.959964 * math.sqrt(var) / abs(math.log(s))
    assert km.ci_low[0] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) + spread)))
    assert km.ci_high[0] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) - spread)))
    assert np.all((km.ci_low <= km.survival) & (km.survival <= km.ci_high))


def test_logrank_matches_the_published_statistic() -> None:
    result = logrank_test(mp_t, mp_e, pl_t, pl_e)
    assert result.statistic == pytest.approx(16.79, abs=0.01)
    assert result.observed == (9.0, 21.0)
    assert result.expected[0] == pytest.approx(19.25, abs=0.01)
    assert result.p_value == pytest.approx(4.17e-5, rel=0.01)


def test_unit_weights_change_nothing_and_doubling_is_duplicating() -> None:
    plain = logrank_test(mp_t, mp_e, pl_t, pl_e)
    weighted = logrank_test(mp_t, mp_e, pl_t, pl_e, np.ones(21), np.ones(21))
    assert weighted == plain
    doubled = kaplan_meier(mp_t, mp_e, np.full(21, 2.0))
    duplicated = kaplan_meier(np.r_[mp_t, mp_t], np.r_[mp_e, mp_e])
    np.testing.assert_allclose(doubled.survival, duplicated.survival)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(censored\\) or 1"):
        kaplan_meier(np.array([1.0]), np.array([2.0]))
    with pytest.raises(ValueError, match="not negative"):
        kaplan_meier(np.array([-1.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="no events"):
        logrank_test(np.array([1.0]), np.array([0.0]), np.array([2.0]), np.array([0.0]))
