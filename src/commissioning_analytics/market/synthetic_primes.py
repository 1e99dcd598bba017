"""Synthetic primes: large private and voluntary providers that hold or bid for prime contracts,
with incomes between £10m and £500m, working nationally or across one to three regions."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from commissioning_analytics.market import names as words
from commissioning_analytics.market.geography import AREAS, COHORTS, KIND_REGION, SPECIALISMS
from commissioning_analytics.market.synthetic_sampling import (
    PRIME_RESERVES_CAP,
    PRIME_RESERVES_MEAN,
    choose_sets,
    contacts,
    pick,
    registration_numbers,
    reserves_months,
)
from commissioning_analytics.market.synthetic_text import describe_provider
from commissioning_analytics.market.synthetic_types import ProviderColumns, SyntheticOrganisation

PRIME_INCOME_RANGE = (10_000_000.0, 500_000_000.0)
PRIME_TYPE_MIX = {"private": 0.55, "vcs_charity": 0.35, "social_enterprise": 0.10}
_SPEC_SLUGS = [t.slug for t in SPECIALISMS]
_COHORT_SLUGS = [t.slug for t in COHORTS]


def generate_primes(
    rng: np.random.Generator, n: int, taken: set[str], specialism_weights: dict[str, float]
) -> tuple[list[SyntheticOrganisation], ProviderColumns]:
    """``n`` primes with slugs not in ``taken`` (which is updated)."""
    org_types = rng.choice(list(PRIME_TYPE_MIX), size=n, p=list(PRIME_TYPE_MIX.values())).tolist()
    low, high = np.log(PRIME_INCOME_RANGE[0]), np.log(PRIME_INCOME_RANGE[1])
    income = np.rint(np.exp(rng.uniform(low, high, n))).astype(np.int64)
    reserves = reserves_months(rng, n, mean=PRIME_RESERVES_MEAN, cap=PRIME_RESERVES_CAP)
    regions = [a.slug for a in AREAS if a.kind == KIND_REGION]
    national = rng.random(n) < 0.5
    region_counts = rng.integers(1, 4, n)
    region_picks = [rng.choice(regions, size=3, replace=False).tolist() for _ in range(n)]
    areas = [
        ("england-and-wales",) if national[i] else tuple(region_picks[i][: region_counts[i]])
        for i in range(n)
    ]
    spec_counts = rng.integers(3, 7, n)
    spec_order, _ = choose_sets(
        rng, np.tile(np.log([specialism_weights[s] for s in _SPEC_SLUGS]), (n, 1)), spec_counts
    )
    spec_lists = [tuple(_SPEC_SLUGS[j] for j in row if j >= 0) for row in spec_order.tolist()]
    others = [s for s in _COHORT_SLUGS if s != "people-with-convictions"]
    cohort_lists = [
        ("people-with-convictions", *rng.choice(others, size=int(k), replace=False).tolist())
        for k in rng.integers(1, 4, n)
    ]
    stems, middles = pick(rng, words.PRIME_STEMS, n), pick(rng, words.PRIME_MIDDLES, n)
    ends = [pick(rng, words.PRIME_ENDS[t], 1)[0] for t in org_types]
    names = words.make_unique(
        [f"{s} {m} {e}" for s, m, e in zip(stems, middles, ends, strict=True)], ["national"] * n
    )
    slugs = words.unique_slugs(names, taken)
    charity_numbers, company_numbers = registration_numbers(rng, org_types)
    contact_names, emails, phones, websites = contacts(rng, slugs)
    lived = (rng.random(n) < 0.05) & (np.array(org_types) == "vcs_charity")
    orgs = [
        SyntheticOrganisation(
            name=names[i],
            slug=slugs[i],
            org_type=org_types[i],
            annual_income=Decimal(int(income[i])),
            reserves_months=Decimal(f"{reserves[i]:.1f}"),
            areas=areas[i],
            specialisms=spec_lists[i],
            cohorts=cohort_lists[i],
            lived_experience_led=bool(lived[i]),
            is_prime=True,
            charity_number=charity_numbers[i],
            company_number=company_numbers[i],
            description=describe_provider(
                names[i],
                areas[i],
                spec_lists[i],
                cohort_lists[i],
                (False, False, bool(lived[i]), False),
                prime=True,
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
        is_prime=np.ones(n, dtype=bool),
        bame_led=np.zeros(n, dtype=bool),
        women_led=np.zeros(n, dtype=bool),
        lived_experience_led=lived,
        user_led=np.zeros(n, dtype=bool),
    )
    return orgs, columns
