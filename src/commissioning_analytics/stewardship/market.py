"""A market's make-up, money and concentration over time (MKT-1), a contract's footprint on its
local market (MKT-2) and the health of specialist-led organisations (EQU-3)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from commissioning_analytics.stewardship.concentration import Band, band, four_firm_share, hhi
from commissioning_analytics.stewardship.records import ContractRecord, Flow, Provider, Source

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Scope:
    """Which market: the areas it covers (``None``: all of England and Wales), and optionally a
    specialism (the lots that buy it, the providers that offer it) or a cohort (the providers
    that serve it)."""

    area_ids: frozenset[int] | None = None
    specialism_id: int | None = None
    cohort_id: int | None = None

    def covers_contract(self, contract: ContractRecord) -> bool:
        if self.area_ids is not None and not (contract.area_ids & self.area_ids):
            return False
        return self.specialism_id is None or self.specialism_id in contract.specialism_ids

    def covers_provider(self, provider: Provider) -> bool:
        if self.area_ids is not None and not (provider.area_ids & self.area_ids):
            return False
        if self.specialism_id is not None and self.specialism_id not in provider.specialism_ids:
            return False
        return self.cohort_id is None or self.cohort_id in provider.cohort_ids


@dataclass(frozen=True)
class YearFigures:
    year: int
    total: Decimal
    providers_funded: int
    hhi: Decimal | None
    band: Band
    four_firm_share: Decimal | None
    sources: frozenset[Source]


@dataclass(frozen=True)
class Market:
    providers: list[Provider]
    money: dict[int, dict[int, Decimal]]
    """provider id → year → money received in the market."""
    years: list[YearFigures]

    @property
    def latest(self) -> YearFigures | None:
        return self.years[-1] if self.years else None


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def market(
    scope: Scope,
    providers: Sequence[Provider],
    contracts: Sequence[ContractRecord],
    flows: Iterable[Flow],
) -> Market:
    """The providers in ``scope`` (those that serve it, and any that got its money) and the money
    each received each year from the contracts in it, with its concentration each year."""
    by_id = {provider.id: provider for provider in providers}
    in_scope = {contract.id for contract in contracts if scope.covers_contract(contract)}
    money: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    sources: dict[int, set[Source]] = defaultdict(set)
    for flow in flows:
        if flow.contract_id not in in_scope or flow.provider_id not in by_id:
            continue
        if scope.cohort_id is not None and not scope.covers_provider(by_id[flow.provider_id]):
            continue
        money[flow.provider_id][flow.year] += flow.amount
        sources[flow.year].add(flow.source)
    members = [p for p in providers if p.id in money or scope.covers_provider(p)]
    years = sorted(sources)
    figures = []
    for year in years:
        amounts = [by_year[year] for by_year in money.values() if by_year.get(year)]
        index = hhi(amounts)
        figures.append(
            YearFigures(
                year=year,
                total=sum(amounts, Decimal(0)),
                providers_funded=len(amounts),
                hhi=index,
                band=band(index),
                four_firm_share=four_firm_share(amounts),
                sources=frozenset(sources[year]),
            )
        )
    return Market(providers=members, money={k: dict(v) for k, v in money.items()}, years=figures)


@dataclass(frozen=True)
class FootprintYear:
    """One year of a contract's local market (MKT-2)."""

    year: int
    is_before: bool
    local_providers_funded: int
    total: Decimal
    to_local: Decimal
    local_share: Decimal | None
    specialists_funded: int


def footprint(
    contract: ContractRecord,
    local_area_ids: frozenset[int],
    providers: Sequence[Provider],
    contracts: Sequence[ContractRecord],
    flows: Iterable[Flow],
    last_year: int,
) -> list[FootprintYear]:
    """The local market of ``contract`` (every contract in its lot's areas, ``local_area_ids``)
    in the year before it started and each year after, to ``last_year``: how many local
    providers (those serving those areas that are not prime contractors) were funded, how much
    of the money reached them and how many specialist-led providers were funded."""
    by_id = {provider.id: provider for provider in providers}
    local = {p.id for p in providers if (p.area_ids & local_area_ids) and not p.is_prime}
    in_market = {c.id for c in contracts if c.area_ids & local_area_ids}
    first = contract.start_date.year - 1
    years = range(first, max(last_year, first) + 1)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    received: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for flow in flows:
        if flow.contract_id in in_market and flow.year in years and flow.amount > 0:
            totals[flow.year] += flow.amount
            received[flow.year][flow.provider_id] += flow.amount
    rows = []
    for year in years:
        funded = received[year]
        to_local = sum((amount for pid, amount in funded.items() if pid in local), Decimal(0))
        rows.append(
            FootprintYear(
                year=year,
                is_before=year == first,
                local_providers_funded=sum(1 for pid in funded if pid in local),
                total=totals[year],
                to_local=to_local,
                local_share=_share(to_local, totals[year]),
                specialists_funded=sum(
                    1 for pid in funded if pid in by_id and by_id[pid].is_specialist
                ),
            )
        )
    return rows


#: The groups compared (EQU-3): each led-by flag, and everyone led by none of them.
GROUPS: tuple[tuple[str, str], ...] = (
    ("bame_led", "BAME-led"),
    ("women_led", "Women-led"),
    ("lived_experience_led", "Lived-experience-led"),
    ("others", "All other organisations"),
)


def in_group(provider: Provider, group: str) -> bool:
    if group == "others":
        return not provider.is_specialist
    return bool(getattr(provider, group))


@dataclass(frozen=True)
class GroupHealth:
    key: str
    label: str
    count: int
    median_income: Decimal | None
    median_reserves_months: Decimal | None
    stopped: int
    stopped_share: Decimal | None
    money_share_by_year: dict[int, Decimal | None]


def _median(values: list[Decimal]) -> Decimal | None:
    return Decimal(median(values)) if values else None


def specialist_health(
    providers: Sequence[Provider], flows: Iterable[Flow]
) -> tuple[list[int], list[GroupHealth]]:
    """For each group of :data:`GROUPS`: how many organisations, their median income and months
    of reserves, how many stopped operating, and the group's share of the money each year. An
    organisation led by both women and BAME people counts in both groups."""
    money: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for flow in flows:
        money[flow.year][flow.provider_id] += flow.amount
        totals[flow.year] += flow.amount
    years = sorted(totals)
    groups = []
    for key, label in GROUPS:
        members = [p for p in providers if in_group(p, key)]
        ids = {p.id for p in members}
        stopped = sum(1 for p in members if p.stopped_operating_on is not None)
        groups.append(
            GroupHealth(
                key=key,
                label=label,
                count=len(members),
                median_income=_median([p.annual_income for p in members]),
                median_reserves_months=_median([p.reserves_months for p in members]),
                stopped=stopped,
                stopped_share=_share(Decimal(stopped), Decimal(len(members))),
                money_share_by_year={
                    year: _share(
                        sum((a for pid, a in money[year].items() if pid in ids), Decimal(0)),
                        totals[year],
                    )
                    for year in years
                },
            )
        )
    return years, groups
