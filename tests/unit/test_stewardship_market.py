"""Concentration, a contract's footprint and specialist health on hand-made markets (MKT-1,
MKT-2, EQU-3): every figure below is worked by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commissioning_analytics.market.geography import POLICE_FORCE_AREAS
from commissioning_analytics.stewardship import tiles
from commissioning_analytics.stewardship.concentration import (
    Band,
    band,
    four_firm_share,
    hhi,
)
from commissioning_analytics.stewardship.market import Scope, footprint, market, specialist_health
from commissioning_analytics.stewardship.records import (
    ContractRecord,
    Flow,
    Provider,
    Source,
    contract_value_by_year,
    flows_with_contract_values,
)

D = Decimal


def test_hhi_and_four_firm_share_of_a_small_market() -> None:
    # Shares 40%, 30%, 15%, 10%, 5%: HHI = 1600 + 900 + 225 + 100 + 25 = 2850.
    amounts = [D(400), D(300), D(150), D(100), D(50)]
    assert hhi(amounts) == D("2850.0")
    # The four largest have 950 of 1000.
    assert four_firm_share(amounts) == D("0.9500")
    assert band(hhi(amounts)) is Band.HIGH


def test_bands_follow_the_competition_authority_thresholds() -> None:
    # Ten equal providers: 10 × 10² = 1000, the first moderately concentrated value.
    assert hhi([D(1)] * 10) == D("1000.0")
    assert band(D("999.9")) is Band.UNCONCENTRATED
    assert band(D(1000)) is Band.MODERATE
    assert band(D(2000)) is Band.MODERATE
    assert band(D("2000.1")) is Band.HIGH
    assert hhi([]) is None and band(None) is Band.NONE
    # One provider holds the whole market.
    assert hhi([D(5), D(0)]) == D("10000.0")


def test_contract_value_counts_the_days_run_in_each_year() -> None:
    contract = ContractRecord(1, "C1", 9, date(2024, 7, 1), date(2026, 6, 30), D(36600))
    years = contract_value_by_year(contract, until=date(2025, 12, 31))
    # 2024 is a leap year: 184 of 366 days → 18,400; 2025 whole → 36,600.
    assert years == {2024: D("18400.00"), 2025: D("36600.00")}


def _provider(pid: int, area: int, **flags: object) -> Provider:
    return Provider(
        id=pid,
        name=f"P{pid}",
        slug=f"p{pid}",
        size_band="small",
        annual_income=D(flags.pop("income", 100_000)),  # type: ignore[arg-type]
        reserves_months=D(flags.pop("reserves", 3)),  # type: ignore[arg-type]
        area_ids=frozenset({area}),
        **flags,  # type: ignore[arg-type]
    )


def test_market_money_concentration_and_contract_values() -> None:
    providers = [_provider(1, 10), _provider(2, 10), _provider(3, 20)]
    contracts = [
        ContractRecord(100, "A", 1, date(2023, 1, 1), date(2025, 12, 31), D(1000), frozenset({10})),
        ContractRecord(200, "B", 2, date(2024, 1, 1), date(2024, 12, 31), D(500), frozenset({10})),
        ContractRecord(300, "C", 3, date(2024, 1, 1), date(2024, 12, 31), D(900), frozenset({20})),
    ]
    paid = [Flow(1, 100, 2024, D(300), Source.PAID), Flow(2, 100, 2024, D(100), Source.PAID)]
    flows = flows_with_contract_values(paid, contracts, until=date(2024, 12, 31))
    found = market(Scope(area_ids=frozenset({10})), providers, contracts, flows)
    assert {p.id for p in found.providers} == {1, 2}
    (year,) = found.years
    # 2024: provider 1 has 300; provider 2 has 100 paid + 500 contract value of B = 600.
    # Shares 1/3 and 2/3: HHI = 1111.1 + 4444.4 = 5555.6.
    assert year.total == D(900)
    assert year.hhi == D("5555.6")
    assert year.sources == {Source.PAID, Source.CONTRACT_VALUE}
    assert found.money[2] == {2024: D(600)}


def test_footprint_before_and_after_a_large_contract() -> None:
    # Area 10's local market: three local providers (one women-led), and a prime.
    providers = [
        _provider(1, 10),
        _provider(2, 10, women_led=True),
        _provider(3, 10),
        _provider(9, 1, is_prime=True),
    ]
    big = ContractRecord(1, "BIG", 9, date(2024, 4, 1), date(2026, 3, 31), D(1000), frozenset({10}))
    grants = ContractRecord(
        2, "OLD", 1, date(2022, 1, 1), date(2025, 12, 31), D(0), frozenset({10})
    )
    flows = [
        # 2023, before: 1, 2 and 3 are funded, 600 in all, all of it local.
        Flow(1, 2, 2023, D(200), Source.PAID),
        Flow(2, 2, 2023, D(300), Source.PAID),
        Flow(3, 2, 2023, D(100), Source.PAID),
        # 2024: the prime takes 900, passes 100 to provider 2 (women-led).
        Flow(9, 1, 2024, D(900), Source.PAID),
        Flow(2, 1, 2024, D(100), Source.PAID),
    ]
    rows = footprint(big, frozenset({10}), providers, [big, grants], flows, last_year=2024)
    before, after = rows
    assert (before.year, before.is_before) == (2023, True)
    assert (before.local_providers_funded, before.total, before.to_local) == (3, D(600), D(600))
    assert before.local_share == D(1) and before.specialists_funded == 1
    assert (after.local_providers_funded, after.total, after.to_local) == (1, D(1000), D(100))
    assert after.local_share == D("0.1000") and after.specialists_funded == 1


def test_specialist_health_by_group() -> None:
    providers = [
        _provider(
            1, 10, bame_led=True, income=50_000, reserves=1, stopped_operating_on=date(2024, 5, 1)
        ),
        _provider(2, 10, bame_led=True, women_led=True, income=150_000, reserves=2),
        _provider(3, 10, income=1_000_000, reserves=6),
        _provider(4, 10, income=3_000_000, reserves=4),
    ]
    flows = [
        Flow(1, 1, 2024, D(100), Source.PAID),
        Flow(2, 1, 2024, D(100), Source.PAID),
        Flow(3, 1, 2024, D(800), Source.PAID),
    ]
    years, groups = specialist_health(providers, flows)
    by_key = {g.key: g for g in groups}
    assert years == [2024]
    bame = by_key["bame_led"]
    assert (bame.count, bame.median_income, bame.median_reserves_months) == (
        2,
        D(100_000),
        D("1.5"),
    )
    assert (bame.stopped, bame.stopped_share) == (1, D("0.5000"))
    assert bame.money_share_by_year == {2024: D("0.2000")}
    assert by_key["women_led"].money_share_by_year == {2024: D("0.1000")}
    others = by_key["others"]
    assert (others.count, others.median_income, others.stopped) == (2, D(2_000_000), 0)
    assert others.money_share_by_year == {2024: D("0.8000")}


def test_tile_map_has_one_tile_per_police_force_area() -> None:
    assert set(tiles.LAYOUT) == {area.name for area in POLICE_FORCE_AREAS}
    places = [(col, row) for col, row, _ in tiles.LAYOUT.values()]
    assert len(places) == len(set(places)) == 42
    legend = tiles.steps([D(0), D(10), None])
    assert tiles.step_for(D(0), legend) == tiles.SHADES[0]
    assert tiles.step_for(D(10), legend) == tiles.SHADES[-1]
    assert tiles.step_for(None, legend) == tiles.NO_DATA
