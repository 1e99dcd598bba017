"""Area-level covariates for the synthetic comparison pool (OUT-2).

Each of the 42 police force areas gets a **deprivation index** (0–100, higher is more deprived,
on the scale of an average IMD-style score) and an **employment rate** (% of people aged 16–64
in work). Both are synthetic but stable: they depend only on the area's slug (through a hash)
and a regional baseline, never on a seed, so the same area always has the same values in every
pool and cohort. They are not official statistics.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.market.geography import POLICE_FORCE_AREAS, region_slug

# Regional baselines (deprivation index, employment rate %): rough public patterns only —
# the North East, North West, Wales and the West Midlands more deprived, the South less.
_REGION_BASE: dict[str, tuple[float, float]] = {
    region_slug("North East"): (32.0, 70.0),
    region_slug("Yorkshire and the Humber"): (27.0, 72.5),
    region_slug("North West"): (28.0, 72.5),
    region_slug("Greater Manchester"): (30.0, 72.0),
    region_slug("East Midlands"): (22.0, 75.0),
    region_slug("West Midlands"): (26.0, 72.5),
    region_slug("East of England"): (17.0, 77.0),
    region_slug("London"): (25.0, 74.5),
    region_slug("Kent, Surrey and Sussex"): (17.0, 77.5),
    region_slug("South Central"): (15.0, 78.0),
    region_slug("South West"): (18.0, 77.0),
    region_slug("Wales"): (25.0, 72.0),
}


@dataclass(frozen=True)
class AreaIndices:
    """The police force areas in geography order, with their weights and indices."""

    slugs: tuple[str, ...]
    weights: NDArray[np.float64]
    deprivation: NDArray[np.float64]
    employment: NDArray[np.float64]


def _unit(slug: str, salt: str) -> float:
    """A number in [0, 1) fixed by the slug (and salt)."""
    digest = hashlib.sha256(f"{salt}:{slug}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def area_indices() -> AreaIndices:
    """Deprivation and employment for each police force area (deterministic)."""
    slugs, weights, deprivation, employment = [], [], [], []
    for area in POLICE_FORCE_AREAS:
        base_dep, base_emp = _REGION_BASE[area.parent or ""]
        dep = base_dep + 8.0 * (_unit(area.slug, "deprivation") - 0.5)
        emp = base_emp - 0.15 * (dep - base_dep) + 3.0 * (_unit(area.slug, "employment") - 0.5)
        slugs.append(area.slug)
        weights.append(area.weight)
        deprivation.append(round(dep, 1))
        employment.append(round(emp, 1))
    w = np.asarray(weights, dtype=np.float64)
    return AreaIndices(
        tuple(slugs),
        w / w.sum(),
        np.asarray(deprivation, dtype=np.float64),
        np.asarray(employment, dtype=np.float64),
    )
