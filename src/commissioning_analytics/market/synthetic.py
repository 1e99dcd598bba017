"""A deterministic synthetic market of criminal-justice providers and commissioners (MKT-1, CYC-1).

``generate_market(seed, scale)`` makes, with numpy and no framework:

* about 1,700 x ``scale`` voluntary and community sector (VCS) providers — seed 000: "over 1,700
  voluntary organisations specifically work in the criminal justice system" — with incomes drawn
  so that most (about 80%) are under £500,000 (seed 002: "the overwhelming majority of the
  Sector has an income of less than £500,000") and reserves averaging about 14 months (seed 002:
  "the average VCS organisation held only 14 months of reserves");
* about 20 x ``scale`` large primes (private and large voluntary providers, £10m to £500m);
* the commissioning bodies of all three tiers and some joint-commissioning partners
  (:mod:`~commissioning_analytics.market.synthetic_public`);
* a few dozen x ``scale`` commissioning exercises with dated stage histories
  (:mod:`~commissioning_analytics.market.synthetic_exercises`).

The same ``seed`` and ``scale`` always give the same market. Every record is flagged synthetic.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt

from commissioning_analytics.market import names as words
from commissioning_analytics.market.geography import (
    AREAS,
    AREAS_BY_SLUG,
    COHORTS,
    KIND_PFA,
    SPECIALISMS,
)
from commissioning_analytics.market.synthetic_exercises import generate_exercises
from commissioning_analytics.market.synthetic_primes import generate_primes
from commissioning_analytics.market.synthetic_public import generate_public_bodies
from commissioning_analytics.market.synthetic_sampling import (
    choose_sets,
    contacts,
    correlated_flag,
    pick,
    registration_numbers,
    reserves_months,
)
from commissioning_analytics.market.synthetic_text import describe_provider
from commissioning_analytics.market.synthetic_types import (
    ProviderColumns,
    SyntheticMarket,
    SyntheticOrganisation,
)

VCS_PER_SCALE = 1700
PRIMES_PER_SCALE = 20
EXERCISES_PER_SCALE = 36

INCOME_MEDIAN = 130_000.0
INCOME_SIGMA = 1.6
"""Lognormal incomes: P(income < £500k) = Φ(ln(500k/130k)/1.6) ≈ 0.80."""
INCOME_FLOOR = 500
INCOME_KNEE = 4_000_000.0
INCOME_TAIL_POWER = 0.35
"""Above the knee the tail is compressed (x → knee·(x/knee)^0.35): a long tail of several £m."""

ORG_TYPE_MIX = {"vcs_charity": 0.82, "social_enterprise": 0.14, "private": 0.04}

NATIONAL_SHARE = 0.04
EXTRA_AREAS_P = (0.60, 0.28, 0.12)
SAME_REGION_P = 0.85

COHORT_COUNT_P = (0.45, 0.35, 0.20)
SPECIALISM_COUNT_P = (0.35, 0.30, 0.20, 0.15)

COHORT_WEIGHTS: dict[str, float] = {
    "women": 2.0,
    "young-adults": 2.0,
    "bame-people": 1.1,
    "families-of-people-in-prison": 1.2,
    "older-people": 0.5,
    "people-with-convictions": 6.0,
    "veterans": 0.5,
    "disabled-people": 0.5,
    "lgbtq-people": 0.4,
    "foreign-national-people": 0.4,
    "people-with-learning-disabilities-or-difficulties": 0.6,
}
SPECIALISM_WEIGHTS: dict[str, float] = {
    "accommodation": 1.6,
    "education-training-and-employment": 1.8,
    "substance-misuse": 1.3,
    "mental-health": 1.2,
    "finance-benefit-and-debt": 0.7,
    "families-and-relationships": 0.9,
    "attitudes-thinking-and-behaviour": 0.8,
    "domestic-abuse": 0.7,
    "mentoring": 1.5,
    "restorative-justice": 0.6,
    "womens-services": 0.5,
    "arts": 0.7,
    "sport": 0.6,
    "advocacy-and-advice": 1.0,
    "health-and-wellbeing": 0.9,
    "resettlement-through-the-gate": 1.5,
}
# Who an organisation serves shifts what it does (log-odds added to the specialism weights).
COHORT_SPECIALISM_BOOST: dict[tuple[str, str], float] = {
    ("women", "womens-services"): 2.5,
    ("women", "domestic-abuse"): 0.8,
    ("families-of-people-in-prison", "families-and-relationships"): 2.5,
    ("young-adults", "mentoring"): 0.7,
    ("young-adults", "education-training-and-employment"): 0.5,
    ("young-adults", "sport"): 0.7,
    ("people-with-convictions", "resettlement-through-the-gate"): 0.4,
    ("older-people", "health-and-wellbeing"): 0.8,
    ("disabled-people", "advocacy-and-advice"): 0.8,
    ("foreign-national-people", "advocacy-and-advice"): 1.0,
    ("veterans", "mental-health"): 0.8,
}

LED_BY_TARGETS = {
    "bame_led": 0.08,
    "women_led": 0.15,
    "lived_experience_led": 0.12,
    "user_led": 0.06,
}
"""Approximate shares of VCS providers led by each group (plausible, not published figures)."""

_AREA_INDEX = {area.slug: i for i, area in enumerate(AREAS)}
_SPEC_SLUGS = [t.slug for t in SPECIALISMS]
_COHORT_SLUGS = [t.slug for t in COHORTS]


def generate_market(seed: int, scale: float = 1.0) -> SyntheticMarket:
    """The synthetic market for ``seed``; ``scale`` multiplies provider and exercise counts."""
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError("scale must be a positive number")
    if seed < 0:
        raise ValueError("seed must be zero or a positive whole number")
    rng = np.random.default_rng(seed)
    n_vcs = max(1, round(VCS_PER_SCALE * scale))
    n_primes = max(1, round(PRIMES_PER_SCALE * scale))
    n_exercises = max(15, round(EXERCISES_PER_SCALE * scale))

    public = generate_public_bodies(rng)
    taken = {org.slug for org in public}
    vcs, vcs_columns = _vcs_providers(rng, n_vcs, taken)
    primes, prime_columns = generate_primes(rng, n_primes, taken, SPECIALISM_WEIGHTS)
    columns = ProviderColumns(
        *(
            np.concatenate([getattr(vcs_columns, name), getattr(prime_columns, name)])
            for name in ProviderColumns.__dataclass_fields__
        )
    )
    exercises = generate_exercises(rng, n_exercises, public)
    return SyntheticMarket(
        seed=seed,
        scale=scale,
        areas=AREAS,
        specialisms=SPECIALISMS,
        cohorts=COHORTS,
        providers=tuple(vcs + primes),
        public_bodies=public,
        exercises=exercises,
        columns=columns,
    )


def _income_vcs(rng: np.random.Generator, n: int) -> npt.NDArray[np.int64]:
    raw = rng.lognormal(np.log(INCOME_MEDIAN), INCOME_SIGMA, n)
    tail = INCOME_KNEE * (raw / INCOME_KNEE) ** INCOME_TAIL_POWER
    income = np.where(raw > INCOME_KNEE, tail, raw)
    return np.maximum(np.rint(income), INCOME_FLOOR).astype(np.int64)


def _areas_for(rng: np.random.Generator, n: int) -> list[tuple[str, ...]]:
    """One to three areas each, mostly in the primary area's probation region; a few national."""
    pfa_idx = np.array([i for i, a in enumerate(AREAS) if a.kind == KIND_PFA])
    weights = np.array([AREAS[i].weight for i in pfa_idx])
    weights = weights / weights.sum()
    # Candidates for a second or third area: the sibling force areas and the region itself.
    candidates: dict[int, list[int]] = {}
    for i in pfa_idx:
        parent = AREAS[i].parent
        siblings = [j for j in pfa_idx if j != i and AREAS[j].parent == parent]
        candidates[int(i)] = [*siblings, _AREA_INDEX[parent or ""]]
    width = max(len(c) for c in candidates.values())
    table = np.full((len(AREAS), width), -1)
    lengths = np.ones(len(AREAS), dtype=np.int64)
    for i, cands in candidates.items():
        table[i, : len(cands)] = cands
        lengths[i] = len(cands)

    primary = rng.choice(pfa_idx, size=n, p=weights)
    national = rng.random(n) < NATIONAL_SHARE
    n_extra = rng.choice(3, size=n, p=EXTRA_AREAS_P)
    same_region = rng.random((n, 2)) < SAME_REGION_P
    local_pick = table[
        primary[:, None], (rng.random((n, 2)) * lengths[primary][:, None]).astype(int)
    ]
    anywhere = rng.choice(pfa_idx, size=(n, 2), p=weights)
    extra = np.where(same_region, local_pick, anywhere)
    extra = np.where(np.arange(2)[None, :] < n_extra[:, None], extra, -1)
    extra[:, 0] = np.where(extra[:, 0] == primary, -1, extra[:, 0])
    extra[:, 1] = np.where((extra[:, 1] == primary) | (extra[:, 1] == extra[:, 0]), -1, extra[:, 1])
    grid = np.column_stack([primary, extra])
    grid[national] = [_AREA_INDEX["england-and-wales"], -1, -1]
    return [tuple(AREAS[j].slug for j in row if j >= 0) for row in grid.tolist()]


# ---------------------------------------------------------------- VCS providers


def _vcs_providers(
    rng: np.random.Generator, n: int, taken: set[str]
) -> tuple[list[SyntheticOrganisation], ProviderColumns]:
    org_types = rng.choice(list(ORG_TYPE_MIX), size=n, p=list(ORG_TYPE_MIX.values())).tolist()
    income = _income_vcs(rng, n)
    reserves = reserves_months(rng, n, income)

    cohort_logits = np.tile(np.log([COHORT_WEIGHTS[s] for s in _COHORT_SLUGS]), (n, 1))
    cohort_counts = rng.choice(np.arange(1, 4), size=n, p=COHORT_COUNT_P)
    cohort_order, cohort_member = choose_sets(rng, cohort_logits, cohort_counts)

    boost = np.zeros((len(_COHORT_SLUGS), len(_SPEC_SLUGS)))
    for (cohort, spec), value in COHORT_SPECIALISM_BOOST.items():
        boost[_COHORT_SLUGS.index(cohort), _SPEC_SLUGS.index(spec)] = value
    spec_logits = np.log([SPECIALISM_WEIGHTS[s] for s in _SPEC_SLUGS])[None, :] + (
        cohort_member.astype(float) @ boost
    )
    spec_counts = rng.choice(np.arange(1, 5), size=n, p=SPECIALISM_COUNT_P)
    spec_order, spec_member = choose_sets(rng, spec_logits, spec_counts)

    def has_cohort(slug: str) -> npt.NDArray[np.bool_]:
        return cohort_member[:, _COHORT_SLUGS.index(slug)]

    women_led = correlated_flag(rng, has_cohort("women"), 0.5, LED_BY_TARGETS["women_led"])
    bame_led = correlated_flag(rng, has_cohort("bame-people"), 0.5, LED_BY_TARGETS["bame_led"])
    lived = correlated_flag(
        rng,
        spec_member[:, _SPEC_SLUGS.index("mentoring")],
        0.3,
        LED_BY_TARGETS["lived_experience_led"],
    )
    user_led = correlated_flag(rng, lived, 0.25, LED_BY_TARGETS["user_led"])

    areas = _areas_for(rng, n)
    cohort_lists = [tuple(_COHORT_SLUGS[j] for j in row if j >= 0) for row in cohort_order.tolist()]
    spec_lists = [tuple(_SPEC_SLUGS[j] for j in row if j >= 0) for row in spec_order.tolist()]
    names = _vcs_names(rng, org_types, areas, spec_lists, cohort_lists)
    slugs = words.unique_slugs(names, taken)
    charity_numbers, company_numbers = registration_numbers(rng, org_types)
    contact_names, emails, phones, websites = contacts(rng, slugs)

    flags = (bame_led.tolist(), women_led.tolist(), lived.tolist(), user_led.tolist())
    incomes, months = income.tolist(), [f"{m:.1f}" for m in reserves.tolist()]
    orgs = [
        SyntheticOrganisation(
            name=names[i],
            slug=slugs[i],
            org_type=org_types[i],
            annual_income=Decimal(incomes[i]),
            reserves_months=Decimal(months[i]),
            areas=areas[i],
            specialisms=spec_lists[i],
            cohorts=cohort_lists[i],
            bame_led=flags[0][i],
            women_led=flags[1][i],
            lived_experience_led=flags[2][i],
            user_led=flags[3][i],
            charity_number=charity_numbers[i],
            company_number=company_numbers[i],
            description=describe_provider(
                names[i], areas[i], spec_lists[i], cohort_lists[i], tuple(f[i] for f in flags)
            ),
            website=websites[i],
            contact_name=contact_names[i],
            contact_email=emails[i],
            contact_phone=phones[i],
        )
        for i in range(n)
    ]
    columns = ProviderColumns(
        annual_income=income,
        reserves_months=reserves,
        org_type=np.array(org_types, dtype=str),
        is_prime=np.zeros(n, dtype=bool),
        bame_led=bame_led,
        women_led=women_led,
        lived_experience_led=lived,
        user_led=user_led,
    )
    return orgs, columns


def _vcs_names(
    rng: np.random.Generator,
    org_types: list[str],
    areas: list[tuple[str, ...]],
    spec_lists: list[tuple[str, ...]],
    cohort_lists: list[tuple[str, ...]],
) -> list[str]:
    n = len(org_types)
    pattern = rng.choice(5, size=n, p=[0.30, 0.20, 0.20, 0.15, 0.15]).tolist()
    evocative = pick(rng, words.EVOCATIVE, n)
    u_focus, u_cohort, u_suffix = rng.random(n), rng.random(n), rng.random(n)
    names: list[str] = []
    qualifiers: list[str] = []
    for i in range(n):
        home = AREAS_BY_SLUG[areas[i][0]]
        place = "National" if home.slug == "england-and-wales" else home.name
        focus_words = words.FOCUS_WORDS[spec_lists[i][0]]
        focus = focus_words[int(u_focus[i] * len(focus_words))]
        cohort_words = words.COHORT_WORDS[cohort_lists[i][0]]
        cohort = cohort_words[int(u_cohort[i] * len(cohort_words))]
        suffixes = words.SUFFIXES[org_types[i]]
        suffix = suffixes[int(u_suffix[i] * len(suffixes))]
        names.append(
            (
                f"{place} {cohort} {focus} {suffix}",
                f"{place} {focus} {suffix}",
                f"{evocative[i]} {focus} {suffix}",
                f"The {evocative[i]} {suffix}",
                f"{evocative[i]} {cohort} {suffix}",
            )[pattern[i]]
        )
        qualifiers.append(home.name)
    return words.make_unique(names, qualifiers)
