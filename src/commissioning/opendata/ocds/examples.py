"""A worked example of one contracting process at every stage (LAW-1, LAW-2, LAW-4, PRO-9).

Synthetic data: used by the tests as fixtures and by docs/open-data.md; a two-lot women's
resettlement opportunity whose lot 1 is awarded (over £5m, so with 3 KPIs) to a VCSE prime that
names a VCSE sub-contractor.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from commissioning.opendata.ocds.data import (
    Award,
    BidStatistics,
    Cancellation,
    Contract,
    Criterion,
    DocumentRef,
    EngagementActivity,
    Enquiry,
    Item,
    Kpi,
    Lot,
    Notice,
    Party,
    Period,
    PlanningStage,
    Subcontract,
    Tender,
)
from commissioning_analytics.timelines.working_days import LONDON

REF = "CE-2026-0001"
BASE = "https://commissioning.example.org/exercises/CE-2026-0001"


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=LONDON)


BUYER = Party(
    id="GB-GOR-PB1",
    name="North West Probation Commissioning",
    roles=("buyer",),
    identifier_scheme="GB-GOR",
    identifier_id="PB1",
    region="UKD",
)
PRIME = Party(
    id="GB-CHC-1100001",
    name="Pathways Trust",
    roles=("supplier",),
    identifier_scheme="GB-CHC",
    identifier_id="1100001",
    region="UKD72",
    scale="sme",
    vcse=True,
)
SUB = Party(
    id="GB-CHC-1100002",
    name="Women's Centre Bolton",
    roles=("subcontractor",),
    identifier_scheme="GB-CHC",
    identifier_id="1100002",
    region="UKD3",
    scale="sme",
    vcse=True,
)


def planning() -> PlanningStage:
    return PlanningStage(
        reference=REF,
        title="Resettlement services for women",
        description="Preliminary market engagement on accommodation and resettlement support.",
        buyer=BUYER,
        engagement_period=Period(at(1, 5), at(2, 27, 17)),
        notice=Notice(published=at(1, 5, 9), url=f"{BASE}/engagement/"),
        estimated_value=Decimal("7000000"),
        rationale="Needs assessment showed gaps in women's resettlement support.",
        budget_description="Estimated value over three years",
        activities=(
            EngagementActivity(
                "consultation-1",
                "Consultation: what women leaving prison need",
                "Open to providers, partners and people with lived experience.",
                at(2, 27, 17),
                met=True,
            ),
            EngagementActivity(
                "event-1", "Market engagement event: provider day", "Proposed lots.", at(2, 10)
            ),
        ),
    )


def lots() -> tuple[Lot, ...]:
    return (
        Lot(
            id="1",
            title="Greater Manchester",
            description="Resettlement support in Greater Manchester.",
            value=Decimal("6000000"),
            suitable_for_sme=True,
            suitable_for_vcse=True,
            contract_period=Period(at(9, 1, 0), datetime(2029, 8, 31, 23, 59, tzinfo=LONDON)),
            subcontracting_terms="Sub-contractors must be paid within 30 days.",
        ),
        Lot(
            id="2",
            title="Lancashire and Cumbria",
            description="Resettlement support in Lancashire and Cumbria.",
            value=Decimal("950000.50"),
            suitable_for_sme=True,
            suitable_for_vcse=False,
        ),
    )


CRITERIA = (
    Criterion("Price", "price", Decimal("30")),
    Criterion("Service model", "quality", Decimal("55")),
    Criterion("Social value", "quality", Decimal("15")),
)


def tender() -> Tender:
    return Tender(
        reference=REF,
        title="Resettlement services for women",
        description="Accommodation and resettlement support for women on probation.",
        buyer=BUYER,
        value=Decimal("6950000.50"),
        tender_period=Period(at(3, 2, 9), at(5, 25, 12)),
        enquiry_period=Period(at(3, 2, 9), at(5, 4, 17)),
        notice=Notice(published=at(3, 2, 9), url=f"{BASE}/opportunity/"),
        suitable_for_sme=True,
        suitable_for_vcse=True,
        lots=lots(),
        items=(
            Item("1", "Resettlement support", "85312000", "Social work services", "1"),
            Item("2", "Resettlement support", "85312000", "Social work services", "2"),
        ),
        documents=(
            DocumentRef("spec-1", "Specification", f"{BASE}/spec.pdf", "technicalSpecifications"),
        ),
        criteria=CRITERIA,
        award_criteria_details="Price 30%, quality 55%, social value 15%.",
        enquiries=(
            Enquiry(
                "question-1",
                "Will staff transfer under TUPE for lot 1?",
                "Yes: six staff may transfer; anonymised data is in the annex.",
                at(3, 9, 10),
                at(3, 12, 16),
                related_lot="1",
            ),
        ),
        subcontracting_terms="Named sub-contractors must confirm their role before bids are sent.",
        procurement_method_details="Competitive flexible procedure",
        sme_barriers="Two lots by area keep each contract small enough for local charities.",
    )


def cancellation() -> Cancellation:
    return Cancellation(
        tender=tender(),
        reason_code="noCompliantBids",
        reason="No bid met the financial standing conditions for lot 2.",
        cancelled_at=at(6, 1, 10),
        notice=Notice(published=at(6, 1, 10), url=f"{BASE}/termination/"),
    )


def award() -> Award:
    return Award(
        reference=REF,
        id="award-1",
        title="Lot 1: Greater Manchester",
        buyer=BUYER,
        suppliers=(PRIME,),
        value=Decimal("6000000"),
        decision_date=at(7, 1, 10),
        standstill=Period(at(7, 1, 10), at(7, 13, 23)),
        notice=Notice(published=at(7, 1, 10), url=f"{BASE}/award/"),
        related_lots=("1",),
        statistics=(BidStatistics(5, 4, 3, 2, related_lot="1"),),
        subcontracts=(
            Subcontract(
                "sub-1", SUB, "Women's centre support: 120 referrals a year", Decimal("90000")
            ),
        ),
        contract_period=Period(at(9, 1, 0), datetime(2029, 8, 31, 23, 59, tzinfo=LONDON)),
        criteria=CRITERIA,
    )


KPIS = (
    Kpi("kpi-1", "Accommodation on release", "Share of women in settled accommodation on release"),
    Kpi("kpi-2", "Engagement", "Share of referrals engaged within 5 working days"),
    Kpi("kpi-3", "Sub-contractor payment", "Share of sub-contractor invoices paid within 30 days"),
)


def contract(kpis: tuple[Kpi, ...] = KPIS) -> Contract:
    return Contract(
        reference=REF,
        id="contract-1",
        award=award(),
        title="Resettlement services for women: Greater Manchester",
        value=Decimal("6000000"),
        period=Period(at(9, 1, 0), datetime(2029, 8, 31, 23, 59, tzinfo=LONDON)),
        date_signed=at(8, 20, 15),
        notice=Notice(published=at(8, 21, 9), url=f"{BASE}/contract/"),
        kpis=kpis,
    )
