"""Market columns for the lot report (PRO-1) and properties of eligibility (PRO-2)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning_analytics.lots.accessibility import accessibility_report, assess_lot
from commissioning_analytics.lots.conditions import LotSpec, meets_conditions, scope_mask
from commissioning_analytics.lots.market import (
    AreaTree,
    MarketColumns,
    market_columns_from_records,
    market_columns_from_synthetic,
    membership_matrix,
)
from commissioning_analytics.market.geography import AREAS, KIND_PFA, SPECIALISMS
from commissioning_analytics.market.size import size_band
from commissioning_analytics.market.synthetic import generate_market

MARKET = market_columns_from_synthetic(generate_market(11, 0.2))
FORCE_AREAS = [a.slug for a in AREAS if a.kind == KIND_PFA]
AREA_SLUGS = [a.slug for a in AREAS]
SPECIALISM_SLUGS = [t.slug for t in SPECIALISMS]


def test_adapter_keeps_every_provider_and_their_memberships() -> None:
    market = generate_market(11, 0.2)
    columns = MARKET
    assert len(columns) == len(market.providers)
    first = market.providers[0]
    assert columns.provider_ids[0] == first.slug
    served = {columns.geography.slugs[j] for j in np.flatnonzero(columns.areas[0])}
    assert served == set(first.areas)
    offered = {columns.specialism_slugs[j] for j in np.flatnonzero(columns.specialisms[0])}
    assert offered == set(first.specialisms)
    assert columns.size_band.tolist() == [size_band(o.annual_income) for o in market.providers]
    assert columns.led_by["women_led"].tolist() == [o.women_led for o in market.providers]
    assert columns.any_led_by.sum() >= columns.led_by["bame_led"].sum()


def test_area_tree_has_the_national_root_regions_and_force_area_weights() -> None:
    tree = AreaTree.from_specs()
    root = tree.index("england-and-wales")
    assert tree.root == root
    region = tree.index("wales-probation-region")
    assert tree.parent[region] == root
    assert tree.ancestors(tree.index("gwent")) == [region, root]
    assert len(tree.leaves_under(root)) == 42
    assert tree.weight[region] == pytest.approx(0.52 + 0.60 + 0.70 + 1.33)


def test_membership_matrix_and_validation() -> None:
    matrix = membership_matrix([("a",), ("b", "a"), ()], ["a", "b"])
    assert matrix.tolist() == [[True, False], [True, True], [False, False]]
    with pytest.raises(ValueError, match="unknown slugs"):
        membership_matrix([("c",)], ["a"])
    with pytest.raises(ValueError):
        MarketColumns(
            provider_ids=np.array(["x"]),
            annual_income=np.array([1.0, 2.0]),
            reserves_months=np.array([1.0]),
            org_type=np.array(["vcs_charity"]),
            led_by={},
            areas=np.zeros((1, len(AREAS)), dtype=bool),
            specialisms=np.zeros((1, 16), dtype=bool),
            specialism_slugs=tuple(SPECIALISM_SLUGS),
            geography=AreaTree.from_specs(),
        )


def test_records_with_unknown_slugs_are_refused() -> None:
    class Record:
        slug, org_type = "x", "vcs_charity"
        annual_income, reserves_months = Decimal(1), Decimal(1)
        areas, specialisms = ("atlantis",), ()
        bame_led = women_led = lived_experience_led = user_led = False

    with pytest.raises(ValueError, match="atlantis"):
        market_columns_from_records([Record()])


money = st.decimals(min_value=1_000, max_value=5_000_000, places=0)
multiples = st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=1))
months = st.one_of(st.none(), st.decimals(min_value=0, max_value=24, places=1))


def _looser(condition: Decimal | None, by: Decimal) -> Decimal | None:
    return None if condition is None else max(Decimal(0), condition - by)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(AREA_SLUGS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(SPECIALISM_SLUGS), max_size=3, unique=True),
    money,
    multiples,
    months,
    st.decimals(min_value=0, max_value=3, places=1),
    st.booleans(),
)
def test_loosening_a_condition_never_reduces_eligibility(
    areas: list[str],
    specialisms: list[str],
    value: Decimal,
    multiple: Decimal | None,
    reserves: Decimal | None,
    by: Decimal,
    drop: bool,
) -> None:
    lot = LotSpec("Lot", tuple(areas), value, 36, tuple(specialisms), multiple, reserves)
    looser_multiple = None if drop else _looser(multiple, by)
    looser = LotSpec("Looser", lot.areas, value, 36, lot.specialisms, looser_multiple, reserves)
    looser_still = LotSpec(
        "Loosest", lot.areas, value, 36, lot.specialisms, looser_multiple, _looser(reserves, by)
    )
    counts = [assess_lot(MARKET, spec) for spec in (lot, looser, looser_still)]
    for tight, loose in itertools.pairwise(counts):
        assert tight.total.eligible <= loose.total.eligible
        assert tight.small.eligible <= loose.small.eligible
        for band, band_counts in tight.by_size_band.items():
            assert band_counts.eligible <= loose.by_size_band[band].eligible
        assert tight.total.in_scope == loose.total.in_scope
    for result in counts:
        assert result.total.eligible <= result.total.in_scope


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(FORCE_AREAS), min_size=1, max_size=4, unique=True),
    st.sampled_from(FORCE_AREAS),
    money,
    money,
)
def test_more_areas_or_a_smaller_value_never_shrink_the_market(
    areas: list[str], extra: str, value: Decimal, smaller: Decimal
) -> None:
    base = scope_mask(MARKET, areas, ())
    wider = scope_mask(MARKET, [*areas, extra], ())
    assert not (base & ~wider).any()
    low, high = sorted((value, smaller))
    strict = meets_conditions(MARKET, high, Decimal(2), None)
    relaxed = meets_conditions(MARKET, low, Decimal(2), None)
    assert not (strict & ~relaxed).any()


def test_matrices_must_match_the_vocabularies() -> None:
    columns = MARKET
    with pytest.raises(ValueError, match="areas"):
        MarketColumns(
            provider_ids=columns.provider_ids,
            annual_income=columns.annual_income,
            reserves_months=columns.reserves_months,
            org_type=columns.org_type,
            led_by=columns.led_by,
            areas=columns.areas[:, :3],
            specialisms=columns.specialisms,
            specialism_slugs=columns.specialism_slugs,
            geography=columns.geography,
        )
    with pytest.raises(ValueError, match="specialisms"):
        MarketColumns(
            provider_ids=columns.provider_ids,
            annual_income=columns.annual_income,
            reserves_months=columns.reserves_months,
            org_type=columns.org_type,
            led_by=columns.led_by,
            areas=columns.areas,
            specialisms=columns.specialisms[:, :3],
            specialism_slugs=columns.specialism_slugs,
            geography=columns.geography,
        )
    with pytest.raises(ValueError, match="national"):
        AreaTree.from_specs(AREAS[1:])


def test_report_at_national_scale_is_consistent() -> None:
    """PRO-1 on the 10x synthetic market (its speed is measured by `make bench`, not here)."""
    columns = market_columns_from_synthetic(generate_market(2026, 10.0))
    assert len(columns) == 17_200
    regions = [a.slug for a in AREAS if a.kind == "probation_region"]
    lots = [
        LotSpec(
            f"Lot {i}",
            (regions[i % len(regions)],) if i % 2 else ("england-and-wales",),
            Decimal(100_000 + 50_000 * i),
            36,
            tuple(SPECIALISM_SLUGS[i % 16 : i % 16 + 1 + i % 3]),
            Decimal(i % 4) if i % 4 else None,
            Decimal(3) if i % 2 else None,
        )
        for i in range(50)
    ]
    report = accessibility_report(columns, lots)
    assert len(report.lots) == 50
    for lot in report.lots:
        assert 0 <= lot.total.eligible <= lot.total.in_scope <= len(columns)
        assert sum(c.in_scope for c in lot.by_size_band.values()) == lot.total.in_scope
        assert sum(c.eligible for c in lot.by_size_band.values()) == lot.total.eligible


def test_an_empty_market_gives_a_report_with_no_one_eligible() -> None:
    """A directory with no providers yet: boolean led-by columns, zero counts, no crash."""
    empty = market_columns_from_records([])
    assert all(column.dtype == bool for column in empty.led_by.values())
    lot = LotSpec("Lot", (FORCE_AREAS[0],), Decimal("250000"), 36, (), Decimal("2"), None)
    report = accessibility_report(empty, [lot])
    assert (report.lots[0].total.in_scope, report.lots[0].total.eligible) == (0, 0)
