"""Creaming and parking detection (PBR-3): the Cochran–Armitage trend test, Wilson intervals,
the flag and the differential-tariff check."""

from __future__ import annotations

import math
import random
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from commissioning_analytics.chain import (
    Referral,
    cochran_armitage,
    detect_creaming,
    wilson_interval,
)


def referrals(group: int, n: int, engaged: int, achieved: int) -> list[Referral]:
    """``n`` referrals in ``group``: the first ``engaged`` engage, the first ``achieved``
    achieve the outcome."""
    return [Referral(group, i < engaged, i < achieved) for i in range(n)]


CREAMED = referrals(1, 10, 9, 8) + referrals(2, 10, 9, 5) + referrals(3, 10, 9, 2)


def test_cochran_armitage_hand_worked() -> None:
    """8/10, 5/10, 2/10 at scores 1, 2, 3. N = 30, p̄ = 15/30 = 0.5.
    T = Σ sᵢ(xᵢ − nᵢp̄) = 1×3 + 2×0 + 3×(−3) = −6.
    Σnᵢsᵢ² − (Σnᵢsᵢ)²/N = 10×14 − 60²/30 = 20, so Var T = 0.25 × 20 = 5 and z = −6/√5 = −2.683;
    the fitted slope is T/20 = −0.3 per group. Cross-check: z² = N r², r the Pearson
    correlation between score and outcome over the 30 people (Armitage 1955)."""
    test = cochran_armitage([8, 5, 2], [10, 10, 10], [1, 2, 3])
    assert test.z == pytest.approx(-6 / math.sqrt(5))
    assert test.slope == pytest.approx(-0.3)
    assert test.p_decline == pytest.approx(norm.cdf(-6 / math.sqrt(5)))
    assert test.p_two_sided == pytest.approx(0.00729, abs=1e-5)
    scores = np.repeat([1, 2, 3], 10)
    outcome = np.array([i < k for k in (8, 5, 2) for i in range(10)], dtype=float)
    r = np.corrcoef(scores, outcome)[0, 1]
    assert test.z**2 == pytest.approx(30 * r**2)


def test_cochran_armitage_published_example() -> None:
    """Agresti, Categorical Data Analysis (2nd ed., 2002), §3.4: infant malformation by
    mother's alcohol consumption (0, <1, 1–2, 3–5, ≥6 drinks a day; scores 0, 0.5, 1.5, 4, 7);
    malformed 48, 38, 5, 1, 1 of 17,114, 14,502, 793, 127, 38. Reported: z = 2.56,
    z² ≈ M² = 6.57, two-sided P = 0.0104 (a rise with consumption)."""
    test = cochran_armitage([48, 38, 5, 1, 1], [17114, 14502, 793, 127, 38], [0, 0.5, 1.5, 4, 7])
    assert test.z == pytest.approx(2.56, abs=0.005)
    assert test.z**2 == pytest.approx(6.57, abs=0.005)
    assert test.p_two_sided == pytest.approx(0.0104, abs=0.0001)


def test_cochran_armitage_without_variation_and_bad_input() -> None:
    assert cochran_armitage([5, 5], [5, 5], [1, 2]).z == 0.0
    with pytest.raises(ValueError):
        cochran_armitage([1], [2], [1])
    with pytest.raises(ValueError):
        cochran_armitage([1, 1], [2, 2], [1, 1])


def test_wilson_intervals_known_values() -> None:
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-5)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=5e-5)
    assert wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=5e-5)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_flag_fires_when_outcomes_fall_steeply_and_significantly() -> None:
    result = detect_creaming(CREAMED)

    assert result.flagged
    assert result.outcome_decline == pytest.approx(0.6)
    assert result.engagement_decline == pytest.approx(0.0)
    assert "outcome rate falls by 60% from group 1 to group 3" in result.explanation
    assert "engagement rate" not in result.explanation
    assert [g.outcome_rate for g in result.groups] == [0.8, 0.5, 0.2]
    assert result.groups[0].outcome_interval == pytest.approx((0.4902, 0.9433), abs=5e-5)
    assert result.tariff_offsets is None
    assert "Possible creaming" in result.summary()


def test_parking_shows_in_engagement() -> None:
    parked = referrals(1, 20, 18, 5) + referrals(2, 20, 4, 4)
    result = detect_creaming(parked)
    assert result.flagged
    assert "engagement rate falls by 70%" in result.explanation


def test_no_flag_when_the_fall_is_small_though_significant() -> None:
    big = referrals(1, 10000, 5000, 5000) + referrals(2, 10000, 5000, 4800)
    big += referrals(3, 10000, 5000, 4600)
    result = detect_creaming(big)
    assert result.outcome_trend.p_decline < 1e-6
    assert result.outcome_decline == pytest.approx(0.04)
    assert not result.flagged
    assert result.explanation.startswith("No sign of creaming")


def test_no_flag_when_the_fall_is_large_but_not_significant() -> None:
    """3/5, 2/5, 1/5: T = −2, Σnᵢsᵢ² − (Σnᵢsᵢ)²/N = 70 − 60 = 10, Var T = 0.24 × 10,
    z = −2/√2.4 = −1.29, one-sided p = 0.098 > 0.05."""
    small = referrals(1, 5, 5, 3) + referrals(2, 5, 5, 2) + referrals(3, 5, 5, 1)
    result = detect_creaming(small)
    assert result.outcome_trend.z == pytest.approx(-2 / math.sqrt(2.4))
    assert result.outcome_decline == pytest.approx(0.4)
    assert not result.flagged


def test_flat_tariff_does_not_offset_the_gradient() -> None:
    """Expected payment per referral = tariff × outcome rate: £300×0.8 = £240,
    £400×0.5 = £200, £750×0.2 = £150. Matching group 1 needs £240/0.5 = £480 and
    £240/0.2 = £1,200."""
    result = detect_creaming(CREAMED, {1: D("300"), 2: D("400"), 3: D("750")})
    assert [g.expected_payment for g in result.groups] == [D("240.00"), D("200.00"), D("150.00")]
    assert [g.equalising_tariff for g in result.groups] == [
        D("300.00"),
        D("480.00"),
        D("1200.00"),
    ]
    assert result.tariff_offsets is False
    assert "not steep enough" in result.tariff_explanation
    assert "£1,200.00 would match" in result.tariff_explanation


def test_steep_tariff_offsets_the_gradient() -> None:
    result = detect_creaming(CREAMED, {1: D("300"), 2: D("480"), 3: D("1200")})
    assert result.tariff_offsets is True
    assert "offsets" in result.tariff_explanation
    assert result.tariff_explanation in result.summary()


def test_group_with_no_outcomes_cannot_be_matched() -> None:
    data = referrals(1, 10, 10, 5) + referrals(2, 10, 10, 0)
    result = detect_creaming(data, {1: D("100"), 2: D("900")})
    assert result.groups[1].equalising_tariff is None
    assert "no tariff would match" in result.tariff_explanation


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="two complexity groups"):
        detect_creaming(referrals(1, 10, 5, 5))
    with pytest.raises(ValueError, match="no tariff"):
        detect_creaming(CREAMED, {1: D("300")})


records = st.lists(
    st.builds(Referral, st.integers(1, 4), st.booleans(), st.booleans()), min_size=2, max_size=80
).filter(lambda rs: len({r.group for r in rs}) >= 2)


@settings(max_examples=80, deadline=None)
@given(records, st.randoms(use_true_random=False))
def test_order_of_records_does_not_matter(data: list[Referral], rnd: random.Random) -> None:
    """Results depend only on the counts in each group, so any permutation of the records
    (within or across groups) gives the identical result."""
    shuffled = list(data)
    rnd.shuffle(shuffled)
    tariffs = {g: D(100 * g) for g in range(1, 5)}
    assert detect_creaming(shuffled, tariffs) == detect_creaming(data, tariffs)
