"""Vectorised sampling helpers shared by the synthetic market's generators (numpy only)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from commissioning_analytics.market import names as words

RESERVES_MEAN = 14.0
"""Seed 002: "the average VCS organisation held only 14 months of reserves" (free reserves, in
months of expenditure: the one definition the platform uses)."""
RESERVES_SHAPE = 1.4
RESERVES_CAP = 120.0
RESERVES_SIZE_ELASTICITY = 0.3
"""Months of reserves rise with income as ``income ** 0.3`` (renormalised so that the average
organisation still holds 14 months): the many small charities hold far less than the average,
larger ones more (micro charities' median about 6 months, £0.5m–£5m about 18)."""
SMALL_CHARITY_INCOME = 500_000
SMALL_CHARITY_RESERVES_CAP = 24.0
"""A small charity (income under £500k) is not given more than two years' free reserves."""
PRIME_RESERVES_MEAN = 3.0
"""Primes are large contractors whose free cash averages about 3 months of spending; an
assumption of the synthetic market (labelled in docs/synthetic-market.md), not a seed figure."""
PRIME_RESERVES_CAP = 12.0


def choose_sets(
    rng: np.random.Generator, logits: npt.NDArray[np.float64], counts: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Per row, ``counts[i]`` distinct columns drawn with probability ∝ exp(logit), without
    replacement (the Gumbel top-k trick). Returns the chosen columns (first = most likely) and a
    membership matrix."""
    keys = logits + rng.gumbel(size=logits.shape)
    k_max = int(counts.max())
    order = np.argsort(-keys, axis=1)[:, :k_max]
    chosen = np.arange(k_max)[None, :] < counts[:, None]
    member = np.zeros(logits.shape, dtype=bool)
    rows = np.broadcast_to(np.arange(len(counts))[:, None], order.shape)
    member[rows[chosen], order[chosen]] = True
    return np.where(chosen, order, -1), member


def correlated_flag(
    rng: np.random.Generator, driver: npt.NDArray[np.bool_], p_given: float, target: float
) -> npt.NDArray[np.bool_]:
    """A flag set with probability ``p_given`` where ``driver`` holds, and otherwise at the rate
    that makes the overall share about ``target``."""
    share = float(driver.mean()) if len(driver) else 0.0
    p_else = (target - p_given * share) / (1.0 - share) if share < 1 else 0.0
    p = np.where(driver, p_given, float(np.clip(p_else, 0.005, 1.0)))
    return rng.random(len(driver)) < p


def pick(rng: np.random.Generator, options: tuple[str, ...], size: int) -> list[str]:
    """``size`` options drawn uniformly with replacement."""
    return [options[i] for i in rng.integers(0, len(options), size)]


def reserves_months(
    rng: np.random.Generator,
    n: int,
    income: npt.NDArray[np.int64] | None = None,
    mean: float = RESERVES_MEAN,
    cap: float = RESERVES_CAP,
) -> npt.NDArray[np.float64]:
    """Months of free reserves (of expenditure), rounded to one decimal place: gamma-distributed
    with ``mean``; with ``income``, scaled with the organisation's size (the sector's shape:
    small charities far below the average, which stays ``mean``) and capped at two years for
    small charities. The draws are the same whatever the arguments, so the rest of the synthetic
    market does not change with them."""
    months = rng.gamma(RESERVES_SHAPE, mean / RESERVES_SHAPE, n)
    if income is not None and n:
        weight = (income.astype(np.float64) / float(np.median(income))) ** RESERVES_SIZE_ELASTICITY
        months = months * weight / weight.mean()
        small = income < SMALL_CHARITY_INCOME
        months = np.where(small, np.minimum(months, SMALL_CHARITY_RESERVES_CAP), months)
    return np.round(np.minimum(months, cap), 1).astype(np.float64)


def registration_numbers(
    rng: np.random.Generator, org_types: list[str]
) -> tuple[list[str], list[str]]:
    """Fake registration numbers, marked "SYN" so that no one mistakes them for real ones."""
    charity = rng.integers(1_000_000, 10_000_000, len(org_types))
    company = rng.integers(10_000_000, 100_000_000, len(org_types))
    charity_numbers = [
        f"SYN{c}" if t == "vcs_charity" else "" for t, c in zip(org_types, charity, strict=True)
    ]
    company_numbers = [
        f"SYN{c}" if t != "vcs_charity" else "" for t, c in zip(org_types, company, strict=True)
    ]
    return charity_numbers, company_numbers


def contacts(
    rng: np.random.Generator, slugs: list[str]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Invented contact names, emails, phones and websites (``.example`` domains)."""
    n = len(slugs)
    first, last = pick(rng, words.FIRST_NAMES, n), pick(rng, words.LAST_NAMES, n)
    phone = rng.integers(0, 1000, n)  # 01632 960xxx: Ofcom's range for drama, never assigned
    domains = [words.email_domain(s) for s in slugs]
    return (
        [f"{f} {s}" for f, s in zip(first, last, strict=True)],
        [f"info@{d}" for d in domains],
        [f"01632 960{p:03d}" for p in phone.tolist()],
        [f"https://www.{d}" for d in domains],
    )
