"""Plain, framework-free inputs for the OCDS builders (LAW-1, LAW-2, LAW-4, PRO-9).

:mod:`commissioning.opendata.sources` maps the platform's records onto these frozen
dataclasses (the worked example and the tests build them by hand); nothing in
:mod:`commissioning.opendata.ocds` imports Django (an import contract checks it). Money is
``Decimal`` (pounds sterling unless a currency is given); every datetime must be timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

Scale = Literal["sme", "large"]


@dataclass(frozen=True)
class Period:
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Party:
    """An organisation in the process. ``scale``/``vcse`` are the LAW-2 supplier statuses."""

    id: str
    name: str
    roles: tuple[str, ...]
    identifier_scheme: str | None = None  # e.g. "GB-CHC", "GB-COH", "GB-PPON"
    identifier_id: str | None = None
    region: str | None = None  # e.g. a NUTS/ITL code "UKD72" or a region name
    scale: Scale | None = None
    vcse: bool | None = None
    role_details: str | None = None  # UK extension ``roleDetails``: lead or member of a consortium


@dataclass(frozen=True)
class DocumentRef:
    """A published document other than the notice itself (specification, Q&A log...)."""

    id: str
    title: str
    url: str
    document_type: str  # OCDS documentType codelist, e.g. "tenderNotice", "technicalSpecifications"
    related_lots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """When and where a Procurement Act notice was published on our platform."""

    published: datetime
    url: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    description: str
    classification_id: str  # CPV code, e.g. "85312000"
    classification_description: str | None = None
    related_lot: str | None = None


@dataclass(frozen=True)
class Criterion:
    """An award criterion and its weight in percent (EVA-1); type is price, cost or quality."""

    name: str
    type: Literal["price", "cost", "quality"]
    weight_percent: Decimal
    description: str | None = None


@dataclass(frozen=True)
class Lot:
    id: str
    title: str
    description: str
    value: Decimal
    suitable_for_sme: bool
    suitable_for_vcse: bool
    contract_period: Period | None = None
    subcontracting_terms: str | None = None


@dataclass(frozen=True)
class EngagementActivity:
    """A published consultation or market engagement event (CYC-2, CYC-3), as a UK2 milestone:
    ``due`` is when it closes (consultation) or takes place (event); ``met`` once that is past."""

    id: str
    title: str
    description: str
    due: datetime
    met: bool = False


@dataclass(frozen=True)
class PlanningStage:
    """Preliminary market engagement (UK2)."""

    reference: str
    title: str
    description: str
    buyer: Party
    engagement_period: Period
    notice: Notice
    estimated_value: Decimal | None = None
    rationale: str | None = None
    budget_description: str | None = None
    activities: tuple[EngagementActivity, ...] = ()


@dataclass(frozen=True)
class Enquiry:
    """A published clarification question and its answer (PRO-4), anonymised: the question as
    the commissioners published it, never who asked."""

    id: str
    question: str
    answer: str
    asked: datetime
    answered: datetime
    related_lot: str | None = None


@dataclass(frozen=True)
class Pipeline:
    """A procurement the buyer expects to run, as its pipeline notice (UK1): announced while the
    exercise plans it (PA 2023 s.93). ``estimated_value`` is the estimated annual value."""

    reference: str
    title: str
    description: str
    buyer: Party
    notice: Notice
    estimated_value: Decimal


@dataclass(frozen=True)
class Tender:
    """An opportunity as tendered (UK4). Give ``no_lots_rationale`` when ``lots`` is empty;
    ``sme_barriers`` is the statement of how barriers facing SMEs and VCSEs were considered
    (PA 2023 s.12(4), LAW-2)."""

    reference: str
    title: str
    description: str
    buyer: Party
    value: Decimal
    tender_period: Period
    enquiry_period: Period
    notice: Notice
    suitable_for_sme: bool
    suitable_for_vcse: bool
    lots: tuple[Lot, ...] = ()
    items: tuple[Item, ...] = ()
    documents: tuple[DocumentRef, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    award_criteria_details: str | None = None
    no_lots_rationale: str | None = None
    subcontracting_terms: str | None = None
    procurement_method: Literal["open", "selective", "limited", "direct"] = "open"
    procurement_method_details: str | None = None
    submission_method_details: str | None = None
    enquiries: tuple[Enquiry, ...] = ()
    has_enquiries: bool = True
    sme_barriers: str | None = None


@dataclass(frozen=True)
class Cancellation:
    """Procurement termination (UK12). ``reason_code`` is a key of CANCELLATION_REASONS."""

    tender: Tender
    reason_code: str
    reason: str
    cancelled_at: datetime
    notice: Notice


@dataclass(frozen=True)
class BidStatistics:
    """Counts of bids; ``final_stage_*`` feed the UK bidStatistics codes (LAW-2)."""

    bids: int
    final_stage_bids: int
    sme_final_stage_bids: int
    vcse_final_stage_bids: int
    related_lot: str | None = None


@dataclass(frozen=True)
class Subcontract:
    """A sub-contractor named in the winning bid's supply chain (PRO-7)."""

    id: str
    subcontractor: Party
    description: str
    value: Decimal | None = None


@dataclass(frozen=True)
class Award:
    """Contract award (UK6); starts a standstill of at least 8 working days.

    ``decision_date`` and ``standstill`` are required for the UK6 notice; a UK7 release may
    repeat an award whose decision was not recorded on the platform (``None``: left out)."""

    reference: str
    id: str
    title: str
    buyer: Party
    suppliers: tuple[Party, ...]
    value: Decimal
    decision_date: datetime | None
    standstill: Period | None
    notice: Notice
    related_lots: tuple[str, ...] = ()
    statistics: tuple[BidStatistics, ...] = ()
    subcontracts: tuple[Subcontract, ...] = ()
    contract_period: Period | None = None
    criteria: tuple[Criterion, ...] = ()  # as applied; published on the related lots


@dataclass(frozen=True)
class Kpi:
    """A key performance indicator agreed on the contract (LAW-4)."""

    id: str
    title: str
    description: str
    target: str | None = None


@dataclass(frozen=True)
class Contract:
    """Contract details (UK7); over £5m it must carry at least 3 KPIs unless it is a
    light-touch contract, which then says why none were set (LAW-4).
    ``date_signed`` is left out of the release when it is not known (``None``)."""

    reference: str
    id: str
    award: Award
    title: str
    value: Decimal
    period: Period
    date_signed: datetime | None
    notice: Notice
    kpis: tuple[Kpi, ...] = field(default=())
    no_kpis_rationale: str | None = None
    light_touch: bool = False


@dataclass(frozen=True)
class ContractEnding:
    """A contract come to a close (UK11 contract termination notice, LAW-1): at the end of its
    term, or terminated early (``early``) with the ``reason``; ``ended`` is the last moment it
    ran. The OCDS contract status is then ``terminated`` either way, as the codelist says."""

    contract: Contract
    ended: datetime
    notice: Notice
    early: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class ContractPayment:
    """One payment by the buyer to the contract's supplier (UK8 contract payment notice):
    ``paid`` is the day it was paid (timezone-aware)."""

    id: str
    paid: datetime
    amount: Decimal
    payer: Party
    payee: Party


@dataclass(frozen=True)
class ContractPayments:
    """The payments over £30,000 made under a contract in one quarter (``quarter``), published
    as a UK8 contract payment notice after the quarter's end (LAW-1)."""

    contract: Contract
    quarter: Period
    payments: tuple[ContractPayment, ...]
    notice: Notice


@dataclass(frozen=True)
class PaymentsCompliance:
    """A buyer's payments compliance figures for one six-month reporting period (UK17, LAW-3):
    shares are percentages (``None`` when nothing was paid or fell due)."""

    reference: str
    buyer: Party
    period: Period
    invoices_paid: int
    average_days_to_pay: Decimal | None
    paid_in_1_to_30_days: Decimal | None
    paid_in_31_to_60_days: Decimal | None
    paid_in_61_days_or_more: Decimal | None
    invoices_fell_due: int
    due_but_unpaid: Decimal | None
    notice: Notice


#: A KPI's rating in an assessment: the platform's words (as the Act's guidance rates them).
Rating = Literal["good", "approaching", "requires_improvement", "inadequate", "other"]


@dataclass(frozen=True)
class KpiObservation:
    """One KPI as an assessment rated it: ``result`` is what was observed in the period."""

    kpi: Kpi
    rating: Rating
    result: str
    comment: str | None = None


@dataclass(frozen=True)
class PerformanceFailureRecord:
    """A breach or performance failure and its penalty, decided on ``decided``."""

    id: str
    requirement: str
    description: str
    decided: datetime
    penalty_type: Literal["contracted", "imposed", "negotiated"]
    penalty_value: Decimal | None = None


@dataclass(frozen=True)
class Performance:
    """An assessment of the contract's KPIs over ``period`` (UK9 contract performance notice,
    LAW-1, LAW-4), with the performance failures recorded by then."""

    contract: Contract
    id: str
    period: Period
    observations: tuple[KpiObservation, ...]
    notice: Notice
    final: bool = False
    failures: tuple[PerformanceFailureRecord, ...] = ()


@dataclass(frozen=True)
class ContractChange:
    """A change to the contract in force (UK10 contract change notice, LAW-1): ``contract`` is
    the contract as changed (its value and period after the change)."""

    contract: Contract
    id: str
    kind: Literal["value", "term", "scope", "supply_chain"]
    description: str
    reason: str
    notice: Notice
