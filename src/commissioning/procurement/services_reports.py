"""Reports a commissioner sees before publishing: the lot accessibility report (PRO-1, PRO-2)
with the directory's organisations as the market, and the budget-realism check (PRO-5).

The computation is the analytics core's (:mod:`commissioning_analytics.lots`); this module
only turns the directory and the opportunity's lots into its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning.directory.models import LED_BY_FIELDS, Area, Organisation, Specialism
from commissioning.procurement.models import Lot, Opportunity
from commissioning_analytics.lots.accessibility import (
    AccessibilityReport,
    Counts,
    LotAccessibility,
    accessibility_report,
)
from commissioning_analytics.lots.conditions import LotSpec
from commissioning_analytics.lots.market import AreaTree, MarketColumns, market_columns_from_records
from commissioning_analytics.market.geography import AREAS, KIND_NATIONAL, AreaSpec
from commissioning_analytics.market.size import SizeBand

VIRTUAL_NATIONAL = "england-and-wales"


@dataclass(frozen=True)
class ProviderRow:
    """A directory organisation in the shape the core's market adapter reads."""

    slug: str
    org_type: str
    annual_income: Decimal
    reserves_months: Decimal
    areas: tuple[str, ...]
    specialisms: tuple[str, ...]
    bame_led: bool
    women_led: bool
    lived_experience_led: bool
    user_led: bool


def directory_geography() -> AreaTree:
    """The directory's areas as the core's tree, with the core's population weights where the
    slugs match (1.0 otherwise); a national root is added when the directory has none."""
    weights = {spec.slug: spec.weight for spec in AREAS}
    areas = list(Area.objects.select_related("parent"))
    national = [a.slug for a in areas if a.kind == Area.Kind.NATIONAL]
    specs = [
        AreaSpec(
            a.slug,
            a.name,
            a.kind,
            a.country,
            a.parent.slug if a.parent_id and a.parent else None,
            weights.get(a.slug, 1.0),
        )
        for a in areas
    ]
    if not national:
        specs.insert(0, AreaSpec(VIRTUAL_NATIONAL, "England and Wales", KIND_NATIONAL, ""))
    elif len(national) > 1:
        keep = national[0]
        specs = [s for s in specs if s.kind != KIND_NATIONAL or s.slug == keep]
    return AreaTree.from_specs(specs)


def directory_market() -> MarketColumns:
    """Every organisation in the directory that is not a commissioning body, as the market."""
    tree = directory_geography()
    known = set(tree.slugs)
    organisations = (
        Organisation.objects.filter(is_commissioning_body=False)
        .prefetch_related("areas", "specialisms")
        .order_by("pk")
    )
    rows = [
        ProviderRow(
            slug=o.slug,
            org_type=o.org_type,
            annual_income=o.annual_income,
            reserves_months=o.reserves_months,
            areas=tuple(a.slug for a in o.areas.all() if a.slug in known),
            specialisms=tuple(s.slug for s in o.specialisms.all()),
            **{flag: bool(getattr(o, flag)) for flag in LED_BY_FIELDS},
        )
        for o in organisations
    ]
    specialisms = list(Specialism.objects.order_by("slug").values_list("slug", flat=True))
    return market_columns_from_records(rows, tree, specialisms)


def lot_spec(lot: Lot) -> LotSpec:
    return LotSpec(
        name=str(lot),
        areas=tuple(a.slug for a in lot.areas.all()),
        annual_value=lot.estimated_annual_value,
        duration_months=lot.duration_months,
        specialisms=tuple(s.slug for s in lot.specialisms.all()),
        min_turnover_multiple=lot.turnover_multiple,
        min_reserves_months=lot.minimum_reserves_months,
    )


@dataclass(frozen=True)
class LotReport:
    """The report for an opportunity: the core's result, and lots it could not assess."""

    report: AccessibilityReport | None
    skipped: tuple[str, ...]
    market_size: int


def lot_accessibility(opportunity: Opportunity) -> LotReport:
    """The lot accessibility report (PRO-1, PRO-2) over the directory's market. Lots without
    areas or a positive value are listed as skipped, with the reason."""
    lots = list(opportunity.lots.prefetch_related("areas", "specialisms"))
    specs: list[LotSpec] = []
    skipped: list[str] = []
    for lot in lots:
        try:
            specs.append(lot_spec(lot))
        except ValueError as error:
            skipped.append(f"{lot}: {error}")
    if not specs:
        return LotReport(None, tuple(skipped), 0)
    market = directory_market()
    if len(market) == 0:
        # The core's led-by masks need at least one provider (an empty list makes a float array).
        skipped.append("the directory has no provider organisations, so there is no market")
        return LotReport(None, tuple(skipped), 0)
    return LotReport(accessibility_report(market, specs), tuple(skipped), len(market))


@dataclass(frozen=True)
class BudgetCheck:
    per_user: Decimal | None
    good_practice: Decimal | None
    warning: str

    @property
    def realistic(self) -> bool:
        return not self.warning


def budget_realism(opportunity: Opportunity) -> BudgetCheck:
    """PRO-5: warn when the budget per person served is below the good-practice cost recorded.
    A warning, not a refusal: the commissioner decides, but sees it before publishing."""
    per_user = opportunity.budget_per_user
    good = opportunity.good_practice_cost_per_user
    warning = ""
    if per_user is not None and good is not None and per_user < good:
        shortfall = (Decimal(1) - per_user / good) * 100
        warning = (
            f"The budget is £{per_user:,.2f} per person served, {shortfall:.0f}% below the "
            f"£{good:,.2f} cost of good practice you recorded."
        )
    return BudgetCheck(per_user, good, warning)


@dataclass(frozen=True)
class CountRow:
    label: str
    in_scope: int
    eligible: int
    excluded: int


def count_rows(lot: LotAccessibility) -> dict[str, list[CountRow]]:
    """The report's counts for one lot as labelled table rows: overall groups, size bands and
    led-by groups."""

    def row(label: str, counts: Counts) -> CountRow:
        return CountRow(label, counts.in_scope, counts.eligible, counts.excluded)

    return {
        "groups": [
            row("All providers in scope", lot.total),
            row("Small (income under £500,000)", lot.small),
            row("Specialist-led (any led-by group)", lot.specialist_led),
            row("Local charities", lot.local_charities),
        ],
        "size_bands": [
            row(SizeBand(band).label, counts) for band, counts in lot.by_size_band.items()
        ],
        "led_by": [row(LED_BY_FIELDS.get(g, g), counts) for g, counts in lot.by_led_by.items()],
    }
