"""Synthetic person-level data for the outcomes engine (OUT-1, OUT-2, PBR-2, EQU-2).

A deterministic comparison pool (:func:`generate_people`) whose one-year proven reoffending
resembles published England & Wales levels, demo provider cohorts with a known built-in effect
(:func:`generate_demo_cohorts`), and CSV writers in the input layout of
``commissioning outcomes measures`` (:mod:`.writers`). numpy, scipy and pandas only; the
generative model is described in :mod:`.model` and docs/outcomes-synthetic-data.md.
"""

from commissioning_analytics.outcomes_synthetic.model import Targets
from commissioning_analytics.outcomes_synthetic.people import (
    COVARIATES,
    SyntheticPeople,
    generate_people,
)

__all__ = ["COVARIATES", "SyntheticPeople", "Targets", "generate_people"]
