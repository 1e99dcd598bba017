"""Summary statistics of a synthetic market: what the CLI prints and what the tests check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from commissioning_analytics.market.geography import AREAS_BY_SLUG, KIND_PFA, KIND_REGION
from commissioning_analytics.market.size import SIZE_BAND_LABELS, SMALL_CHARITY_INCOME, SizeBand
from commissioning_analytics.market.size import size_bands as _size_bands
from commissioning_analytics.market.synthetic_types import STAGES, TIERS, SyntheticMarket

LED_BY_LABELS = {
    "bame_led": "BAME-led",
    "women_led": "Women-led",
    "lived_experience_led": "Lived-experience-led",
    "user_led": "User-led",
}


@dataclass(frozen=True)
class MarketSummary:
    seed: int
    scale: float
    vcs_count: int
    prime_count: int
    commissioning_bodies_by_tier: dict[str, int]
    partner_count: int
    share_under_500k: float
    """Share of VCS (non-prime) providers with income under £500,000 (seed 002)."""
    mean_reserves_months: float
    """Mean months of reserves held by VCS (non-prime) providers (seed 002: about 14)."""
    median_income: float
    max_income: int
    prime_income_range: tuple[int, int]
    org_types: dict[str, int]
    size_bands: dict[str, int]
    led_by_shares: dict[str, float]
    providers_by_region: dict[str, int]
    national_providers: int
    exercises_by_tier: dict[str, int]
    exercises_by_stage: dict[str, int]

    @property
    def exercise_count(self) -> int:
        return sum(self.exercises_by_tier.values())


def share_under(incomes: np.ndarray, threshold: float = float(SMALL_CHARITY_INCOME)) -> float:
    return float((np.asarray(incomes) < threshold).mean()) if len(incomes) else 0.0


def market_summary(market: SyntheticMarket) -> MarketSummary:
    columns = market.columns
    vcs = ~columns.is_prime
    income = columns.annual_income[vcs]
    bands = Counter(_size_bands(columns.annual_income).tolist())
    regions: Counter[str] = Counter()
    national = 0
    for org in market.providers:
        home = AREAS_BY_SLUG[org.areas[0]]
        if home.kind == KIND_PFA and home.parent:
            regions[AREAS_BY_SLUG[home.parent].name] += 1
        elif home.kind == KIND_REGION:
            regions[home.name] += 1
        else:
            national += 1
    primes = columns.annual_income[columns.is_prime]
    return MarketSummary(
        seed=market.seed,
        scale=market.scale,
        vcs_count=int(vcs.sum()),
        prime_count=int(columns.is_prime.sum()),
        commissioning_bodies_by_tier={
            tier: sum(1 for b in market.commissioning_bodies if b.commissioning_tier == tier)
            for tier in TIERS
        },
        partner_count=len(market.partners),
        share_under_500k=share_under(income),
        mean_reserves_months=float(columns.reserves_months[vcs].mean()),
        median_income=float(np.median(income)),
        max_income=int(income.max()),
        prime_income_range=(int(primes.min()), int(primes.max())) if len(primes) else (0, 0),
        org_types=dict(Counter(columns.org_type.tolist()).most_common()),
        size_bands={band.value: bands.get(band.value, 0) for band in SizeBand},
        led_by_shares={
            field: float(getattr(columns, field)[vcs].mean()) for field in LED_BY_LABELS
        },
        providers_by_region=dict(sorted(regions.items())),
        national_providers=national,
        exercises_by_tier=dict(Counter(e.tier for e in market.exercises)),
        exercises_by_stage={
            stage: sum(1 for e in market.exercises if e.stage == stage) for stage in STAGES
        },
    )


def format_summary(summary: MarketSummary) -> str:
    """The summary as plain text, one fact a line."""
    lines = [
        f"Synthetic market: seed {summary.seed}, scale {summary.scale:g}",
        f"VCS providers: {summary.vcs_count:,} (seed 000: over 1,700 at scale 1)",
        f"Primes: {summary.prime_count:,} (income £{summary.prime_income_range[0]:,} to "
        f"£{summary.prime_income_range[1]:,})",
        "Commissioning bodies: "
        + ", ".join(
            f"{n} {t.replace('_', '-')}" for t, n in summary.commissioning_bodies_by_tier.items()
        ),
        f"Joint-commissioning partners: {summary.partner_count}",
        f"VCS income under £500,000: {summary.share_under_500k:.1%} (seed 002: the overwhelming "
        "majority)",
        f"VCS median income: £{summary.median_income:,.0f}; largest £{summary.max_income:,}",
        f"VCS mean reserves: {summary.mean_reserves_months:.1f} months (seed 002: 14 months)",
        "Led by: "
        + ", ".join(f"{LED_BY_LABELS[k]} {v:.1%}" for k, v in summary.led_by_shares.items()),
        "Organisation types: " + ", ".join(f"{k} {v:,}" for k, v in summary.org_types.items()),
        "Size bands (providers):",
        *(
            f"  {SIZE_BAND_LABELS[SizeBand(band)]}: {count:,}"
            for band, count in summary.size_bands.items()
        ),
        f"Providers by home probation region (plus {summary.national_providers:,} national):",
        *(f"  {region}: {count:,}" for region, count in summary.providers_by_region.items()),
        f"Commissioning exercises: {summary.exercise_count}",
        "  by tier: " + ", ".join(f"{t} {n}" for t, n in sorted(summary.exercises_by_tier.items())),
        "  by stage: " + ", ".join(f"{s} {n}" for s, n in summary.exercises_by_stage.items()),
    ]
    return "\n".join(lines)
