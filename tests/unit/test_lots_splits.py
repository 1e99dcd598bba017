"""Lot-split suggestions (PRO-1, PRO-2; seed 004 R7) on the hand-counted market of
``test_lots_accessibility``.

Split by police force area, by population (Northumbria 1.48, Durham 0.66, Cleveland 0.57; 2.71
in all), the £300,000 becomes £163,837.64, £73,062.73 and £63,099.63; at 3× turnover Durham's
threshold is £219,188.19, which durham-mentors (£250k, 12 months' reserves) meets. Split equally,
each sub-lot is £100,000 (threshold £300,000): northumbria-mentors (£400k) gets in instead.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning_analytics.lots.conditions import AccessibilityParams, LotSpec
from commissioning_analytics.lots.market import MarketColumns, market_columns_from_records
from commissioning_analytics.lots.splits import (
    BY_FORCE_AREA,
    BY_REGION,
    BY_SERVICE,
    candidate_splits,
    divide_value,
    suggest_splits,
)
from tests.unit.test_lots_accessibility import HAND_MARKET, LOT, NE


@pytest.fixture(scope="module")
def market() -> MarketColumns:
    return market_columns_from_records(HAND_MARKET)


def test_split_by_force_area_brings_a_small_provider_into_reach(market: MarketColumns) -> None:
    suggestions = suggest_splits(market, LOT)
    assert [s.kind for s in suggestions] == [BY_FORCE_AREA]
    best = suggestions[0]
    assert [sub.annual_value for sub in best.sub_lots] == [
        Decimal("163837.64"),
        Decimal("73062.73"),
        Decimal("63099.63"),
    ]
    assert [sub.areas for sub in best.sub_lots] == [("northumbria",), ("durham",), ("cleveland",)]
    assert (best.small_before, best.small_after) == (0, 1)
    assert (best.specialist_led_before, best.specialist_led_after) == (0, 1)
    assert (best.eligible_before, best.eligible_after) == (2, 3)
    assert "eligible small providers 0 → 1" in best.describe()


def test_equal_value_split_reaches_a_different_provider(market: MarketColumns) -> None:
    equal = AccessibilityParams(split_value_basis="equal")
    best = suggest_splits(market, LOT, equal)[0]
    assert [sub.annual_value for sub in best.sub_lots] == [
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("100000.00"),
    ]
    # northumbria-mentors is small but not led by any group.
    assert (best.small_after, best.specialist_led_after) == (1, 0)


def test_candidates_by_region_and_by_service() -> None:
    market = market_columns_from_records(HAND_MARKET)
    lot = LotSpec(
        "Two regions, two services",
        (NE, "london"),
        Decimal(1_000_000),
        36,
        ("mentoring", "accommodation"),
        Decimal(1),
    )
    kinds = dict(candidate_splits(market, lot, AccessibilityParams()))
    assert set(kinds) == {BY_FORCE_AREA, BY_REGION, BY_SERVICE}
    assert [s.areas for s in kinds[BY_REGION]] == [(NE,), ("london-probation-region",)]
    assert [s.specialisms for s in kinds[BY_SERVICE]] == [("mentoring",), ("accommodation",)]
    assert sum(s.annual_value for s in kinds[BY_SERVICE]) == Decimal(1_000_000)
    assert len(kinds[BY_FORCE_AREA]) == 4


def test_a_single_force_area_lot_has_no_area_split(market: MarketColumns) -> None:
    lot = LotSpec("Durham", ("durham",), Decimal(500_000), 24, ("mentoring",), Decimal(3))
    assert candidate_splits(market, lot, AccessibilityParams()) == []
    assert suggest_splits(market, lot) == ()


def test_divide_value_adds_up_exactly() -> None:
    shares = divide_value(Decimal("1000000"), [1.48, 0.66, 0.57, 0.1])
    assert sum(shares) == Decimal("1000000")
    assert divide_value(Decimal("100"), [1, 1, 1]) == (
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    )
    with pytest.raises(ValueError):
        divide_value(Decimal(1), [0, 0])
