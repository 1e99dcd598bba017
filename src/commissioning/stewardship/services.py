"""The market map's figures (MKT-1), a contract's footprint (MKT-2) and specialist-led
organisations' health (EQU-3), from :mod:`.queries`' records through the analytics core. Pure
reads: nothing here writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from commissioning.contracts.models import Contract
from commissioning.directory.models import SIZE_BAND_CHOICES, Area, Cohort, Specialism
from commissioning.stewardship import queries
from commissioning_analytics.stewardship import tiles
from commissioning_analytics.stewardship.concentration import BAND_LABELS
from commissioning_analytics.stewardship.market import (
    FootprintYear,
    GroupHealth,
    Market,
    Scope,
    footprint,
    market,
    specialist_health,
)
from commissioning_analytics.stewardship.records import Provider, Source

NATIONAL_PLACE = "area:england-and-wales"
PROVIDERS_SHOWN = 50
"""The page lists the providers that received most; the CSV has every one."""

SOURCE_LABELS = {
    Source.PAID: "Recorded payments",
    Source.CONTRACT_VALUE: "Contract values (no payment recorded yet)",
}

SIZE_LABELS = dict(SIZE_BAND_CHOICES)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "count", "money", "index", "percent", "months"


MEASURES: tuple[Measure, ...] = (
    Measure("providers", "Providers serving the area", "count"),
    Measure("money", "Money received in the year (£)", "money"),
    Measure("hhi", "Concentration of the money (HHI)", "index"),
    Measure("four_firm", "Share of the money with the four largest providers (%)", "percent"),
    Measure(
        "specialist",
        "Providers led by women, BAME people or people with lived experience (%)",
        "percent",
    ),
    Measure("reserves", "Median months of free reserves", "months"),
)
MEASURES_BY_KEY = {measure.key: measure for measure in MEASURES}


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    scope: Scope


def place_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The places the form offers, grouped: areas (England and Wales, regions, police force
    areas), specialisms, cohorts."""
    areas = list(Area.objects.order_by("kind", "name").values_list("kind", "slug", "name"))
    national = [(f"area:{s}", n) for k, s, n in areas if k == Area.Kind.NATIONAL]
    regions = [(f"area:{s}", n) for k, s, n in areas if k == Area.Kind.PROBATION_REGION]
    forces = [(f"area:{s}", n) for k, s, n in areas if k == Area.Kind.POLICE_FORCE_AREA]
    return [
        ("Areas", national),
        ("Probation regions", regions),
        ("Police force areas", forces),
        (
            "Specialisms",
            [(f"specialism:{s}", n) for s, n in Specialism.objects.values_list("slug", "name")],
        ),
        ("Cohorts", [(f"cohort:{s}", n) for s, n in Cohort.objects.values_list("slug", "name")]),
    ]


def resolve_place(key: str, within: dict[int, frozenset[int]]) -> Place | None:
    """The market a form value names, or ``None`` when it names nothing known."""
    kind, _, slug = key.partition(":")
    if kind == "area":
        area = Area.objects.filter(slug=slug).first()
        if area is None:
            # The whole market needs no area record: a new deployment has none loaded yet.
            return Place(key, "England and Wales", Scope()) if key == NATIONAL_PLACE else None
        if area.kind == Area.Kind.NATIONAL:
            return Place(key, area.name, Scope())
        return Place(key, area.name, Scope(area_ids=within.get(area.pk, frozenset({area.pk}))))
    if kind == "specialism":
        specialism = Specialism.objects.filter(slug=slug).first()
        if specialism is None:
            return None
        return Place(key, specialism.name, Scope(specialism_id=specialism.pk))
    if kind == "cohort":
        cohort = Cohort.objects.filter(slug=slug).first()
        if cohort is None:
            return None
        return Place(key, f"Providers serving {cohort.name.lower()}", Scope(cohort_id=cohort.pk))
    return None


def _percent(share: Decimal | None) -> Decimal | None:
    if share is None:
        return None
    return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _median(values: Iterable[Decimal]) -> Decimal | None:
    found = list(values)
    return (
        Decimal(median(found)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if found else None
    )


def measure_of(key: str, found: Market, scope: Scope, year: int | None) -> Decimal | None:
    """The value of measure ``key`` for a market in ``year``."""
    serving = [p for p in found.providers if scope.covers_provider(p)]
    if key == "providers":
        return Decimal(len(serving))
    if key == "specialist":
        if not serving:
            return None
        return _percent(Decimal(sum(1 for p in serving if p.is_specialist)) / len(serving))
    if key == "reserves":
        return _median(p.reserves_months for p in serving)
    figures = next((y for y in found.years if y.year == year), None)
    if key == "money":
        return figures.total if figures else Decimal(0)
    if figures is None:
        return None
    if key == "hhi":
        return figures.hhi
    return _percent(figures.four_firm_share)


@dataclass(frozen=True)
class Tile:
    name: str
    slug: str
    short: str
    x: int
    y: int
    value: Decimal | None
    fill: str
    text: str


TILE_SIZE = 56
TILE_GAP = 4


def tile_map(
    records: queries.Records,
    within: dict[int, frozenset[int]],
    place: Place,
    measure: Measure,
    year: int | None,
) -> tuple[list[Tile], list[tiles.Step]]:
    """Each police force area's value of ``measure`` (within the place's specialism or cohort,
    when it is one), with its tile's place and colour, and the legend."""
    forces = Area.objects.filter(kind=Area.Kind.POLICE_FORCE_AREA).values_list("pk", "slug", "name")
    values = []
    for pk, slug, name in forces:
        scope = Scope(
            area_ids=within.get(pk, frozenset({pk})),
            specialism_id=place.scope.specialism_id,
            cohort_id=place.scope.cohort_id,
        )
        found = market(scope, records.providers, records.contracts, records.flows)
        values.append((slug, name, measure_of(measure.key, found, scope, year)))
    legend = tiles.steps([value for _, _, value in values])
    step = TILE_SIZE + TILE_GAP
    placed = []
    for slug, name, value in values:
        col, row, short = tiles.LAYOUT.get(name, (0, 0, name[:3].upper()))
        fill, text = tiles.step_for(value, legend)
        placed.append(Tile(name, slug, short, col * step, row * step, value, fill, text))
    placed.sort(key=lambda tile: tile.name)
    return placed, legend


def latest_year(records: queries.Records) -> int | None:
    years = {flow.year for flow in records.flows}
    return max(years) if years else None


def years_of(records: queries.Records) -> list[int]:
    return sorted({flow.year for flow in records.flows})


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    size: str
    specialisms: list[str]
    led_by: list[str]
    money: dict[int, Decimal]
    in_year: Decimal


LED_BY = (
    ("bame_led", "BAME-led"),
    ("women_led", "Women-led"),
    ("lived_experience_led", "Lived-experience-led"),
    ("user_led", "User-led"),
)


YEARLY_MEASURES = frozenset({"money", "hhi", "four_firm"})


def year_rows(found: Market) -> list[dict[str, object]]:
    """The concentration table's rows: each year's figures with its band and sources in words."""
    return [
        {
            "figures": y,
            "band": BAND_LABELS[y.band],
            "four_firm_percent": _percent(y.four_firm_share),
            "sources": "; ".join(label for s, label in SOURCE_LABELS.items() if s in y.sources),
        }
        for y in found.years
    ]


def provider_rows(found: Market, year: int | None) -> list[ProviderRow]:
    """The market's providers, those that received most in ``year`` first."""
    names = dict(Specialism.objects.values_list("pk", "name"))
    rows = [
        ProviderRow(
            provider=p,
            size=SIZE_LABELS.get(p.size_band, p.size_band),
            specialisms=sorted(names[s] for s in p.specialism_ids if s in names),
            led_by=[label for field, label in LED_BY if getattr(p, field)],
            money=found.money.get(p.id, {}),
            in_year=found.money.get(p.id, {}).get(year, Decimal(0)) if year else Decimal(0),
        )
        for p in found.providers
    ]
    rows.sort(key=lambda row: (-row.in_year, row.provider.name))
    return rows


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def concentration_csv(found: Market) -> str:
    return csv_text(
        ["year", "money", "providers_funded", "hhi", "band", "four_firm_share_percent", "source"],
        (
            [
                y.year,
                y.total,
                y.providers_funded,
                y.hhi,
                BAND_LABELS[y.band],
                _percent(y.four_firm_share),
                "; ".join(label for s, label in SOURCE_LABELS.items() if s in y.sources),
            ]
            for y in found.years
        ),
    )


def providers_csv(rows: Sequence[ProviderRow], years: Sequence[int]) -> str:
    return csv_text(
        [
            "provider",
            "size",
            "annual_income",
            "reserves_months",
            "specialisms",
            "led_by",
            "stopped_operating_on",
            *[f"money_{year}" for year in years],
        ],
        (
            [
                row.provider.name,
                row.size,
                row.provider.annual_income,
                row.provider.reserves_months,
                "; ".join(row.specialisms),
                "; ".join(row.led_by),
                row.provider.stopped_operating_on,
                *[row.money.get(year, Decimal(0)) for year in years],
            ]
            for row in rows
        ),
    )


def tiles_csv(placed: Sequence[Tile], measure: Measure) -> str:
    return csv_text(
        ["police_force_area", measure.key],
        ([tile.name, tile.value] for tile in placed),
    )


def footprint_rows(
    contract: Contract, records: queries.Records, today: date
) -> tuple[list[str], list[FootprintYear]]:
    """The local market of ``contract``: its lot's areas (and the areas within them), the year
    before it started and each year since, to this year or its end (MKT-2)."""
    within = queries.area_descendants()
    lot_areas = list(contract.lot.areas.order_by("name").values_list("pk", "name"))
    local: frozenset[int] = frozenset().union(
        *(within.get(pk, frozenset({pk})) for pk, _ in lot_areas)
    )
    record = next(c for c in records.contracts if c.id == contract.pk)
    last = min(record.end_date, today).year
    rows = footprint(record, local, records.providers, records.contracts, records.flows, last)
    return [name for _, name in lot_areas], rows


def footprint_csv(rows: Sequence[FootprintYear]) -> str:
    return csv_text(
        [
            "year",
            "before_contract",
            "local_providers_funded",
            "money_in_local_market",
            "money_to_local_providers",
            "local_share_percent",
            "specialist_providers_funded",
        ],
        (
            [
                r.year,
                "yes" if r.is_before else "no",
                r.local_providers_funded,
                r.total,
                r.to_local,
                _percent(r.local_share),
                r.specialists_funded,
            ]
            for r in rows
        ),
    )


def health(records: queries.Records) -> tuple[list[int], list[GroupHealth]]:
    return specialist_health(records.providers, records.flows)


def health_rows(years: Sequence[int], groups: Sequence[GroupHealth]) -> list[dict[str, object]]:
    """Each group's figures with its shares as percentages, for the page."""
    return [
        {
            **asdict(group),
            "stopped_percent": _percent(group.stopped_share),
            "share_percents": [_percent(group.money_share_by_year.get(year)) for year in years],
        }
        for group in groups
    ]


def footprint_display(rows: Sequence[FootprintYear]) -> list[dict[str, object]]:
    return [{**asdict(row), "local_percent": _percent(row.local_share)} for row in rows]


def health_csv(years: Sequence[int], groups: Sequence[GroupHealth]) -> str:
    return csv_text(
        [
            "group",
            "organisations",
            "median_income",
            "median_reserves_months",
            "stopped_operating",
            "stopped_operating_percent",
            *[f"money_share_{year}_percent" for year in years],
        ],
        (
            [
                g.label,
                g.count,
                g.median_income,
                g.median_reserves_months,
                g.stopped,
                _percent(g.stopped_share),
                *[_percent(g.money_share_by_year.get(year)) for year in years],
            ]
            for g in groups
        ),
    )


percent: Callable[[Decimal | None], Decimal | None] = _percent
