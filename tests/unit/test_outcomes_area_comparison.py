"""Fair comparisons across police force areas (OUT-2): observed against expected reoffending,
by hand, and the expected-reoffending model against statsmodels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.stats import chi2

from commissioning_analytics.outcomes.area_comparison import (
    AREA_TERMS,
    HIGHER,
    compare_areas,
    compare_extract_areas,
    observed_expected,
)
from commissioning_analytics.outcomes.extract import load_extract
from commissioning_analytics.outcomes.measures import add_measures
from tests.unit.test_outcomes_extract import _synthetic_extract


def test_a_harder_area_ranks_worse_crude_and_better_adjusted() -> None:
    """Northshire's 100 people are at high risk (0.5 each) and 40 reoffend; Southshire's are at
    low risk (0.2 each) and 30 reoffend. Crude, Southshire looks better (30% against 40%);
    adjusted, Northshire does better than expected (ratio 0.8) and Southshire worse (1.5)."""
    areas = ["northshire"] * 100 + ["southshire"] * 100
    reoffended = [1] * 40 + [0] * 60 + [1] * 30 + [0] * 70
    expected = [0.5] * 100 + [0.2] * 100
    comparison = observed_expected(areas, reoffended, expected)
    north, south = comparison.areas
    assert comparison.national_rate == pytest.approx(70 / 200)
    assert comparison.crude_ranking() == ["southshire", "northshire"]
    assert comparison.adjusted_ranking() == ["northshire", "southshire"]
    assert (north.observed, north.expected, north.observed_rate) == (40, pytest.approx(50), 0.4)
    assert north.ratio == pytest.approx(0.8)
    assert south.ratio == pytest.approx(1.5)
    # Exact Poisson interval for 40 and for 30, over E: Northshire's includes 1, Southshire's not.
    assert north.ratio_low == pytest.approx(chi2.ppf(0.025, 80) / 2 / 50)  # 0.572
    assert north.ratio_high == pytest.approx(chi2.ppf(0.975, 82) / 2 / 50)  # 1.089
    assert south.ratio_low == pytest.approx(chi2.ppf(0.025, 60) / 2 / 20)  # 1.012
    assert north.ratio_low is not None and north.ratio_high is not None
    assert (round(north.ratio_low, 3), round(north.ratio_high, 3)) == (0.572, 1.089)
    assert south.ratio_low is not None and round(south.ratio_low, 3) == 1.012
    assert north.adjusted_rate == pytest.approx(0.8 * 0.35)  # 28%
    assert south.adjusted_rate == pytest.approx(1.5 * 0.35)  # 52.5%
    assert (north.flag, south.flag) == ("", HIGHER)
    assert comparison.to_dict()["areas"][1]["flag"] == "higher than expected"


def test_an_area_under_sixty_people_gets_no_ratio() -> None:
    comparison = observed_expected(["a"] * 59 + ["b"] * 60, [1] * 119, [0.9] * 119)
    small, big = comparison.areas
    assert small.ratio is None and small.flag == "" and small.observed == 59
    assert big.ratio == pytest.approx(60 / 54)
    assert comparison.adjusted_ranking() == ["b"]


def _areas_data(seed: int) -> tuple[np.ndarray, ...]:
    """Twenty areas; deprived, low-employment areas have more reoffending for the same people,
    and a service in area 't' (the most deprived) cuts reoffending."""
    rng = np.random.default_rng(seed)
    n = 20_000
    area = rng.integers(0, 20, size=n)
    deprivation = np.linspace(0.05, 0.4, 20)[area]
    employment = (0.8 - 0.4 * np.linspace(0.05, 0.4, 20) + rng.normal(0, 0.02, 20))[area]
    age = rng.integers(18, 60, size=n).astype(float)
    priors = rng.poisson(3 + 4 * deprivation)
    eta = -0.5 - 0.03 * (age - 30) + 0.15 * priors + 4.0 * deprivation - 3.0 * (employment - 0.7)
    eta -= np.where(area == 19, 0.6, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    labels = np.array(list("abcdefghijklmnopqrst"))[area]
    return labels, y, np.column_stack([age, priors]), deprivation, employment


def test_the_model_agrees_with_statsmodels_and_changes_the_ranking() -> None:
    labels, y, x, deprivation, employment = _areas_data(5)
    comparison = compare_areas(labels, y, x, ["age", "prior_offences"], deprivation, employment)
    design = sm.add_constant(np.column_stack([x, deprivation, employment]))
    reference = sm.Logit(y, design).fit(disp=0, tol=1e-12)
    assert comparison.fit is not None
    assert comparison.fit.names == ("age", "prior_offences", "area_deprivation", "area_employment")
    np.testing.assert_allclose(comparison.fit.coefficients, reference.params, rtol=1e-6, atol=1e-6)
    rows = {a.area: a for a in comparison.areas}
    for area, row in rows.items():
        expected = float(reference.predict(design)[labels == area].sum())
        assert row.expected == pytest.approx(expected, rel=1e-6)
    # The expected counts add up to the observed: the national ratio is 1.
    assert sum(a.expected for a in comparison.areas) == pytest.approx(y.sum())
    # Crude, the most deprived area 't' is in the worse half; adjusted, it is the best, and
    # its interval is below the national rate.
    assert comparison.crude_ranking().index("t") >= 10
    assert comparison.adjusted_ranking()[0] == "t"
    assert rows["t"].flag == "lower than expected"


def test_the_extract_areas_are_compared_on_their_measured_reoffending(tmp_path: Path) -> None:
    p, o, _ = _synthetic_extract(tmp_path, n=4_000)
    individual = ["age", "female", "prior_offences", "ogrs_score"]
    extract = load_extract(p, o, numeric=[*individual, *AREA_TERMS], text=["area"])
    comparison = compare_extract_areas(extract, covariates=individual)
    measured = add_measures(p, o).frame
    direct = compare_areas(
        measured["area"],
        measured["reoffended"],
        measured[individual].to_numpy(dtype=float),
        individual,
        measured["area_deprivation"].astype(float),
        measured["area_employment"].astype(float),
    )
    for ours, theirs in zip(comparison.areas, direct.areas, strict=True):
        assert (ours.area, ours.people, ours.observed, ours.flag) == (
            theirs.area,
            theirs.people,
            theirs.observed,
            theirs.flag,
        )
        assert ours.expected == pytest.approx(theirs.expected, rel=1e-9)
    assert comparison.fit is not None and direct.fit is not None
    np.testing.assert_allclose(comparison.fit.coefficients, direct.fit.coefficients, rtol=1e-9)
    assert sum(a.people for a in comparison.areas) == 4_000
    assert any(a.ratio is None for a in comparison.areas)  # the smallest areas: no ratio
