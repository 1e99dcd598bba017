"""Lot-split suggestions: which splits would bring more small organisations into reach (PRO-1,
PRO-2; seed 004 R7: "this may include changing the way contract lots are divided").

Candidate splits of a lot:

* ``by-police-force-area``: a sub-lot per police force area the lot covers;
* ``by-probation-region``: a sub-lot per probation region the lot covers (a region's sub-lot
  takes the whole region where the lot does, else the lot's force areas within it);
* ``by-service``: a sub-lot per specialism, each over the lot's areas.

Each sub-lot keeps the lot's conditions (the same turnover multiple and months of reserves) and
duration, and takes a share of the annual value: by population weight
(:mod:`~commissioning_analytics.market.geography`) or equally for area splits, as
``AccessibilityParams.split_value_basis`` says, and equally for service splits. Shares are
rounded to the penny so that they add up to the lot's value exactly.

A provider is *in reach* after a split when it is eligible for at least one sub-lot. Suggestions
are the splits that increase the eligible small (income under £500,000) or specialist-led
(any led-by group) providers, ranked by the gain in small providers, then specialist-led ones,
then fewer sub-lots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from commissioning_analytics.lots.conditions import (
    AccessibilityParams,
    LotSpec,
    meets_conditions,
    scope_mask,
    small_mask,
)
from commissioning_analytics.lots.market import BoolArray, MarketColumns

BY_FORCE_AREA = "by-police-force-area"
BY_REGION = "by-probation-region"
BY_SERVICE = "by-service"
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class SubLot:
    name: str
    areas: tuple[str, ...]
    specialisms: tuple[str, ...]
    annual_value: Decimal


@dataclass(frozen=True)
class SplitSuggestion:
    """A candidate split and what it does to eligibility."""

    kind: str
    sub_lots: tuple[SubLot, ...]
    eligible_before: int
    eligible_after: int
    small_before: int
    small_after: int
    specialist_led_before: int
    specialist_led_after: int

    @property
    def small_gain(self) -> int:
        return self.small_after - self.small_before

    @property
    def specialist_led_gain(self) -> int:
        return self.specialist_led_after - self.specialist_led_before

    def describe(self) -> str:
        return (
            f"split {self.kind.replace('-', ' ')} into {len(self.sub_lots)} lots: eligible small "
            f"providers {self.small_before} → {self.small_after}, specialist-led "
            f"{self.specialist_led_before} → {self.specialist_led_after}, all "
            f"{self.eligible_before} → {self.eligible_after}"
        )


def divide_value(total: Decimal, weights: Sequence[float]) -> tuple[Decimal, ...]:
    """``total`` in shares proportional to ``weights``, in pence, adding up to ``total`` exactly.

    >>> divide_value(Decimal("100"), [1, 1, 1])
    (Decimal('33.33'), Decimal('33.34'), Decimal('33.33'))
    """
    exact = [Decimal(repr(float(w))) for w in weights]
    whole = sum(exact, Decimal(0))
    if not exact or whole <= 0 or min(exact) < 0:
        raise ValueError("weights must be non-negative and add up to more than zero")
    shares: list[Decimal] = []
    running, allocated = Decimal(0), Decimal(0)
    for weight in exact:
        running += weight
        upto = (total * running / whole).quantize(PENNY, rounding=ROUND_HALF_UP)
        shares.append(upto - allocated)
        allocated = upto
    return tuple(shares)


def _area_splits(
    market: MarketColumns, lot: LotSpec, params: AccessibilityParams
) -> list[tuple[str, tuple[SubLot, ...]]]:
    tree = market.geography
    leaves = sorted({j for slug in lot.areas for j in tree.leaves_under(tree.index(slug))})
    if len(leaves) < 2:
        return []
    equal = params.split_value_basis == "equal"

    def weight(indices: Sequence[int]) -> float:
        return float(len(indices)) if equal else float(tree.weight[list(indices)].sum())

    groups: list[tuple[str, tuple[str, ...], list[int]]] = [
        (tree.names[j], (tree.slugs[j],), [j]) for j in leaves
    ]
    out = [(BY_FORCE_AREA, groups)]
    regions = sorted({int(tree.parent[j]) for j in leaves})
    if len(regions) >= 2:
        region_groups = []
        for region in regions:
            inside = [j for j in leaves if tree.parent[j] == region]
            whole = inside == tree.leaves_under(region)
            slugs = (tree.slugs[region],) if whole else tuple(tree.slugs[j] for j in inside)
            region_groups.append((tree.names[region], slugs, inside))
        out.append((BY_REGION, region_groups))
    result = []
    for kind, chosen in out:
        values = divide_value(lot.annual_value, [weight(idx) for _, _, idx in chosen])
        subs = tuple(
            SubLot(f"{lot.name} – {name}", slugs, lot.specialisms, value)
            for (name, slugs, _), value in zip(chosen, values, strict=True)
        )
        result.append((kind, subs))
    return result


def candidate_splits(
    market: MarketColumns, lot: LotSpec, params: AccessibilityParams
) -> list[tuple[str, tuple[SubLot, ...]]]:
    """Every candidate split of ``lot`` (see the module docstring)."""
    candidates = _area_splits(market, lot, params)
    if len(lot.specialisms) >= 2:
        values = divide_value(lot.annual_value, [1.0] * len(lot.specialisms))
        subs = tuple(
            SubLot(f"{lot.name} – {slug}", lot.areas, (slug,), value)
            for slug, value in zip(lot.specialisms, values, strict=True)
        )
        candidates.append((BY_SERVICE, subs))
    return candidates


def eligible_mask(
    market: MarketColumns,
    lot: LotSpec,
    areas: Sequence[str],
    specialisms: Sequence[str],
    annual_value: Decimal,
) -> BoolArray:
    """Providers in scope for ``areas``/``specialisms`` meeting ``lot``'s conditions at
    ``annual_value``."""
    return scope_mask(market, areas, specialisms) & meets_conditions(
        market, annual_value, lot.min_turnover_multiple, lot.min_reserves_months
    )


def evaluate_split(
    market: MarketColumns,
    lot: LotSpec,
    kind: str,
    sub_lots: Sequence[SubLot],
    params: AccessibilityParams,
) -> SplitSuggestion:
    before = eligible_mask(market, lot, lot.areas, lot.specialisms, lot.annual_value)
    after = np.zeros(len(market), dtype=bool)
    for sub in sub_lots:
        after |= eligible_mask(market, lot, sub.areas, sub.specialisms, sub.annual_value)
    small, led = small_mask(market, params), market.any_led_by
    return SplitSuggestion(
        kind=kind,
        sub_lots=tuple(sub_lots),
        eligible_before=int(before.sum()),
        eligible_after=int(after.sum()),
        small_before=int((before & small).sum()),
        small_after=int((after & small).sum()),
        specialist_led_before=int((before & led).sum()),
        specialist_led_after=int((after & led).sum()),
    )


def suggest_splits(
    market: MarketColumns, lot: LotSpec, params: AccessibilityParams | None = None
) -> tuple[SplitSuggestion, ...]:
    """The splits that bring more small or specialist-led providers into reach, best first."""
    params = params or AccessibilityParams()
    evaluated = [
        evaluate_split(market, lot, kind, subs, params)
        for kind, subs in candidate_splits(market, lot, params)
    ]
    useful = [s for s in evaluated if s.small_gain > 0 or s.specialist_led_gain > 0]
    useful.sort(key=lambda s: (-s.small_gain, -s.specialist_led_gain, len(s.sub_lots)))
    return tuple(useful)
