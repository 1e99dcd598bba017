"""Demo provider cohorts with a known built-in effect (OUT-1, OUT-3, PBR-2).

Each cohort is drawn from the pool's covariate distribution *tilted* towards the people the
provider works with: candidates are drawn like pool members in the provider's areas (and, for a
women's centre, women only) and kept with probability ∝ exp(Σ βⱼ xⱼ) over the tilt covariates,
so within those areas the true propensity score is logistic-linear in the columns written to
the file. Their offences come from the pool's outcome model with the hazard multiplied by θ,
solved so that the cohort's expected one-year proven reoffending rate is ``effect`` (default
−4 percentage points) below what the same people would have without support: a correct
matching estimate should recover it within its confidence interval.

Provider-supplied intermediate outcomes (PBR-2) are added for cohort members only, related to
the same unobserved frailty as offending (so they are plausible proxies): see
:data:`INTERMEDIATE_OUTCOMES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from commissioning_analytics.outcomes_synthetic import model
from commissioning_analytics.outcomes_synthetic.people import (
    calibration,
    draw_covariates,
    offences_frame,
    person_ids,
    risk_inputs,
    stream,
)

DEFAULT_EFFECT = -0.04


@dataclass(frozen=True)
class IntermediateOutcome:
    """A provider-supplied measure: ``kind`` binary or continuous; ``indicator`` leading (an
    early signal, measured within months) or lagging (measured late, like reoffending)."""

    column: str
    kind: str
    indicator: str
    months_after_start: int
    description: str


INTERMEDIATE_OUTCOMES = (
    IntermediateOutcome(
        "accommodation_3m", "binary", "leading", 3, "in settled accommodation 3 months after start"
    ),
    IntermediateOutcome(
        "wellbeing_score",
        "continuous",
        "leading",
        3,
        "SWEMWBS-style wellbeing score (7–35) 3 months after start",
    ),
    IntermediateOutcome(
        "employment_12m", "binary", "lagging", 12, "in work, education or training at 12 months"
    ),
)


@dataclass(frozen=True)
class CohortSpec:
    """Who a demo provider works with: areas, women only or not, and covariate tilts."""

    slug: str
    provider: str
    size: int
    id_prefix: str
    areas: tuple[str, ...]
    tilt: tuple[tuple[str, float], ...]
    women_only: bool = False
    effect: float = DEFAULT_EFFECT


DEMO_COHORTS = (
    CohortSpec(
        "womens-centre",
        "Synthetic Women's Centre (demo)",
        300,
        "SYN-WC-",
        ("greater-manchester", "lancashire", "merseyside", "cheshire", "cumbria"),
        (("custody_index", -0.5), ("prior_offences", 0.02)),
        women_only=True,
    ),
    CohortSpec(
        "young-adults-mentoring",
        "Synthetic Young Adults Mentoring (demo)",
        250,
        "SYN-YA-",
        ("london",),
        (("age", -0.35), ("prior_offences", 0.03)),
    ),
    CohortSpec(
        "resettlement",
        "Synthetic Resettlement Service (demo)",
        400,
        "SYN-RS-",
        ("west-midlands", "staffordshire", "west-mercia", "warwickshire"),
        (("custody_index", 3.0), ("short_sentence", 1.0), ("prior_offences", 0.02)),
    ),
)


@dataclass(frozen=True)
class DemoCohort:
    """A cohort's people (with intermediate outcomes) and offences, and its built-in effect:
    ``true_effect`` on the expected one-year proven reoffending rate (with minus without
    support, for these people) and the hazard multiplier θ that produces it."""

    spec: CohortSpec
    people: pd.DataFrame
    offences: pd.DataFrame
    true_effect: float
    expected_rate_without_support: float
    hazard_multiplier: float


def _select(rng: np.random.Generator, spec: CohortSpec, targets: model.Targets) -> pd.DataFrame:
    """Tilted draw of ``spec.size`` people (Poisson sampling, then a uniform subset)."""
    candidates = 400 * spec.size
    for _ in range(6):
        pool = draw_covariates(rng, candidates, targets)
        keep = pool["area"].isin(spec.areas).to_numpy()
        if spec.women_only:
            keep = keep & (pool["female"].to_numpy() == 1)
        score = np.zeros(len(pool))
        for column, beta in spec.tilt:
            score += beta * pool[column].to_numpy(dtype=np.float64)
        weight = np.where(keep, np.exp(score - score[keep].max()), 0.0)
        inclusion = np.minimum(1.0, weight * 1.5 * spec.size / weight.sum())
        chosen = np.flatnonzero(rng.random(len(pool)) < inclusion)
        if len(chosen) >= spec.size:
            subset = np.sort(rng.choice(chosen, size=spec.size, replace=False))
            return pool.iloc[subset].reset_index(drop=True)
        candidates *= 2
    raise ValueError(f"cannot draw {spec.size} people for {spec.slug}")


def _multiplier(mu: model.FloatArray, k: float, effect: float) -> float:
    """θ such that mean P(reoffend | θμ) − mean P(reoffend | μ) = effect."""
    base = float(model.rate_of(mu, k).mean())
    if not -base < effect < 1 - base:
        raise ValueError(f"an effect of {effect} is impossible from a base rate of {base:.3f}")

    def gap(log_theta: float) -> float:
        return float(model.rate_of(np.exp(log_theta) * mu, k).mean()) - base - effect

    return float(np.exp(brentq(gap, -20.0, 20.0, xtol=1e-12)))


def _intermediate(
    rng: np.random.Generator, people: pd.DataFrame, frailty: model.FloatArray
) -> dict[str, np.ndarray]:
    log_frailty = np.log(np.maximum(frailty, 1e-12))
    custody = people["custody_index"].to_numpy(dtype=np.float64)
    age = people["age"].to_numpy(dtype=np.float64)
    housed = 1.0 / (1.0 + np.exp(-(0.9 - 0.4 * log_frailty - 0.5 * custody)))
    working = 1.0 / (1.0 + np.exp(-(-0.8 - 0.3 * log_frailty - 0.02 * (age - 30))))
    wellbeing = np.clip(rng.normal(23.0 - 0.8 * log_frailty, 4.0), 7.0, 35.0)
    n = len(people)
    return {
        "accommodation_3m": (rng.random(n) < housed).astype(np.int64),
        "wellbeing_score": np.round(wellbeing, 1),
        "employment_12m": (rng.random(n) < working).astype(np.int64),
    }


def generate_demo_cohort(
    seed: int, spec: CohortSpec, *, targets: model.Targets | None = None, purpose: int = 10
) -> DemoCohort:
    """One demo cohort (``purpose`` separates the random streams of different cohorts)."""
    targets = targets or model.Targets()
    constants = calibration(targets)
    people = _select(stream(seed, purpose), spec, targets)
    people.insert(0, "person_id", person_ids(spec.id_prefix, len(people)))
    people.insert(2, "provider", spec.provider)
    eta, group, probabilities, proof = risk_inputs(people)
    mu = model.expected_mu(eta, group, proof, constants)
    theta = _multiplier(mu, constants.frailty_shape, spec.effect)
    rng = stream(seed, purpose + 1)
    histories = model.simulate(rng, eta, group, probabilities, constants, theta)
    for column, values in _intermediate(rng, people, histories.frailty).items():
        people[column] = values
    return DemoCohort(
        spec=spec,
        people=people,
        offences=offences_frame(people, histories),
        true_effect=spec.effect,
        expected_rate_without_support=float(model.rate_of(mu, constants.frailty_shape).mean()),
        hazard_multiplier=theta,
    )


def generate_demo_cohorts(
    seed: int,
    specs: tuple[CohortSpec, ...] = DEMO_COHORTS,
    *,
    targets: model.Targets | None = None,
) -> dict[str, DemoCohort]:
    """The demo cohorts by slug, each from its own random stream."""
    return {
        spec.slug: generate_demo_cohort(seed, spec, targets=targets, purpose=10 + 2 * i)
        for i, spec in enumerate(specs)
    }
