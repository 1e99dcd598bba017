"""Supply-chain diversity evidence for evaluators (EVA-3, PRO-7) and the bid-time "bid candy"
indicator (SUP-2), computed from a bid's proposed supply chain and the lot.

A bid names sub-contractors (PRO-7): each with a role, the referrals and the value a year it is
promised, and whether it has confirmed its consent. :func:`supply_chain_evidence` counts, by head
and by promised value, the small, specialist, led-by and local sub-contractors, measures how
concentrated the promised value is, and flags sub-contractors named with token promises. The
result is evidence for the "diversity of the proposed supply chain" criterion; evaluators still
judge the score. Formulas: docs/evaluation-evidence.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from commissioning_analytics.lots.conditions import LotSpec
from commissioning_analytics.lots.market import LED_BY_GROUPS, AreaTree, MarketColumns
from commissioning_analytics.market.size import SMALL_CHARITY_INCOME, SizeBand, size_band

SHARE = Decimal("0.0001")
HHI_POINTS = Decimal("0.01")
MONEY = Decimal("0.01")

GROUP_LABELS: dict[str, str] = {
    "small": "Small (income under £500,000)",
    "specialist": "Specialist (works with the lot's cohorts)",
    "user_led": "User-led",
    "lived_experience_led": "Lived-experience-led",
    "women_led": "Women-led",
    "bame_led": "BAME-led",
    "local": "Local presence in the lot's areas",
}
"""Evidence groups, in the order they are reported."""


class SupplyChainError(ValueError):
    """A proposed supply chain cannot be assessed; the message names what is wrong."""


@dataclass(frozen=True)
class SubContractorProfile:
    """What the directory knows about an organisation named as a sub-contractor."""

    name: str
    annual_income: Decimal
    areas: tuple[str, ...] = ()
    specialisms: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    bame_led: bool = False
    women_led: bool = False
    lived_experience_led: bool = False
    user_led: bool = False

    @property
    def size_band(self) -> SizeBand:
        return size_band(self.annual_income)


def profile_from_market(
    market: MarketColumns, index: int, cohorts: Sequence[str] = ()
) -> SubContractorProfile:
    """The profile of provider ``index`` in ``market`` (the market has no cohorts: pass them)."""
    if not 0 <= index < len(market):
        raise SupplyChainError(f"No provider at index {index} in the market.")
    geography = market.geography
    return SubContractorProfile(
        name=str(market.provider_ids[index]),
        annual_income=Decimal(str(market.annual_income[index])),
        areas=tuple(geography.slugs[j] for j in np.flatnonzero(market.areas[index])),
        specialisms=tuple(
            market.specialism_slugs[j] for j in np.flatnonzero(market.specialisms[index])
        ),
        cohorts=tuple(cohorts),
        **{group: bool(market.led_by[group][index]) for group in LED_BY_GROUPS},
    )


@dataclass(frozen=True)
class ProposedSubContractor:
    """One named sub-contractor in a bid (PRO-7). Money is ``Decimal`` pounds a year."""

    profile: SubContractorProfile
    role: str
    referrals_per_year: int
    value_per_year: Decimal
    consent_confirmed: bool = True

    def __post_init__(self) -> None:
        name = self.profile.name
        if self.referrals_per_year < 0:
            raise SupplyChainError(f"{name}: promised referrals cannot be negative.")
        if self.value_per_year < 0:
            raise SupplyChainError(f"{name}: promised value cannot be negative.")


@dataclass(frozen=True)
class SupplyChainParams:
    """Documented thresholds. A sub-contractor is "bid candy" at bid time when it is promised
    fewer than ``min_referrals`` referrals a year, or less than ``token_value_share`` of the
    contract's annual value. The risk is "high" when at least ``high_risk_share`` of the named
    sub-contractors are flagged (a third of Work Programme sub-contractors got no referrals)."""

    small_income: Decimal = SMALL_CHARITY_INCOME
    token_value_share: Decimal = Decimal("0.02")
    min_referrals: int = 10
    high_risk_share: Decimal = Decimal(1) / Decimal(3)

    def __post_init__(self) -> None:
        if not 0 <= self.token_value_share < 1:
            raise SupplyChainError("token_value_share must be in [0, 1).")
        if self.min_referrals < 0:
            raise SupplyChainError("min_referrals cannot be negative.")
        if not 0 < self.high_risk_share <= 1:
            raise SupplyChainError("high_risk_share must be in (0, 1].")


@dataclass(frozen=True)
class GroupShare:
    """How many sub-contractors are in a group, and their share by head and by value."""

    group: str
    count: int
    head_share: Decimal
    value: Decimal
    value_share: Decimal

    @property
    def label(self) -> str:
        return GROUP_LABELS[self.group]


@dataclass(frozen=True)
class CandyFlag:
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SupplyChainEvidence:
    """Evidence on a bid's proposed supply chain; ``rows()`` for a table, ``summary()`` to read."""

    lot_name: str
    contract_annual_value: Decimal
    names: tuple[str, ...]
    groups: tuple[GroupShare, ...]
    subcontracted_value: Decimal
    prime_retained_value: Decimal
    prime_retained_share: Decimal
    hhi: Decimal
    candy_flags: tuple[CandyFlag, ...]
    candy_risk: str
    without_consent: tuple[str, ...] = field(default=())

    def group(self, group: str) -> GroupShare:
        for share in self.groups:
            if share.group == group:
                return share
        raise SupplyChainError(f"No evidence group {group!r}.")

    def rows(self) -> list[tuple[str, int, Decimal, Decimal, Decimal]]:
        """(label, count, share by head, promised value, share by value) per group."""
        return [(g.label, g.count, g.head_share, g.value, g.value_share) for g in self.groups]

    def summary(self) -> str:
        n = len(self.names)
        lines = [f"Proposed supply chain for {self.lot_name}: {n} named sub-contractors."]
        if n == 0:
            lines.append("No sub-contractors are named; the prime keeps all of the value.")
            return "\n".join(lines)
        lines.append(
            f"They are promised £{self.subcontracted_value:,} a year; the prime keeps "
            f"£{self.prime_retained_value:,} ({_pct(self.prime_retained_share)}) of "
            f"£{self.contract_annual_value:,}."
        )
        for g in self.groups:
            lines.append(
                f"{g.label}: {g.count} of {n} ({_pct(g.head_share)} by head), "
                f"£{g.value:,} ({_pct(g.value_share)} of the sub-contracted value)."
            )
        lines.append(f"Concentration of value (HHI, 0–10,000): {self.hhi}.")
        if self.candy_flags:
            lines.append(
                f"Bid candy risk: {self.candy_risk} — {len(self.candy_flags)} of {n} named with "
                "token promises:"
            )
            lines += [f"- {flag.name}: {'; '.join(flag.reasons)}" for flag in self.candy_flags]
        else:
            lines.append("Bid candy risk: none — every sub-contractor has real promises.")
        if self.without_consent:
            lines.append(
                "Named without confirmed consent: " + ", ".join(self.without_consent) + "."
            )
        return "\n".join(lines)


def supply_chain_evidence(
    lot: LotSpec,
    chain: Sequence[ProposedSubContractor],
    contract_annual_value: Decimal | None = None,
    cohorts: Sequence[str] = (),
    geography: AreaTree | None = None,
    params: SupplyChainParams | None = None,
) -> SupplyChainEvidence:
    """Diversity, concentration and bid-candy evidence for a bid's proposed supply chain.

    ``contract_annual_value`` is the bid's price a year (default: the lot's annual value);
    ``cohorts`` are the lot's cohorts (a sub-contractor working with any of them is
    "specialist"; with none given, working with any cohort counts).
    """
    params = params or SupplyChainParams()
    tree = geography or AreaTree.from_specs()
    contract = lot.annual_value if contract_annual_value is None else contract_annual_value
    if contract <= 0:
        raise SupplyChainError("The contract's annual value must be positive.")
    names = [s.profile.name for s in chain]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SupplyChainError(f"Each sub-contractor is named once: {', '.join(repeated)}.")
    values = [s.value_per_year for s in chain]
    subcontracted = sum(values, Decimal(0))
    if subcontracted > contract:
        raise SupplyChainError(
            f"Sub-contractors are promised £{subcontracted:,} a year, more than the contract's "
            f"£{contract:,}."
        )
    local_areas = _local_areas(tree, lot.areas)
    members = {
        "small": [s.profile.annual_income < params.small_income for s in chain],
        "specialist": [_specialist(s.profile, cohorts) for s in chain],
        **{g: [bool(getattr(s.profile, g)) for s in chain] for g in LED_BY_GROUPS},
        "local": [bool(set(s.profile.areas) & local_areas) for s in chain],
    }
    groups = tuple(
        _group_share(group, members[group], values, subcontracted) for group in GROUP_LABELS
    )
    retained = contract - subcontracted
    hhi = sum(((v / contract) ** 2 for v in [retained, *values]), Decimal(0)) * 10_000
    flags = tuple(flag for s in chain if (flag := _candy(s, contract, params)) is not None)
    return SupplyChainEvidence(
        lot_name=lot.name,
        contract_annual_value=contract,
        names=tuple(names),
        groups=groups,
        subcontracted_value=subcontracted,
        prime_retained_value=retained,
        prime_retained_share=_share(retained, contract),
        hhi=hhi.quantize(HHI_POINTS, rounding=ROUND_HALF_UP),
        candy_flags=flags,
        candy_risk=_candy_risk(len(flags), len(chain), params),
        without_consent=tuple(s.profile.name for s in chain if not s.consent_confirmed),
    )


def _local_areas(tree: AreaTree, lot_areas: Sequence[str]) -> set[str]:
    """Areas whose service counts as local presence: each lot area, the areas inside it and
    containing it — not the national area, unless the lot itself is national."""
    indices = [tree.index(slug) for slug in lot_areas]
    related = {j for i in indices for j in tree.related(i)}
    if tree.root not in indices:
        related.discard(tree.root)
    return {tree.slugs[j] for j in related}


def _specialist(profile: SubContractorProfile, cohorts: Sequence[str]) -> bool:
    if not cohorts:
        return bool(profile.cohorts)
    return bool(set(profile.cohorts) & set(cohorts))


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(SHARE, rounding=ROUND_HALF_UP)


def _group_share(
    group: str, mask: list[bool], values: list[Decimal], subcontracted: Decimal
) -> GroupShare:
    value = sum((v for v, m in zip(values, mask, strict=True) if m), Decimal(0))
    return GroupShare(
        group, sum(mask), _share(sum(mask), len(mask)), value, _share(value, subcontracted)
    )


def _candy(
    sub: ProposedSubContractor, contract: Decimal, params: SupplyChainParams
) -> CandyFlag | None:
    reasons: list[str] = []
    if sub.referrals_per_year < params.min_referrals:
        reasons.append(
            f"{sub.referrals_per_year} referrals a year promised (fewer than "
            f"{params.min_referrals})"
        )
    token = params.token_value_share * contract
    if sub.value_per_year < token:
        reasons.append(
            f"£{sub.value_per_year:,} a year promised (under {_pct(params.token_value_share)} "
            f"of the contract, £{token.quantize(MONEY, rounding=ROUND_HALF_UP):,})"
        )
    return CandyFlag(sub.profile.name, tuple(reasons)) if reasons else None


def _candy_risk(flagged: int, named: int, params: SupplyChainParams) -> str:
    if not flagged:
        return "none"
    if Decimal(flagged) >= params.high_risk_share * named:
        return "high"
    return "some"


def _pct(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
