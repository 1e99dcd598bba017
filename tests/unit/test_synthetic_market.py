"""The synthetic market generator (MKT-1, CYC-1): deterministic, sized like the sector that the
seeds describe (000: over 1,700 VCS organisations; 002: most under £500k, ~14 months' reserves)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

import numpy as np
import pytest

from commissioning.exercises.lifecycle import TRANSITIONS, Stage, is_backward
from commissioning_analytics.market.geography import (
    AREAS_BY_SLUG,
    COHORTS_BY_SLUG,
    KIND_PFA,
    KIND_REGION,
    SPECIALISMS_BY_SLUG,
    forces_in_region,
)
from commissioning_analytics.market.size import size_band
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.market.synthetic_stats import format_summary, market_summary
from commissioning_analytics.market.synthetic_types import STAGES, TIERS, SyntheticMarket

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def market() -> SyntheticMarket:
    return generate_market(2026, 1.0)


@pytest.fixture(scope="module")
def big_market() -> SyntheticMarket:
    return generate_market(2026, 10.0)


def test_same_seed_gives_the_same_market_and_another_seed_a_different_one() -> None:
    first, again = generate_market(7, 0.2), generate_market(7, 0.2)
    assert first == again
    assert np.array_equal(first.columns.annual_income, again.columns.annual_income)
    other = generate_market(8, 0.2)
    assert [o.name for o in other.providers] != [o.name for o in first.providers]
    assert not np.array_equal(other.columns.annual_income, first.columns.annual_income)


def test_scale_one_has_about_1700_vcs_organisations_and_20_primes(market: SyntheticMarket) -> None:
    assert len(market.vcs_providers) == 1700
    assert len(market.primes) == 20
    assert all(o.org_type != "public_sector" for o in market.providers)
    types = Counter(o.org_type for o in market.vcs_providers)
    assert types["vcs_charity"] > types["social_enterprise"] > types["private"] > 0


def test_commissioning_bodies_of_every_tier(market: SyntheticMarket) -> None:
    bodies = market.commissioning_bodies
    by_tier = Counter(b.commissioning_tier for b in bodies)
    assert by_tier["national"] == 2
    assert by_tier["sub_national"] == 12
    pccs = [b for b in bodies if b.public_body_kind == "pcc"]
    assert len(pccs) == 42
    assert {b.areas[0] for b in pccs} == {s for s, a in AREAS_BY_SLUG.items() if a.kind == KIND_PFA}
    governors = [b for b in bodies if b.public_body_kind == "prison"]
    assert governors and all(b.name.startswith("Governor, HMP ") for b in governors)
    assert by_tier["local"] == 42 + len(governors)
    names = {b.name for b in bodies}
    assert {"Ministry of Justice", "HM Prison and Probation Service"} <= names
    assert "Probation Service \u2013 North East" in names
    assert "Police and Crime Commissioner for Northumbria" in names


def test_joint_commissioning_partners_are_health_police_and_local_authorities(
    market: SyntheticMarket,
) -> None:
    kinds = Counter(p.public_body_kind for p in market.partners)
    assert set(kinds) == {"health", "police", "local_authority"}
    assert all(p.org_type == "public_sector" and not p.commissioning_tier for p in market.partners)


@pytest.mark.parametrize("seed", [1, 2026, 99])
def test_most_vcs_organisations_are_small_with_about_14_months_reserves(seed: int) -> None:
    summary = market_summary(generate_market(seed, 1.0))
    assert 0.75 <= summary.share_under_500k <= 0.85
    assert 12.5 <= summary.mean_reserves_months <= 15.5


def test_reserves_have_the_sectors_shape_small_charities_hold_far_less(
    big_market: SyntheticMarket,
) -> None:
    """Seed 002 (issue 11 item 14): the average organisation holds about 14 months of free
    reserves but many small ones far less; no small charity holds 58.8 months, and no prime
    holds 38.6 months (£238m) of free cash."""
    vcs = big_market.vcs_providers
    income = np.array([float(o.annual_income) for o in vcs])
    months = np.array([float(o.reserves_months) for o in vcs])
    assert 12.5 <= months.mean() <= 15.5
    micro, large = income < 100_000, income >= 500_000
    assert np.median(months[micro]) < 8 < 14 < np.median(months[large])
    assert (months[micro] < 3).mean() > 0.15
    assert months[income < 500_000].max() <= 24
    primes = big_market.primes
    assert np.mean([float(p.reserves_months) for p in primes]) < 5
    assert max(float(p.reserves_months) for p in primes) <= 12


def test_incomes_have_a_long_tail_and_primes_are_large(market: SyntheticMarket) -> None:
    vcs = np.array([int(o.annual_income) for o in market.vcs_providers])
    assert vcs.min() >= 500
    assert 1_000_000 < vcs.max() < 20_000_000  # a long tail up to several £m
    assert (vcs >= 1_000_000).sum() > 50
    primes = [o.annual_income for o in market.primes]
    assert all(Decimal(10_000_000) <= i <= Decimal(500_000_000) for i in primes)
    assert all(o.is_prime for o in market.primes)


def test_every_provider_has_areas_specialisms_and_cohorts(market: SyntheticMarket) -> None:
    for org in market.vcs_providers:
        assert 1 <= len(org.areas) <= 3
        assert 1 <= len(org.specialisms) <= 4
        assert 1 <= len(org.cohorts) <= 3
        assert len(set(org.areas)) == len(org.areas)
        assert len(set(org.specialisms)) == len(org.specialisms)
        assert all(a in AREAS_BY_SLUG for a in org.areas)
        assert all(s in SPECIALISMS_BY_SLUG for s in org.specialisms)
        assert all(c in COHORTS_BY_SLUG for c in org.cohorts)
    for org in market.primes:
        assert org.areas and org.specialisms and org.cohorts


def test_areas_are_mostly_within_one_probation_region(market: SyntheticMarket) -> None:
    def region(slug: str) -> str:
        area = AREAS_BY_SLUG[slug]
        return slug if area.kind == KIND_REGION else (area.parent or slug)

    multi = [o for o in market.vcs_providers if len(o.areas) > 1]
    one_region = [o for o in multi if len({region(a) for a in o.areas}) == 1]
    assert len(one_region) / len(multi) > 0.75
    national = [o for o in market.vcs_providers if o.areas == ("england-and-wales",)]
    assert 0.01 < len(national) / len(market.vcs_providers) < 0.1


def test_names_slugs_and_contacts_are_unique_and_plainly_invented(market: SyntheticMarket) -> None:
    orgs = market.organisations
    assert len({o.name for o in orgs}) == len(orgs)
    assert len({o.slug for o in orgs}) == len(orgs)
    assert all(SLUG.match(o.slug) and len(o.slug) <= 220 for o in orgs)
    assert all(o.contact_email.endswith(".example") for o in orgs)
    assert all(o.contact_phone.startswith("01632 960") for o in orgs)
    assert all(o.is_synthetic and "Synthetic demo record" in o.description for o in orgs)
    charities = [o for o in market.providers if o.org_type == "vcs_charity"]
    assert all(re.fullmatch(r"SYN\d{7}", o.charity_number) for o in charities)


def test_led_by_flags_in_plausible_shares_and_correlated_with_cohorts(
    market: SyntheticMarket,
) -> None:
    summary = market_summary(market)
    targets = {"bame_led": 0.08, "women_led": 0.15, "lived_experience_led": 0.12, "user_led": 0.06}
    for field, target in targets.items():
        assert abs(summary.led_by_shares[field] - target) < 0.03, field

    def rate(flag: str, cohort: str, present: bool) -> float:
        group = [o for o in market.vcs_providers if (cohort in o.cohorts) == present]
        return sum(getattr(o, flag) for o in group) / len(group)

    assert rate("women_led", "women", True) > 3 * rate("women_led", "women", False)
    assert rate("bame_led", "bame-people", True) > 3 * rate("bame_led", "bame-people", False)


def test_scale_ten_gives_ten_times_the_counts(
    market: SyntheticMarket, big_market: SyntheticMarket
) -> None:
    assert len(big_market.vcs_providers) == 10 * len(market.vcs_providers)
    assert len(big_market.primes) == 10 * len(market.primes)
    assert len(big_market.exercises) == 10 * len(market.exercises)
    assert len({o.slug for o in big_market.organisations}) == len(big_market.organisations)
    assert 0.75 <= market_summary(big_market).share_under_500k <= 0.85


def test_small_scales_still_cover_every_tier_and_stage() -> None:
    small = generate_market(3, 0.05)
    assert len(small.vcs_providers) == 85
    assert {(e.tier, e.stage) for e in small.exercises} == {(t, s) for t in TIERS for s in STAGES}


@pytest.mark.parametrize("scale", [0.0, -1.0, float("nan")])
def test_scale_must_be_positive(scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_market(1, scale)


def test_exercises_cover_every_tier_and_stage(market: SyntheticMarket) -> None:
    assert 30 <= len(market.exercises) <= 40
    assert {e.tier for e in market.exercises} == set(TIERS)
    assert {e.stage for e in market.exercises} == set(STAGES)
    references = [e.reference for e in market.exercises]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"CX-202[4-6]-\d{4}", r) for r in references)
    assert all(e.is_synthetic and "Synthetic demo exercise" in e.summary for e in market.exercises)


def test_exercises_belong_to_a_body_of_their_tier_and_its_areas(market: SyntheticMarket) -> None:
    bodies = {b.slug: b for b in market.public_bodies}
    for exercise in market.exercises:
        body = bodies[exercise.commissioning_body]
        assert body.is_commissioning_body and body.commissioning_tier == exercise.tier
        assert exercise.service_area in SPECIALISMS_BY_SLUG
        if exercise.tier == "national":
            assert exercise.areas == ("england-and-wales",)
        elif exercise.tier == "sub_national":
            region = body.areas[0]
            allowed = {region} | {f.slug for f in forces_in_region(region)}
            assert set(exercise.areas) <= allowed
        else:
            assert exercise.areas == body.areas
        for partner in exercise.partners:
            assert bodies[partner].public_body_kind in {"health", "police", "local_authority"}
    assert any(e.partners for e in market.exercises)
    assert all(
        e.estimated_annual_value is not None for e in market.exercises if e.stage != "assess_need"
    )


def test_stage_histories_follow_the_cycle_with_ascending_dates(
    big_market: SyntheticMarket,
) -> None:
    for exercise in big_market.exercises:
        history = exercise.history
        assert history[0].stage == "assess_need"
        assert history[-1].stage == exercise.stage
        for before, after in pairwise(history):
            assert Stage(after.stage) in TRANSITIONS[Stage(before.stage)]
            assert before.changed_at < after.changed_at
            if is_backward(Stage(before.stage), Stage(after.stage)):
                assert after.reason
        for change in history:
            assert change.changed_at.tzinfo is not None
            assert datetime(2024, 1, 1, tzinfo=change.changed_at.tzinfo) <= change.changed_at
            assert change.changed_at.year <= 2026
    assert any(len(e.history) > STAGES.index(e.stage) + 1 for e in big_market.exercises)


def test_summary_statistics_describe_the_market(market: SyntheticMarket) -> None:
    summary = market_summary(market)
    assert summary.vcs_count == 1700 and summary.prime_count == 20
    assert summary.exercise_count == len(market.exercises)
    assert sum(summary.size_bands.values()) == len(market.providers)
    assert summary.size_bands["major"] >= 20  # every prime is over £10m
    incomes = [o.annual_income for o in market.providers]
    assert Counter(size_band(i).value for i in incomes) == Counter(
        {k: v for k, v in summary.size_bands.items() if v}
    )
    assert sum(summary.providers_by_region.values()) + summary.national_providers == len(
        market.providers
    )
    text = format_summary(summary)
    assert "VCS providers: 1,700" in text
    assert "VCS mean reserves:" in text
