"""Balance, effect estimates, the plain-English statement and the small-number safeguards
(OUT-1, OUT-4, PBR-2), checked against hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from commissioning.outcomes_web.formatting import difference
from commissioning_analytics.outcomes.balance import balance_table
from commissioning_analytics.outcomes.effects import Effect, estimate_effect
from commissioning_analytics.outcomes.matching import MatchResult, match
from commissioning_analytics.outcomes.numbers import plain
from commissioning_analytics.outcomes.safeguards import (
    SafeguardError,
    balance_warning,
    check_cohort_size,
    events_warning,
    publish_count,
    unmatched_warning,
)
from commissioning_analytics.outcomes.statement import statement


def _result(treated: list[int], comparison: list[int], n_t: int, n_c: int) -> MatchResult:
    t = np.array(treated, dtype=np.int64)
    counts = np.bincount(t, minlength=n_t)
    return MatchResult(t, np.array(comparison, dtype=np.int64), 1.0 / counts[t], 1.0, n_t, n_c)


def test_one_to_one_without_replacement_is_the_paired_difference() -> None:
    y_t = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    y_c = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    result = _result([0, 1, 2, 3, 4], [0, 1, 2, 3, 4], 5, 6)
    effect = estimate_effect(y_t, y_c, result)
    d = y_t - y_c[:5]
    se = np.std(d, ddof=1) / math.sqrt(5)
    assert effect.effect == pytest.approx(d.mean())
    assert effect.standard_error == pytest.approx(se)
    assert effect.ci_low == pytest.approx(d.mean() - 1.959964 * se, abs=1e-6)
    assert effect.p_value == pytest.approx(math.erfc(abs(d.mean() / se) / math.sqrt(2)))
    assert effect.binary
    assert (effect.treated_mean, effect.comparison_mean) == (0.6, 0.4)


def test_shared_comparison_units_widen_the_interval() -> None:
    # Cohort members 0 and 1 share pool unit 0; member 2 has units 1 and 2 (weights 1/2).
    y_t = np.array([3.0, 5.0, 4.0])
    y_c = np.array([1.0, 2.0, 6.0])
    result = _result([0, 1, 2, 2], [0, 0, 1, 2], 3, 3)
    effect = estimate_effect(y_t, y_c, result)
    d = np.array([3 - 1, 5 - 1, 4 - (2 + 6) / 2])
    k = np.array([2.0, 0.5, 0.5])
    k2 = np.array([2.0, 0.25, 0.25])
    mean_c = np.dot(k, y_c) / k.sum()
    sigma2 = np.dot(k, (y_c - mean_c) ** 2) / (k.sum() - 1)
    variance = (3 / 2 * np.sum((d - d.mean()) ** 2) + np.sum(k**2 - k2) * sigma2) / 9
    assert effect.effect == pytest.approx(d.mean())
    assert effect.comparison_mean == pytest.approx(mean_c)
    assert effect.standard_error == pytest.approx(math.sqrt(variance))
    paired_only = math.sqrt(np.sum((d - d.mean()) ** 2) * 3 / 2) / 3
    assert effect.standard_error > paired_only
    assert not effect.binary


def test_effect_recovers_a_known_difference_on_simulated_data() -> None:
    rng = np.random.default_rng(11)
    x_t, x_c = rng.normal(0.5, 1, 3_000), rng.normal(0.0, 1, 30_000)
    y_t = 2.0 * x_t + 1.0 + rng.normal(0, 1, x_t.size)  # true effect +1
    y_c = 2.0 * x_c + rng.normal(0, 1, x_c.size)
    for replace in (False, True):
        result = match(x_t, x_c, replace=replace, ratio=2)
        effect = estimate_effect(y_t, y_c, result)
        assert effect.ci_low < 1.0 < effect.ci_high
        assert effect.effect == pytest.approx(1.0, abs=0.1)


def test_balance_uses_the_pooled_sd_before_matching_for_both_smds() -> None:
    treated_x = np.array([[1.0], [2.0], [3.0]])
    pool_x = np.array([[0.0], [1.0], [2.0], [9.0]])
    result = _result([0, 1, 2], [1, 2, 2], 3, 4)  # unit 2 serves two members (replacement)
    row = balance_table(["prior"], treated_x, pool_x, result).covariates[0]
    sd = math.sqrt((np.var([1, 2, 3], ddof=1) + np.var([0, 1, 2, 9], ddof=1)) / 2)
    assert row.smd_before == pytest.approx((2.0 - 3.0) / sd)
    assert row.smd_after == pytest.approx((2.0 - (1 + 2 + 2) / 3) / sd)
    weighted_var = (1 * (1 - 5 / 3) ** 2 + 2 * (2 - 5 / 3) ** 2) / (3 - 1)
    assert row.variance_ratio_after == pytest.approx(1.0 / weighted_var)


def _effect(low: float, high: float, *, binary: bool = True) -> Effect:
    mid = (low + high) / 2
    return Effect(0.3, 0.3 - mid, mid, 0.01, low, high, 0.01, 0.95, 100, 100, binary)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (-0.09, -0.012, "could be between 1 fewer and 9 fewer."),
        (0.021, 0.074, "could be between 2 more and 7 more."),
        (-0.004, -0.0012, "could be between 0.1 fewer and 0.4 fewer."),
    ],
)
def test_statement_significant_forms(low: float, high: float, expected: str) -> None:
    text = statement(_effect(low, high), "commit a proven reoffence within one year")
    assert text.startswith(
        "For 100 typical people who receive support, compared with 100 similar people who do "
        "not, the number who commit a proven reoffence within one year "
    )
    assert text.endswith(expected)


def test_statement_non_significant_form_says_the_range_includes_no_difference() -> None:
    text = statement(_effect(-0.06, 0.03), "commit a proven reoffence within one year")
    assert "could be between 6 fewer and 3 more." in text
    assert "does not show that the support changes this measure" in text


def test_statement_for_a_continuous_outcome_speaks_of_the_average() -> None:
    text = statement(_effect(-2.5, -0.4, binary=False), "number of proven reoffences")
    assert text == (
        "For typical people who receive support, compared with similar people who do not, the "
        "average number of proven reoffences could be between 0.4 lower and 2.5 lower."
    )


@pytest.mark.parametrize(
    ("count", "published"),
    [(0, 0), (1, "<5"), (4, "<5"), (4.4, "<5"), (4.6, 5), (5, 5), (1234, 1234)],
)
def test_counts_under_five_are_suppressed(count: float, published: int | str) -> None:
    assert publish_count(count) == published


def test_cohorts_under_sixty_are_refused() -> None:
    check_cohort_size(60)
    with pytest.raises(SafeguardError, match="59 people; at least 60"):
        check_cohort_size(59)


def test_warnings_fire_at_their_thresholds() -> None:
    assert events_warning(29, "reoffended") is not None
    assert events_warning(30, "reoffended") is None
    assert unmatched_warning(100, 79) is not None
    assert unmatched_warning(100, 80) is None
    assert balance_warning([]) is None
    assert "age" in (balance_warning(["age"]) or "")


def test_statement_for_large_continuous_amounts_is_in_plain_digits() -> None:
    """Issue 17: "3.33e+03" must read "3,330" (OUT-1)."""
    text = statement(_effect(-3333.3, -1234.5, binary=False), "cost of custody in pounds")
    assert text.endswith("could be between 1,230 lower and 3,330 lower.")
    assert "e+" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3333.3, "3,330"),
        (-1_234_567.0, "-1,230,000"),
        (3.3333, "3.33"),
        (0.000123456, "0.000123"),
        (999.7, "1,000"),
        (9.996, "10"),
        (0.4, "0.4"),
        (0.0, "0"),
    ],
)
def test_plain_numbers_never_use_scientific_notation(value: float, expected: str) -> None:
    assert plain(value) == expected


def test_study_page_differences_for_continuous_outcomes_have_thousands_separators() -> None:
    assert difference(-3333.333, binary=False) == "−3,333.33"
