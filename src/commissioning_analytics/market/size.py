"""Size bands by annual income, as the voluntary sector reports them (NCVO Almanac bands).

Seed 002: "the overwhelming majority of the Sector has an income of less than £500,000";
the bands let the directory filter and the lot-accessibility report (PRO-1) count by size.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt


class SizeBand(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    MAJOR = "major"

    @property
    def label(self) -> str:
        return SIZE_BAND_LABELS[self]


SIZE_BAND_LABELS: dict[SizeBand, str] = {
    SizeBand.MICRO: "Micro (under £10,000)",
    SizeBand.SMALL: "Small (£10,000 to £100,000)",
    SizeBand.MEDIUM: "Medium (£100,000 to £1 million)",
    SizeBand.LARGE: "Large (£1 million to £10 million)",
    SizeBand.MAJOR: "Major (over £10 million)",
}

# Lower bound (inclusive) of every band after the first, in pounds.
_BOUNDS = (Decimal(10_000), Decimal(100_000), Decimal(1_000_000), Decimal(10_000_000))
_ORDER = (SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM, SizeBand.LARGE, SizeBand.MAJOR)

SMALL_CHARITY_INCOME = Decimal(500_000)
"""Seed 002's threshold for a small organisation."""


def size_band(annual_income: Decimal | int | float) -> SizeBand:
    income = Decimal(str(annual_income))
    if income < 0:
        raise ValueError("annual income cannot be negative")
    for bound, band in zip(_BOUNDS, _ORDER, strict=False):
        if income < bound:
            return band
    return SizeBand.MAJOR


def size_bands(incomes: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Vectorised :func:`size_band` for a whole market at once."""
    values = np.asarray(incomes, dtype=float)
    if (values < 0).any():
        raise ValueError("annual income cannot be negative")
    index = np.searchsorted(np.array([float(b) for b in _BOUNDS]), values, side="right")
    return np.array([band.value for band in _ORDER])[index]
