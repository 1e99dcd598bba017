"""Lots and their financial-standing conditions as provider masks (PRO-1, PRO-2).

See :mod:`~commissioning_analytics.lots.accessibility` for what "in scope", "eligible" and
"local" mean; the functions here compute them as numpy boolean masks over a market's providers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from commissioning_analytics.lots.market import BoolArray, MarketColumns
from commissioning_analytics.market.size import SMALL_CHARITY_INCOME


@dataclass(frozen=True)
class LotSpec:
    """A lot as the commissioner sets it up. Money is ``Decimal`` pounds."""

    name: str
    areas: tuple[str, ...]
    annual_value: Decimal
    duration_months: int
    specialisms: tuple[str, ...] = ()
    min_turnover_multiple: Decimal | None = None
    """Minimum annual turnover as a multiple of the lot's annual value."""
    min_reserves_months: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.areas:
            raise ValueError(f"lot {self.name!r} needs at least one area")
        if self.annual_value <= 0:
            raise ValueError(f"lot {self.name!r} needs a positive annual value")
        if self.duration_months <= 0:
            raise ValueError(f"lot {self.name!r} needs a positive duration")
        for condition in (self.min_turnover_multiple, self.min_reserves_months):
            if condition is not None and condition < 0:
                raise ValueError(f"lot {self.name!r} has a negative financial condition")

    @property
    def minimum_turnover(self) -> Decimal | None:
        if self.min_turnover_multiple is None:
            return None
        return self.min_turnover_multiple * self.annual_value


@dataclass(frozen=True)
class AccessibilityParams:
    """The report's documented thresholds."""

    turnover_cap_multiple: Decimal = Decimal(2)
    charity_exclusion_threshold: float = 0.5
    charity_org_types: tuple[str, ...] = ("vcs_charity",)
    small_income: Decimal = SMALL_CHARITY_INCOME
    split_value_basis: str = "population"
    """How a split divides an area lot's value: ``"population"`` (by the areas' population
    weights) or ``"equal"``. Splits by service always divide the value equally."""

    def __post_init__(self) -> None:
        if not 0 <= self.charity_exclusion_threshold < 1:
            raise ValueError("charity_exclusion_threshold must be in [0, 1)")
        if self.split_value_basis not in ("population", "equal"):
            raise ValueError("split_value_basis must be 'population' or 'equal'")


def _area_indices(market: MarketColumns, areas: Sequence[str]) -> list[int]:
    return [market.geography.index(slug) for slug in areas]


def scope_mask(
    market: MarketColumns, areas: Sequence[str], specialisms: Sequence[str]
) -> BoolArray:
    """Providers serving ``areas`` and offering any of ``specialisms`` (none: any at all)."""
    mask: BoolArray = np.any(market.reach[:, _area_indices(market, areas)], axis=1)
    if specialisms:
        columns = [market.specialism_index(s) for s in specialisms]
        mask &= market.specialisms[:, columns].any(axis=1)
    return mask


def local_mask(market: MarketColumns, areas: Sequence[str]) -> BoolArray:
    """Providers serving the lot's areas other than only through the national area (for a lot
    that includes the national area, every provider serving it)."""
    indices = _area_indices(market, areas)
    source = market.reach if market.geography.root in indices else market.local_reach
    mask: BoolArray = np.any(source[:, indices], axis=1)
    return mask


def meets_conditions(
    market: MarketColumns,
    annual_value: Decimal,
    min_turnover_multiple: Decimal | None,
    min_reserves_months: Decimal | None,
) -> BoolArray:
    """Providers meeting the financial-standing conditions for a lot of ``annual_value``."""
    mask = np.ones(len(market), dtype=bool)
    if min_turnover_multiple is not None:
        mask &= market.annual_income >= float(min_turnover_multiple * annual_value)
    if min_reserves_months is not None:
        mask &= market.reserves_months >= float(min_reserves_months)
    return mask


def small_mask(market: MarketColumns, params: AccessibilityParams) -> BoolArray:
    """Small organisations: income under ``params.small_income`` (£500,000, seed 002)."""
    return market.annual_income < float(params.small_income)
