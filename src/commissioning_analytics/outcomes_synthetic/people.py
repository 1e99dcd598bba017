"""Synthetic person-level comparison pool with offending histories (OUT-1, OUT-2, EQU-2).

:func:`generate_people` draws people at an index date (release from custody or the start of a
community order, 2022–2024) with their covariates, then their proven offences after the index
date from the model in :mod:`.model`. Everything is deterministic given the seed; nobody in it
is real.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from commissioning_analytics.outcomes_synthetic import model
from commissioning_analytics.outcomes_synthetic.areas import area_indices

FIRST_INDEX_DATE = np.datetime64("2022-01-01")
LAST_INDEX_DATE = np.datetime64("2024-12-31")
ETHNICITY_GROUPS = ("white", "black", "asian", "mixed", "other", "not_stated")
"""Broad ONS-style ethnic groups (``not_stated`` where not recorded)."""
_ETHNICITY_LONDON = (0.46, 0.24, 0.15, 0.08, 0.05, 0.02)
_ETHNICITY_ELSEWHERE = (0.84, 0.04, 0.06, 0.03, 0.01, 0.02)
_FEMALE_SHARE = (0.05, 0.05, 0.15)
CALIBRATION_SIZE = 100_000
CALIBRATION_SEED = 20_240_101
COVARIATES = (
    "age",
    "female",
    "prior_offences",
    "prior_custodial",
    "age_first_offence",
    "ogrs_score",
    "area_deprivation",
    "area_employment",
    "custody_index",
    "short_sentence",
)
"""The numeric columns to match on."""


@dataclass(frozen=True)
class SyntheticPeople:
    """A people file (one row per person) and an offences file (one row per proven offence),
    in the column layout of ``commissioning outcomes measures``."""

    people: pd.DataFrame
    offences: pd.DataFrame


def stream(seed: int, purpose: int) -> np.random.Generator:
    """An independent random stream for one purpose, fixed by the seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, purpose]))


def draw_covariates(rng: np.random.Generator, n: int, targets: model.Targets) -> pd.DataFrame:
    """People at their index date (no ids, no outcomes)."""
    areas = area_indices()
    group = rng.choice(3, size=n, p=targets.group_shares())
    custody = (group < 2).astype(np.int64)
    female = (rng.random(n) < np.asarray(_FEMALE_SHARE)[group]).astype(np.int64)
    age = np.minimum(18 + np.floor(rng.gamma(2.0, 8.0, size=n)), 80).astype(np.int64)
    area = rng.choice(len(areas.slugs), size=n, p=areas.weights)
    london = np.asarray(areas.slugs)[area] == "london"
    cum = np.where(london[:, None], np.cumsum(_ETHNICITY_LONDON), np.cumsum(_ETHNICITY_ELSEWHERE))
    ethnicity = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), len(ETHNICITY_GROUPS) - 1)
    mean_priors = np.exp(1.3 + 0.035 * (age - 18) + 0.8 * custody - 0.4 * female)
    shape = 1.1
    priors = np.minimum(rng.negative_binomial(shape, shape / (shape + mean_priors)), 150)
    p_custodial = 1.0 / (1.0 + np.exp(2.3 - 1.1 * custody - 0.1 * np.log1p(priors)))
    prior_custodial = rng.binomial(priors, p_custodial)
    fraction = rng.beta(1.5, 1.0 + 0.6 * np.log1p(priors))
    age_first = np.where(priors > 0, 10 + np.floor((age - 10) * fraction), age).astype(np.int64)
    copas = model.copas_rate(age, priors, age_first)
    ogrs = 100.0 / (1.0 + np.exp(-(-0.2 - 0.035 * (age - 35) - 0.4 * female + 1.0 * (copas + 1))))
    days = int((LAST_INDEX_DATE - FIRST_INDEX_DATE).astype(np.int64)) + 1
    index_date = FIRST_INDEX_DATE + rng.integers(0, days, size=n).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "index_date": index_date,
            "index_type": np.asarray(model.GROUPS)[group],
            "custody_index": custody,
            "short_sentence": (group == 0).astype(np.int64),
            "sex": np.where(female == 1, "female", "male"),
            "female": female,
            "age": age,
            "ethnicity": np.asarray(ETHNICITY_GROUPS)[ethnicity],
            "area": np.asarray(areas.slugs)[area],
            "area_deprivation": areas.deprivation[area],
            "area_employment": areas.employment[area],
            "prior_offences": priors.astype(np.int64),
            "prior_custodial": prior_custodial.astype(np.int64),
            "age_first_offence": age_first,
            "ogrs_score": np.round(ogrs, 1),
        }
    )


def group_codes(people: pd.DataFrame) -> NDArray[np.int64]:
    codes = {name: i for i, name in enumerate(model.GROUPS)}
    return people["index_type"].map(codes).to_numpy(dtype=np.int64)


def risk_inputs(
    people: pd.DataFrame,
) -> tuple[model.FloatArray, NDArray[np.int64], model.FloatArray, model.FloatArray]:
    """η, index-type codes, disposal probabilities and the proven-in-time chance per person."""

    def col(name: str) -> model.FloatArray:
        return people[name].to_numpy(dtype=np.float64)

    eta = model.linear_predictor(
        col("age"),
        col("female"),
        col("prior_offences"),
        col("prior_custodial"),
        col("age_first_offence"),
        col("area_deprivation"),
        col("area_employment"),
    )
    probabilities = model.disposal_probabilities(
        col("prior_offences"), col("prior_custodial"), col("custody_index")
    )
    proof = probabilities @ model.proven_in_time()
    return eta, group_codes(people), probabilities, proof


@lru_cache(maxsize=16)
def calibration(targets: model.Targets) -> model.Calibration:
    """The model constants for ``targets``, fitted on a fixed reference sample (the same for
    every seed and size, so pools and cohorts share one outcome model)."""
    reference = draw_covariates(stream(CALIBRATION_SEED, 0), CALIBRATION_SIZE, targets)
    eta, group, _, proof = risk_inputs(reference)
    return model.calibrate(eta, group, proof, targets)


def offences_frame(people: pd.DataFrame, histories: model.Histories) -> pd.DataFrame:
    index_date = people["index_date"].to_numpy(dtype="datetime64[D]")[histories.person]
    return pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy()[histories.person],
            "offence_date": index_date + histories.offence_day.astype("timedelta64[D]"),
            "disposal_date": index_date + histories.disposal_day.astype("timedelta64[D]"),
            "disposal_type": np.asarray(model.DISPOSALS)[histories.disposal],
        }
    )


def person_ids(prefix: str, n: int) -> NDArray[np.str_]:
    """Pseudonymous ids: ``prefix`` and a 7-digit number from 1 (e.g. ``SYN-P-0000001``)."""
    numbers = np.char.zfill(np.arange(1, n + 1).astype(str), 7)
    return np.char.add(prefix, numbers)


def generate_people(
    seed: int, n: int, *, targets: model.Targets | None = None, id_prefix: str = "SYN-P-"
) -> SyntheticPeople:
    """A synthetic comparison pool of ``n`` people and their proven offences after the index
    date, calibrated to ``targets`` (default: approximate published adult levels)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    targets = targets or model.Targets()
    people = draw_covariates(stream(seed, 1), n, targets)
    people.insert(0, "person_id", person_ids(id_prefix, n))
    eta, group, probabilities, _ = risk_inputs(people)
    histories = model.simulate(stream(seed, 2), eta, group, probabilities, calibration(targets))
    return SyntheticPeople(people, offences_frame(people, histories))
