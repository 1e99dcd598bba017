"""Fair comparisons of proven reoffending across police force areas (OUT-2).

A crude rate penalises areas whose people are at higher risk, or whose deprivation and
unemployment make reoffending likelier whoever provides the service. So each area's observed
rate is set beside the rate **expected** for its people: a logistic model of reoffending on
the individual covariates plus the area's deprivation and employment rates, fitted on
everyone (every area together, no term for the area itself), gives each person's expected
probability; an area's expected count ``E`` is the sum of its people's probabilities
(indirect standardisation).

* **Observed/expected ratio** ``O / E``: below 1, fewer people reoffended than expected.
* **95% interval**: the exact Poisson interval for ``O`` (Garwood 1936: ``χ²(α/2; 2O) / 2`` and
  ``χ²(1 − α/2; 2O + 2) / 2``) divided by ``E``, treating ``E`` as fixed, as for standardised
  mortality ratios.
* **Risk-adjusted rate**: ``O / E × national rate``, with the interval scaled the same way.
  With an intercept in the model the expected counts add up to the observed national count,
  so the national ratio is exactly 1 and the national rate is the benchmark.
* **Flag**: "lower than expected" or "higher than expected" where the interval excludes the
  national rate (the ratio's interval excludes 1).

An area with fewer than 60 people gets no ratio or interval (the cohort safeguard); counts
under 5 are suppressed where published (:func:`.safeguards.publish_count`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2

from commissioning_analytics.outcomes.extract import Extract
from commissioning_analytics.outcomes.propensity import LogisticFit, fit_logistic
from commissioning_analytics.outcomes.safeguards import MIN_COHORT

FloatArray = NDArray[np.float64]
AREA_TERMS = ("area_deprivation", "area_employment")
LOWER = "lower than expected"
HIGHER = "higher than expected"


@dataclass(frozen=True)
class AreaRate:
    """One area's observed and expected reoffending (``None`` figures: too few people)."""

    area: str
    people: int
    observed: int
    expected: float
    observed_rate: float
    expected_rate: float
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    adjusted_rate: float | None
    adjusted_low: float | None
    adjusted_high: float | None
    flag: str


@dataclass(frozen=True)
class AreaComparison:
    national_rate: float
    areas: tuple[AreaRate, ...]
    fit: LogisticFit | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON: the national rate, each area's figures, and the model's terms."""
        return {
            "national_rate": self.national_rate,
            "areas": [asdict(area) for area in self.areas],
            "model": None
            if self.fit is None
            else {
                "terms": ["(intercept)", *self.fit.names],
                "coefficients": self.fit.coefficients.tolist(),
            },
        }

    def crude_ranking(self) -> list[str]:
        """Areas from the lowest observed rate to the highest."""
        return [a.area for a in sorted(self.areas, key=lambda a: (a.observed_rate, a.area))]

    def adjusted_ranking(self) -> list[str]:
        """Areas with a ratio, from the lowest observed/expected ratio to the highest."""
        rated = [a for a in self.areas if a.ratio is not None]
        return [a.area for a in sorted(rated, key=lambda a: (a.ratio or 0.0, a.area))]


def poisson_interval(observed: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count."""
    alpha = 1.0 - confidence
    low = 0.0 if observed == 0 else float(chi2.ppf(alpha / 2, 2 * observed)) / 2
    return low, float(chi2.ppf(1 - alpha / 2, 2 * observed + 2)) / 2


def _flag(low: float | None, high: float | None) -> str:
    """Where the ratio's interval excludes 1 (the adjusted rate's, the national rate)."""
    if high is not None and high < 1:
        return LOWER
    if low is not None and low > 1:
        return HIGHER
    return ""


def observed_expected(
    areas: ArrayLike,
    reoffended: ArrayLike,
    expected_probability: ArrayLike,
    *,
    confidence: float = 0.95,
) -> AreaComparison:
    """Each area's observed and expected counts, ratio, interval, adjusted rate and flag."""
    labels = np.asarray(areas).astype(str)
    y = np.asarray(reoffended, dtype=np.float64)
    p = np.asarray(expected_probability, dtype=np.float64)
    if not (labels.shape == y.shape == p.shape) or y.size == 0:
        raise ValueError("one area, outcome and expected probability are needed per person")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("the outcome must be 0 or 1 for everyone")
    national = float(y.mean())
    names, group = np.unique(labels, return_inverse=True)
    people = np.bincount(group, minlength=names.size)
    observed = np.bincount(group, weights=y, minlength=names.size)
    expected = np.bincount(group, weights=p, minlength=names.size)
    rows = []
    for name, size, o, total in zip(names, people, observed, expected, strict=True):
        n, e, count = int(size), float(total), int(np.rint(o))
        ratio = low = high = None
        if n >= MIN_COHORT and e > 0:
            ratio = count / e
            low, high = (bound / e for bound in poisson_interval(count, confidence))
        rows.append(
            AreaRate(
                area=str(name),
                people=n,
                observed=count,
                expected=e,
                observed_rate=count / n,
                expected_rate=e / n,
                ratio=ratio,
                ratio_low=low,
                ratio_high=high,
                adjusted_rate=None if ratio is None else ratio * national,
                adjusted_low=None if low is None else low * national,
                adjusted_high=None if high is None else high * national,
                flag=_flag(low, high),
            )
        )
    return AreaComparison(national, tuple(rows))


def compare_areas(
    areas: ArrayLike,
    reoffended: ArrayLike,
    covariates: FloatArray,
    covariate_names: Sequence[str],
    area_deprivation: ArrayLike,
    area_employment: ArrayLike,
    *,
    confidence: float = 0.95,
) -> AreaComparison:
    """Fit the expected-reoffending model and compare every area with it (see the module).

    ``covariates``: one row per person, one column per name (age, previous offences, ...);
    ``area_deprivation`` and ``area_employment``: each person's area's rates.
    """
    x = np.column_stack(
        [
            np.asarray(covariates, dtype=np.float64).reshape(len(np.asarray(reoffended)), -1),
            np.asarray(area_deprivation, dtype=np.float64),
            np.asarray(area_employment, dtype=np.float64),
        ]
    )
    names = (*covariate_names, *AREA_TERMS)
    if x.shape[1] != len(names):
        raise ValueError("one covariate name is needed per covariate column")
    fit = fit_logistic(x, np.asarray(reoffended, dtype=np.float64), names)
    result = observed_expected(areas, reoffended, fit.predict(x), confidence=confidence)
    return AreaComparison(result.national_rate, result.areas, fit)


def compare_extract_areas(
    extract: Extract,
    *,
    covariates: Sequence[str],
    area: str = "area",
    deprivation: str = "area_deprivation",
    employment: str = "area_employment",
    rows: ArrayLike | None = None,
    confidence: float = 0.95,
) -> AreaComparison:
    """:func:`compare_areas` for the people of the steward's extract (all, or ``rows``): their
    proven reoffending from the extract's offences, their area (a text column) and its rates."""
    chosen = np.arange(extract.rows) if rows is None else np.asarray(rows, dtype=np.int64)
    reoffended = extract.measures_for(chosen).reoffended
    x = np.column_stack([extract.numbers[c][chosen] for c in covariates])
    return compare_areas(
        extract.text[area][chosen],
        reoffended,
        x,
        covariates,
        extract.numbers[deprivation][chosen],
        extract.numbers[employment][chosen],
        confidence=confidence,
    )
