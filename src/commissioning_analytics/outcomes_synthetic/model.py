"""The generative model of proven reoffending after the index date (OUT-1).

Reoffending comes in **episodes** (an offence, or a run of offences, dealt with at one
disposal). A person's episodes follow a Poisson process with intensity
``λᵢ · γ t^(γ−1)`` (t in years since the index date, γ = :data:`TIME_SHAPE` < 1, so risk is
highest soon after release or sentence), where

    λᵢ = exp(a_g + ηᵢ) · Gᵢ · θ

* ``a_g`` — an intercept for the index type g (short custodial sentence, longer custodial
  sentence, community order), calibrated to the target rates;
* ``ηᵢ`` — :func:`linear_predictor` of the person's covariates (age, sex, criminal history,
  area deprivation and employment);
* ``Gᵢ`` — a gamma frailty with mean 1 and shape k (unobserved propensity to offend);
* ``θ`` — 1 in the comparison pool; below 1 in a demo cohort (the built-in effect of support).

Each episode gets a disposal type (probabilities depending on criminal history) and a delay
from offence to disposal drawn from a log-normal distribution for that type (long right tail:
some offences are proven after the six-month waiting period). It holds the first offence and
``Poisson(m)`` further offences committed within 30 days after it (and not after the
disposal), proven at the same disposal.

Calibration is analytic: the number of episodes committed in the follow-up year *and* proven
by its end plus the waiting period is negative binomial with mean ``μᵢ = exp(a_g + ηᵢ)·θ·cᵢ``
(``cᵢ`` the chance that an episode in the year is proven in time), so
``P(reoffended) = 1 − (1 + μᵢ/k)^(−k)``; ``a_g`` is solved so that each group's expected rate
is its target, and ``m`` so that proven reoffences per reoffender match the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import ndtr

FloatArray = NDArray[np.float64]

GROUPS = ("custody_release_short", "custody_release_long", "community_order")
"""Index types: release from a custodial sentence under 12 months, of 12 months or more, and
the start of a community order."""
DISPOSALS = ("caution", "fine", "community_order", "custody")
DELAY_MEDIAN_DAYS = np.array([20.0, 70.0, 110.0, 130.0])
DELAY_SIGMA = np.array([0.9, 0.8, 0.8, 1.0])
TIME_SHAPE = 0.8
HORIZON_YEARS = 2.0
FOLLOW_UP_DAYS = 365
WAITING_DAYS = 182
EXTRA_OFFENCE_WINDOW_DAYS = 31


@dataclass(frozen=True)
class Targets:
    """Calibration targets: approximate published England & Wales adult proven-reoffending
    levels (Ministry of Justice, *Proven reoffending statistics*, recent quarterly cohorts),
    and the mix of index types in the pool."""

    overall_rate: float = 0.25
    custody_rate: float = 0.37
    short_sentence_rate: float = 0.57
    reoffences_per_reoffender: float = 3.5
    custody_share: float = 0.20
    short_share_of_custody: float = 0.40
    frailty_shape: float = 0.7

    def group_shares(self) -> FloatArray:
        c, s = self.custody_share, self.short_share_of_custody
        return np.array([c * s, c * (1 - s), 1 - c])

    def group_rates(self) -> FloatArray:
        """Target rate per index type; the longer-sentence and community rates follow from the
        overall, custody and short-sentence targets and the mix."""
        c, s = self.custody_share, self.short_share_of_custody
        if not (0 < c < 1 and 0 < s < 1):
            raise ValueError("custody_share and short_share_of_custody must be in (0, 1)")
        if self.frailty_shape <= 0:
            raise ValueError("frailty_shape must be positive")
        long_rate = (self.custody_rate - s * self.short_sentence_rate) / (1 - s)
        community = (self.overall_rate - c * self.custody_rate) / (1 - c)
        rates = np.array([self.short_sentence_rate, long_rate, community])
        if not np.all((rates > 0.01) & (rates < 0.95)):
            raise ValueError(f"targets imply impossible rates per index type: {rates.round(3)}")
        return rates


@dataclass(frozen=True)
class Calibration:
    """Fitted model constants: intercepts per index type, frailty shape, extra offences per
    episode (mean of the Poisson)."""

    intercepts: FloatArray
    frailty_shape: float
    extra_offences: float


def linear_predictor(
    age: FloatArray,
    female: FloatArray,
    prior_offences: FloatArray,
    prior_custodial: FloatArray,
    age_first_offence: FloatArray,
    deprivation: FloatArray,
    employment: FloatArray,
) -> FloatArray:
    """ηᵢ: log hazard ratio from the covariates (all observed, so matching can adjust)."""
    copas = copas_rate(age, prior_offences, age_first_offence)
    return np.asarray(
        -0.03 * (age - 35)
        - 0.35 * female
        + 0.55 * (copas + 1.0)
        + 0.12 * np.log1p(prior_custodial)
        + 0.012 * (deprivation - 22)
        - 0.03 * (employment - 75),
        dtype=np.float64,
    )


def copas_rate(age: FloatArray, prior_offences: FloatArray, age_first: FloatArray) -> FloatArray:
    """The Copas rate of offending, ln((previous sanctions + 1) / (years since first + 10))."""
    return np.asarray(np.log((prior_offences + 1.0) / (age - age_first + 10.0)), dtype=np.float64)


def disposal_probabilities(
    prior_offences: FloatArray, prior_custodial: FloatArray, custody_index: FloatArray
) -> FloatArray:
    """(n, 4) probabilities of caution, fine, community order, custody for a reoffence."""
    n = len(prior_offences)
    logits = np.empty((n, 4))
    logits[:, 0] = 0.2 - 0.5 * np.log1p(prior_offences)
    logits[:, 1] = 0.9
    logits[:, 2] = 0.8
    logits[:, 3] = -0.6 + 0.55 * np.log1p(prior_custodial) + 0.6 * custody_index
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True), dtype=np.float64)


def delay_cdf(days: FloatArray, disposal: int) -> FloatArray:
    """P(delay from offence to disposal ≤ days) for one disposal type."""
    safe = np.maximum(days, 1e-9)
    z = (np.log(safe) - np.log(DELAY_MEDIAN_DAYS[disposal])) / DELAY_SIGMA[disposal]
    return np.asarray(np.where(days > 0, ndtr(z), 0.0), dtype=np.float64)


def proven_in_time() -> FloatArray:
    """Per disposal type: the chance that an episode committed in the follow-up year is proven
    by the end of the year plus the waiting period (weighting offence times by the hazard)."""
    edges = np.linspace(0.0, 1.0, 4001)
    mass = np.diff(edges**TIME_SHAPE)
    middle = (edges[:-1] + edges[1:]) / 2
    left = FOLLOW_UP_DAYS + WAITING_DAYS - middle * FOLLOW_UP_DAYS
    return np.array([float(np.dot(mass, delay_cdf(left, d))) for d in range(len(DISPOSALS))])


def rate_of(mu: FloatArray, k: float) -> FloatArray:
    """P(at least one counted episode) under the gamma frailty."""
    return np.asarray(-np.expm1(-k * np.log1p(mu / k)), dtype=np.float64)


def calibrate(
    eta: FloatArray, group: NDArray[np.int64], proof: FloatArray, targets: Targets
) -> Calibration:
    """Solve the intercepts and extra offences per episode on a reference sample."""
    rates = targets.group_rates()
    k = targets.frailty_shape
    intercepts = np.zeros(len(GROUPS))
    expected_rate = 0.0
    expected_episodes = 0.0
    for g, target in enumerate(rates):
        base = np.exp(eta[group == g]) * proof[group == g]

        def gap(a: float, base: FloatArray = base, target: float = float(target)) -> float:
            return float(rate_of(np.exp(a) * base, k).mean()) - target

        intercepts[g] = brentq(gap, -20.0, 15.0, xtol=1e-10)
        share = float(np.mean(group == g))
        expected_rate += share * float(target)
        expected_episodes += share * float(np.mean(np.exp(intercepts[g]) * base))
    extra = targets.reoffences_per_reoffender * expected_rate / expected_episodes - 1.0
    if extra < 0:
        raise ValueError(
            "reoffences_per_reoffender is too low for this frailty shape; raise frailty_shape"
        )
    return Calibration(intercepts, k, extra)


def expected_mu(
    eta: FloatArray, group: NDArray[np.int64], proof: FloatArray, calibration: Calibration
) -> FloatArray:
    """μᵢ: expected counted episodes in the follow-up year with no support (θ = 1)."""
    return np.asarray(np.exp(calibration.intercepts[group] + eta) * proof, dtype=np.float64)


@dataclass(frozen=True)
class Histories:
    """Offences after the index date: one row per offence, by person (row index)."""

    person: NDArray[np.int64]
    offence_day: NDArray[np.int64]
    disposal_day: NDArray[np.int64]
    disposal: NDArray[np.int64]
    frailty: FloatArray


def simulate(
    rng: np.random.Generator,
    eta: FloatArray,
    group: NDArray[np.int64],
    probabilities: FloatArray,
    calibration: Calibration,
    multiplier: float = 1.0,
) -> Histories:
    """Draw each person's offences over :data:`HORIZON_YEARS` after the index date (days are
    counted from the index date; the first possible offence day is 1)."""
    n = len(eta)
    k = calibration.frailty_shape
    frailty = rng.gamma(k, 1.0 / k, size=n)
    intensity = np.exp(calibration.intercepts[group] + eta) * frailty * multiplier
    episodes = rng.poisson(intensity * HORIZON_YEARS**TIME_SHAPE)
    who = np.repeat(np.arange(n, dtype=np.int64), episodes)
    years = HORIZON_YEARS * rng.random(len(who)) ** (1.0 / TIME_SHAPE)
    day = np.floor(years * FOLLOW_UP_DAYS).astype(np.int64) + 1
    cumulative = np.cumsum(probabilities[who], axis=1)
    disposal = (rng.random(len(who))[:, None] > cumulative[:, :-1]).sum(axis=1).astype(np.int64)
    delay = np.ceil(
        np.exp(
            np.log(DELAY_MEDIAN_DAYS[disposal]) + DELAY_SIGMA[disposal] * rng.normal(size=len(who))
        )
    ).astype(np.int64)
    extras = rng.poisson(calibration.extra_offences, size=len(who))
    source = np.repeat(np.arange(len(who)), extras)
    window = np.minimum(EXTRA_OFFENCE_WINDOW_DAYS, delay[source] + 1)
    extra_day = day[source] + np.floor(rng.random(len(source)) * window).astype(np.int64)
    rows = np.concatenate([np.arange(len(who)), source])
    person = who[rows]
    offence_day = np.concatenate([day, extra_day])
    order = np.lexsort((offence_day, person))
    return Histories(
        person=person[order],
        offence_day=offence_day[order],
        disposal_day=(day + delay)[rows][order],
        disposal=disposal[rows][order],
        frailty=frailty,
    )
