"""Synthetic commissioning exercises across the three tiers and the five stages (CYC-1).

Each exercise belongs to a commissioning body of its tier, covers areas consistent with that body
(a PCC its force area, a probation region the region or some of its force areas, a national body
England and Wales), sometimes names joint-commissioning partners, and carries a dated history
of the stages it has been through, from creation to its current stage (2024 to 2026). A few were
sent back a stage to be re-planned, and a few are in their second cycle (review → assess need,
CYC-4).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import product
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from commissioning_analytics.market.geography import (
    AREAS_BY_SLUG,
    KIND_REGION,
    NATIONAL_AREA_SLUG,
    forces_in_region,
)
from commissioning_analytics.market.synthetic_text import area_phrase
from commissioning_analytics.market.synthetic_types import (
    STAGES,
    TIERS,
    SyntheticExercise,
    SyntheticOrganisation,
    SyntheticStageChange,
)

LONDON = ZoneInfo("Europe/London")
EN_DASH = "\u2013"
FIRST_DAY = date(2024, 1, 8)
LAST_DAY = date(2026, 10, 30)
LATEST_START = date(2025, 9, 30)

TIER_P = {"national": 0.2, "sub_national": 0.3, "local": 0.5}
STAGE_P = {"assess_need": 0.2, "plan": 0.2, "procure": 0.2, "deliver": 0.25, "review": 0.15}
REWORK_P = 0.12
SECOND_CYCLE_P = 0.15

# Median, spread (lognormal sigma) and bounds of the estimated annual value, by tier (£).
VALUE_BY_TIER = {
    "local": (300_000.0, 0.8, 40_000.0, 3_000_000.0),
    "sub_national": (2_500_000.0, 0.7, 400_000.0, 25_000_000.0),
    "national": (20_000_000.0, 0.8, 3_000_000.0, 150_000_000.0),
}

SERVICES: dict[str, tuple[str, str]] = {
    "accommodation": ("Accommodation support", "settled accommodation"),
    "education-training-and-employment": ("Employment and skills", "work, training and learning"),
    "substance-misuse": ("Substance misuse recovery", "recovery from drug and alcohol misuse"),
    "mental-health": ("Mental health support", "better mental health"),
    "finance-benefit-and-debt": ("Finance, benefit and debt advice", "manageable money and debt"),
    "families-and-relationships": ("Family and relationship support", "stronger family ties"),
    "attitudes-thinking-and-behaviour": ("Attitudes, thinking and behaviour", "changed behaviour"),
    "domestic-abuse": ("Domestic abuse services", "safety from domestic abuse"),
    "mentoring": ("Peer mentoring", "support from mentors with lived experience"),
    "restorative-justice": ("Restorative justice services", "repair of the harm done"),
    "womens-services": ("Women's centre services", "holistic, trauma-informed support"),
    "arts": ("Arts in criminal justice", "engagement through the creative arts"),
    "sport": ("Sport for rehabilitation", "engagement through sport"),
    "advocacy-and-advice": ("Advice and advocacy", "access to independent advice"),
    "health-and-wellbeing": ("Health and wellbeing", "better physical health"),
    "resettlement-through-the-gate": ("Through-the-gate resettlement", "a safe, supported release"),
}
COHORT_PHRASES = {
    "women": "for women",
    "young-adults": "for young adults (18\u201325)",
    "bame-people": "for Black, Asian and minority ethnic people",
    "families-of-people-in-prison": "for families of people in prison",
    "people-with-convictions": "for people on probation",
    "veterans": "for veterans",
    "older-people": "for older people",
}
REWORK_REASON = (
    "Market engagement showed the lots were too large for local providers to bid; the lots were "
    "redesigned before going back to procurement."
)
RECOMMISSION_REASON = "Review complete; the findings feed the next needs assessment."


def generate_exercises(
    rng: np.random.Generator, n: int, public_bodies: tuple[SyntheticOrganisation, ...]
) -> tuple[SyntheticExercise, ...]:
    combos = list(product(TIERS, STAGES))  # every tier at every stage, at least once
    extra = max(0, n - len(combos))
    tiers = [t for t, _ in combos] + rng.choice(TIERS, size=extra, p=list(TIER_P.values())).tolist()
    stages = [s for _, s in combos] + rng.choice(
        STAGES, size=extra, p=list(STAGE_P.values())
    ).tolist()
    order = rng.permutation(len(tiers))
    tiers, stages = [tiers[i] for i in order], [stages[i] for i in order]

    by_kind: dict[str, list[SyntheticOrganisation]] = {}
    for body in public_bodies:
        by_kind.setdefault(body.public_body_kind, []).append(body)
    drafts = [
        _exercise(rng, tier, stage, by_kind) for tier, stage in zip(tiers, stages, strict=True)
    ]
    drafts.sort(key=lambda d: (d[0][0].changed_at, d[1]))
    counters: dict[int, int] = {}
    exercises = []
    for history, title, fields in drafts:
        year = history[0].changed_at.year
        counters[year] = counters.get(year, 0) + 1
        exercises.append(
            SyntheticExercise(
                reference=f"CX-{year}-{counters[year]:04d}", title=title, history=history, **fields
            )
        )
    return tuple(exercises)


def _exercise(
    rng: np.random.Generator,
    tier: str,
    stage: str,
    by_kind: dict[str, list[SyntheticOrganisation]],
) -> tuple[tuple[SyntheticStageChange, ...], str, dict[str, Any]]:
    body, areas = _body_and_areas(rng, tier, by_kind)
    partners = _partners(rng, tier, areas, by_kind)
    service = list(SERVICES)[int(rng.integers(len(SERVICES)))]
    cohort = list(COHORT_PHRASES)[int(rng.integers(len(COHORT_PHRASES)))]
    headline, outcome = SERVICES[service]
    place = "England and Wales" if areas == (NATIONAL_AREA_SLUG,) else _place(areas)
    title = f"{headline} {COHORT_PHRASES[cohort]} {EN_DASH} {place}"
    summary = (
        f"{body.name} is commissioning {headline.lower()} {COHORT_PHRASES[cohort]} "
        f"{area_phrase(areas)}. Outcomes sought: {outcome}. "
        f"{'Jointly commissioned with partners. ' if partners else ''}"
        "Synthetic demo exercise: not a real procurement."
    )
    median, sigma, low, high = VALUE_BY_TIER[tier]
    value: Decimal | None = Decimal(
        int(np.clip(rng.lognormal(np.log(median), sigma), low, high) // 1000 * 1000)
    )
    if stage == "assess_need" and rng.random() < 0.3:
        value = None  # too early to say
    fields: dict[str, Any] = {
        "tier": tier,
        "commissioning_body": body.slug,
        "service_area": service,
        "areas": areas,
        "summary": summary,
        "estimated_annual_value": value,
        "partners": partners,
    }
    return _history(rng, stage), title, fields


def _place(areas: tuple[str, ...]) -> str:
    names = [AREAS_BY_SLUG[slug].name for slug in areas]
    if len(names) == 1:
        return f"{names[0]} region" if AREAS_BY_SLUG[areas[0]].kind == KIND_REGION else names[0]
    return f"{names[0]} and {len(names) - 1} more"


def _body_and_areas(
    rng: np.random.Generator, tier: str, by_kind: dict[str, list[SyntheticOrganisation]]
) -> tuple[SyntheticOrganisation, tuple[str, ...]]:
    if tier == "national":
        national = [
            b
            for b in by_kind["ministry"] + by_kind["prison_probation"]
            if b.commissioning_tier == "national"
        ]
        return national[int(rng.integers(len(national)))], (NATIONAL_AREA_SLUG,)
    if tier == "sub_national":
        regional = [
            b for b in by_kind["prison_probation"] if b.commissioning_tier == "sub_national"
        ]
        body = regional[int(rng.integers(len(regional)))]
        region = body.areas[0]
        forces = [f.slug for f in forces_in_region(region)]
        if rng.random() < 0.6 or len(forces) == 1:
            return body, (region,)
        k = int(rng.integers(1, min(3, len(forces)) + 1))
        return body, tuple(sorted(rng.choice(forces, size=k, replace=False).tolist()))
    pool = by_kind["prison"] if rng.random() < 0.2 else by_kind["pcc"]
    body = pool[int(rng.integers(len(pool)))]
    return body, body.areas


def _partners(
    rng: np.random.Generator,
    tier: str,
    areas: tuple[str, ...],
    by_kind: dict[str, list[SyntheticOrganisation]],
) -> tuple[str, ...]:
    if tier == "national" or rng.random() >= 0.4:
        return ()
    places = set(areas)
    for slug in areas:
        parent = AREAS_BY_SLUG[slug].parent
        places |= {parent} if parent else {f.slug for f in forces_in_region(slug)}
    candidates = [
        org.slug
        for kind in ("health", "police", "local_authority")
        for org in by_kind.get(kind, [])
        if org.areas[0] in places
    ]
    if not candidates:
        return ()
    k = int(rng.integers(1, min(2, len(candidates)) + 1))
    return tuple(sorted(rng.choice(candidates, size=k, replace=False).tolist()))


def _history(rng: np.random.Generator, stage: str) -> tuple[SyntheticStageChange, ...]:
    """The stages from creation to ``stage``, with ascending dates between 2024 and 2026."""
    target = STAGES.index(stage)
    path: list[tuple[str, str]] = []
    if target <= 1 and rng.random() < SECOND_CYCLE_P:
        path += [(s, "") for s in STAGES]
        path.append(("assess_need", RECOMMISSION_REASON))
        path += [(s, "") for s in STAGES[1 : target + 1]]
    elif target >= 2 and rng.random() < REWORK_P:
        path += [(s, "") for s in STAGES[:3]]
        path.append(("plan", REWORK_REASON))
        path += [(s, "") for s in STAGES[2 : target + 1]]
    else:
        path += [(s, "") for s in STAGES[: target + 1]]

    start = FIRST_DAY + timedelta(days=int(rng.integers((LATEST_START - FIRST_DAY).days)))
    gaps = rng.integers(21, 121, len(path) - 1)
    room = (LAST_DAY - start).days
    if gaps.sum() > room:
        gaps = np.maximum(1, gaps * room // gaps.sum())
    days = np.concatenate([[0], np.cumsum(gaps)]).tolist()
    hours = rng.integers(9, 17, len(path)).tolist()
    return tuple(
        SyntheticStageChange(
            stage=s,
            changed_at=datetime.combine(start + timedelta(days=d), time(h, 0), tzinfo=LONDON),
            reason=reason,
        )
        for (s, reason), d, h in zip(path, days, hours, strict=True)
    )
