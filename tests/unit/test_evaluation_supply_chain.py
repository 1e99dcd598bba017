"""Supply-chain diversity evidence (EVA-3, PRO-7) and the bid-time bid-candy flag (SUP-2), on a
four-sub-contractor example counted by hand."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from commissioning_analytics.evaluation.supply_chain import (
    ProposedSubContractor,
    SubContractorProfile,
    SupplyChainError,
    SupplyChainParams,
    profile_from_market,
    supply_chain_evidence,
)
from commissioning_analytics.lots.conditions import LotSpec
from commissioning_analytics.lots.market import market_columns_from_records
from commissioning_analytics.market.size import SizeBand

LOT = LotSpec("Gwent women's services", ("gwent",), Decimal(1_000_000), 36)
COHORTS = ("women",)


def sub(
    name: str,
    income: int,
    referrals: int,
    value: int,
    areas: tuple[str, ...] = (),
    cohorts: tuple[str, ...] = (),
    consent: bool = True,
    **led: bool,
) -> ProposedSubContractor:
    profile = SubContractorProfile(name, Decimal(income), areas, (), cohorts, **led)
    return ProposedSubContractor(profile, "delivery", referrals, Decimal(value), consent)


# A: small, specialist, women- and lived-experience-led, in Gwent (local).
# B: large, BAME-led, serves the Wales region (local: the region contains Gwent).
# C: small, young adults only (not specialist for women), user-led, national only (not local).
# D: micro, specialist, women-, user- and lived-experience-led, Dyfed-Powys (not local);
#    0 referrals and £10,000 (1% of £1m): bid candy.
CHAIN = [
    sub("A", 200_000, 100, 200_000, ("gwent",), COHORTS, women_led=True,
        lived_experience_led=True),
    sub("B", 3_000_000, 50, 100_000, ("wales-probation-region",), bame_led=True),
    sub("C", 450_000, 40, 80_000, ("england-and-wales",), ("young-adults",), user_led=True),
    sub("D", 50_000, 0, 10_000, ("dyfed-powys",), COHORTS, women_led=True, user_led=True,
        lived_experience_led=True),
]  # fmt: skip


def test_shares_by_head_and_by_value_counted_by_hand() -> None:
    evidence = supply_chain_evidence(LOT, CHAIN, cohorts=COHORTS)
    assert evidence.subcontracted_value == Decimal(390_000)
    # (group, count, head share, value, value share = value ÷ £390,000 to 4 dp)
    expected = {
        "small": (3, "0.75", 290_000, "0.7436"),
        "specialist": (2, "0.5", 210_000, "0.5385"),
        "user_led": (2, "0.5", 90_000, "0.2308"),
        "lived_experience_led": (2, "0.5", 210_000, "0.5385"),
        "women_led": (2, "0.5", 210_000, "0.5385"),
        "bame_led": (1, "0.25", 100_000, "0.2564"),
        "local": (2, "0.5", 300_000, "0.7692"),
    }
    got = {g.group: (g.count, g.head_share, g.value, g.value_share) for g in evidence.groups}
    assert got == {
        k: (n, Decimal(h), Decimal(v), Decimal(s)) for k, (n, h, v, s) in expected.items()
    }
    assert [row[0] for row in evidence.rows()][:2] == [
        "Small (income under £500,000)",
        "Specialist (works with the lot's cohorts)",
    ]


def test_hhi_and_prime_retained_share_by_hand() -> None:
    evidence = supply_chain_evidence(LOT, CHAIN, cohorts=COHORTS)
    # Prime keeps £610,000: shares 0.61, 0.20, 0.10, 0.08, 0.01 of £1m.
    assert evidence.prime_retained_value == Decimal(610_000)
    assert evidence.prime_retained_share == Decimal("0.61")
    # HHI = 61² + 20² + 10² + 8² + 1² = 3721 + 400 + 100 + 64 + 1
    assert evidence.hhi == Decimal("4286.00")


def test_contract_value_from_the_bid_changes_concentration() -> None:
    evidence = supply_chain_evidence(LOT, CHAIN, Decimal(500_000), cohorts=COHORTS)
    # Prime keeps £110,000 of £500,000: 22² + 40² + 20² + 16² + 2² = 484+1600+400+256+4
    assert evidence.prime_retained_share == Decimal("0.22")
    assert evidence.hhi == Decimal("2744.00")
    # D's £10,000 is exactly 2% of £500,000: only its 0 referrals flag it now.
    (flag,) = evidence.candy_flags
    assert flag.reasons == ("0 referrals a year promised (fewer than 10)",)


def test_bid_candy_fires_on_token_promises_only() -> None:
    evidence = supply_chain_evidence(LOT, CHAIN, cohorts=COHORTS)
    (flag,) = evidence.candy_flags
    assert flag.name == "D"
    assert flag.reasons == (
        "0 referrals a year promised (fewer than 10)",
        "£10,000 a year promised (under 2.0% of the contract, £20,000.00)",
    )
    assert evidence.candy_risk == "some"  # 1 of 4 is under a third


def test_bid_candy_boundaries_and_high_risk() -> None:
    at_edge = sub("Edge", 100_000, 10, 20_000)  # exactly 10 referrals and exactly 2%
    token = sub("Token", 100_000, 9, 500_000)
    evidence = supply_chain_evidence(LOT, [at_edge, token, CHAIN[0]])
    assert [f.name for f in evidence.candy_flags] == ["Token"]
    assert evidence.candy_risk == "high"  # 1 of 3 is a third
    relaxed = SupplyChainParams(min_referrals=5, token_value_share=Decimal("0.01"))
    assert supply_chain_evidence(LOT, [at_edge, token], params=relaxed).candy_risk == "none"


def test_summary_reads_as_plain_english() -> None:
    chain = [*CHAIN[:3], sub("D", 50_000, 0, 10_000, consent=False)]
    text = supply_chain_evidence(LOT, chain, cohorts=COHORTS).summary()
    assert text.splitlines()[:2] == [
        "Proposed supply chain for Gwent women's services: 4 named sub-contractors.",
        "They are promised £390,000 a year; the prime keeps £610,000 (61.0%) of £1,000,000.",
    ]
    assert "Small (income under £500,000): 3 of 4 (75.0% by head), £290,000 (74.4% of" in text
    assert "Concentration of value (HHI, 0–10,000): 4286.00." in text
    assert "Bid candy risk: some — 1 of 4 named with token promises:" in text
    assert text.endswith("Named without confirmed consent: D.")


def test_empty_chain_means_the_prime_keeps_everything() -> None:
    evidence = supply_chain_evidence(LOT, [])
    assert evidence.hhi == Decimal("10000.00")
    assert evidence.prime_retained_share == Decimal(1)
    assert all(g.count == 0 and g.value_share == 0 for g in evidence.groups)
    assert "No sub-contractors are named" in evidence.summary()


def test_without_lot_cohorts_any_cohort_work_counts_as_specialist() -> None:
    evidence = supply_chain_evidence(LOT, CHAIN)
    assert evidence.group("specialist").count == 3  # A, C and D work with a cohort


def test_refusals() -> None:
    with pytest.raises(SupplyChainError, match="named once: A"):
        supply_chain_evidence(LOT, [CHAIN[0], CHAIN[0]])
    with pytest.raises(SupplyChainError, match=r"promised £390,000 a year, more than .*£300,000"):
        supply_chain_evidence(LOT, CHAIN, Decimal(300_000))
    with pytest.raises(SupplyChainError, match="A: promised referrals cannot be negative"):
        sub("A", 1, -1, 0)
    with pytest.raises(SupplyChainError, match="No evidence group 'rural'"):
        supply_chain_evidence(LOT, CHAIN).group("rural")


@dataclass(frozen=True)
class Record:
    slug: str
    annual_income: Decimal
    areas: tuple[str, ...]
    specialisms: tuple[str, ...]
    org_type: str = "vcs_charity"
    reserves_months: Decimal = Decimal(3)
    bame_led: bool = False
    women_led: bool = False
    lived_experience_led: bool = False
    user_led: bool = False


def test_profile_from_market_columns() -> None:
    market = market_columns_from_records(
        [
            Record("big", Decimal(20_000_000), ("england-and-wales",), ()),
            Record("womens-centre", Decimal(120_000), ("gwent",), ("accommodation",),
                   women_led=True),
        ]
    )  # fmt: skip
    profile = profile_from_market(market, 1, cohorts=COHORTS)
    assert profile.name == "womens-centre"
    assert profile.annual_income == Decimal(120_000)
    assert profile.size_band is SizeBand.MEDIUM
    assert profile.areas == ("gwent",)
    assert profile.specialisms == ("accommodation",)
    assert (profile.women_led, profile.user_led, profile.cohorts) == (True, False, COHORTS)
    with pytest.raises(SupplyChainError, match="No provider at index 2"):
        profile_from_market(market, 2)


def test_summary_without_bid_candy_and_parameter_checks() -> None:
    text = supply_chain_evidence(LOT, CHAIN[:3]).summary()
    assert "Bid candy risk: none — every sub-contractor has real promises." in text
    assert "Named without confirmed consent" not in text
    with pytest.raises(SupplyChainError, match="contract's annual value must be positive"):
        supply_chain_evidence(LOT, CHAIN, Decimal(0))
    with pytest.raises(SupplyChainError, match="A: promised value cannot be negative"):
        sub("A", 1, 0, -1)
    with pytest.raises(SupplyChainError, match="token_value_share"):
        SupplyChainParams(token_value_share=Decimal(1))
    with pytest.raises(SupplyChainError, match="min_referrals"):
        SupplyChainParams(min_referrals=-1)
    with pytest.raises(SupplyChainError, match="high_risk_share"):
        SupplyChainParams(high_risk_share=Decimal(0))
