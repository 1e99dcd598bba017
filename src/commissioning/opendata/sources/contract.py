"""A contract as the UK7 contract details release, and once it has come to a close (ended or
terminated early, :mod:`commissioning.contracts.lifecycle`) the UK11 contract termination
release (LAW-1, LAW-2, LAW-4, PRO-9).

The award the release repeats is the decision's when the contract came from one on the
platform, else the contract's own (:mod:`commissioning.opendata.sources.award`). Its ocid is its
opportunity's, so the opportunity's record gathers tender and contracts. What
the platform does not record (the award decision date, the standstill, the signature date) is
left out. KPIs are the contract's KPI records (:class:`commissioning.contracts.models.Kpi`;
LAW-4: 3 over £5m unless light-touch, and a light-touch contract with none says why). The
outcome measures of its payment mechanism are published as its agreed metrics only while it has
no KPI records, no rationale for having none, and is worth £5m or less: they never count
towards the 3 a contract over £5m needs (docs/open-data.md, "KPIs"). A contract over £5m with
fewer cannot be published (:class:`ContractOcdsError`), and
:func:`notice_status` says so on its page: the commissioner sees the task, the public why the
notice is pending (issue 11 item 7), so no contract stays unpublished silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from commissioning.awards.models import LotAward
from commissioning.contracts.models import Contract, ContractParty
from commissioning.invoices.models import PaymentNotice
from commissioning.opendata.ocds.change import build_contract_change
from commissioning.opendata.ocds.common import JsonDict, ocid_for, release_id
from commissioning.opendata.ocds.contract import KPI_MINIMUM, KPI_THRESHOLD, build_contract
from commissioning.opendata.ocds.data import Contract as OcdsContract
from commissioning.opendata.ocds.data import ContractChange as OcdsContractChange
from commissioning.opendata.ocds.data import (
    ContractEnding,
    ContractPayment,
    ContractPayments,
    Kpi,
    KpiObservation,
    Notice,
    Performance,
    PerformanceFailureRecord,
    Period,
)
from commissioning.opendata.ocds.payment import build_contract_payments
from commissioning.opendata.ocds.performance import build_performance
from commissioning.opendata.ocds.termination import build_contract_termination
from commissioning.opendata.sources.award import award_data, contract_award_data
from commissioning.opendata.sources.common import (
    contract_period,
    day_end,
    day_start,
    ocid_prefix,
    payment_notices,
    whole_value,
)
from commissioning_analytics.timelines.working_days import LONDON

NO_KPIS_RATIONALE = (
    "The contract is worth £5 million or less, so key performance indicators need not be "
    "published (Procurement Act 2023 s.52)."
)


class ContractOcdsError(ValueError):
    """The contract cannot be published as it is (e.g. LAW-4 KPIs missing)."""


def with_ocds_relations(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    parties = ContractParty.objects.select_related("organisation")
    return queryset.select_related(
        "commissioning_body", "prime", "lot__opportunity"
    ).prefetch_related(
        Prefetch("parties", queryset=parties),
        "lot__opportunity__lots",
        payment_notices(),
        "kpis",
        "changes",
        "performance_failures",
        "assessments__ratings__kpi",
    )


def published_contracts() -> QuerySet[Contract]:
    """Every contract whose opportunity is not a draft."""
    return with_ocds_relations(Contract.objects.exclude(lot__opportunity__status="draft"))


def kpis(contract: Contract) -> tuple[Kpi, ...]:
    """The contract's agreed metrics (LAW-4, issue 15 item 3): its KPI records; while it has
    none, no rationale for having none and is worth £5m or less, the outcome measures of its
    payment mechanism (what it measures anyway, so its UK7 says something rather than nothing).
    Over £5m only KPI records count: an outcome measure is what the prime is paid on, not a KPI
    the commissioner agreed and assesses."""
    records = list(contract.kpis.all())
    if records:
        return tuple(
            Kpi(
                f"kpi-{record.pk}",
                record.name,
                f"{record.measure} Assessed {record.get_frequency_display().lower()}; "
                f"data source: {record.get_data_source_display()}.",
                record.target,
            )
            for record in records
        )
    if contract.no_kpis_rationale.strip() or whole_value(contract) > KPI_THRESHOLD:
        return ()
    out = []
    for measure in contract.mechanism.get("measures", []):
        ident = str(measure.get("id", ""))
        description = str(measure.get("description") or "")
        if not description:
            description = f"{measure.get('kind', 'outcome')} measure".capitalize()
        out.append(Kpi(ident, ident.replace("-", " ").capitalize(), description))
    return tuple(out)


def kpis_missing(contract: Contract) -> int:
    """How many more KPIs the contract needs before its UK7 can be published (LAW-4): none for
    a light-touch contract (which says why it has none instead)."""
    if contract.is_light_touch or whole_value(contract) <= KPI_THRESHOLD:
        return 0
    return max(0, KPI_MINIMUM - len(kpis(contract)))


def kpi_task(missing: int) -> str:
    """The commissioner's task, in the words the contract page and the API use."""
    kpi = "KPI" if missing == 1 else "KPIs"
    return f"Add {missing} more {kpi} before the contract details notice can be published"


@dataclass(frozen=True)
class NoticeStatus:
    """Whether the contract details notice (UK7) is published, and if not, why (issue 11
    item 7): ``kpis`` agreed so far, ``kpis_missing`` to reach the minimum over £5m."""

    published: bool
    kpis: int
    kpis_missing: int
    draft_opportunity: bool
    value: Decimal
    kpi_minimum: int = KPI_MINIMUM
    kpi_threshold: Decimal = KPI_THRESHOLD

    @property
    def task(self) -> str:
        return kpi_task(self.kpis_missing) if self.kpis_missing else ""

    @property
    def threshold_label(self) -> str:
        return f"£{self.kpi_threshold / 1_000_000:g} million"


def notice_status(contract: Contract) -> NoticeStatus:
    """The contract's UK7 as open data: published, or pending with the reason."""
    draft = contract.lot.opportunity.status == "draft"
    missing = kpis_missing(contract)
    return NoticeStatus(
        published=not draft and not missing,
        kpis=len(kpis(contract)),
        kpis_missing=missing,
        draft_opportunity=draft,
        value=whole_value(contract),
    )


def kpi_error(contract: Contract) -> ContractOcdsError:
    """The refusal of a UK7 without enough KPIs, with what to do about it."""
    missing = kpis_missing(contract)
    return ContractOcdsError(
        f"{kpi_task(missing)}: a contract worth more than £{KPI_THRESHOLD:,.0f} publishes at "
        f"least {KPI_MINIMUM} key performance indicators, and {contract.reference} has "
        f"{len(kpis(contract))}. Add them on its Performance page: the outcome measures of its "
        "payment mechanism do not count as KPIs."
    )


def contract_data(contract: Contract, site: str, award: LotAward | None = None) -> OcdsContract:
    """The contract as the UK7 and UK11 builders take it, repeating ``award`` (the decision the
    contract came from) when there is one; raises :class:`ContractOcdsError` when its KPIs
    are missing (LAW-4)."""
    if kpis_missing(contract):
        raise kpi_error(contract)
    value = whole_value(contract)
    agreed = kpis(contract)
    rationale = contract.no_kpis_rationale.strip() or None
    if award is not None:
        decided = award_data(award, site)
        if not agreed and not rationale and value <= KPI_THRESHOLD:
            rationale = NO_KPIS_RATIONALE
    else:
        decided = contract_award_data(contract, site)
    return OcdsContract(
        reference=contract.lot.opportunity.reference,
        id=contract.reference,
        award=decided,
        title=contract.title,
        value=value,
        period=contract_period(contract),
        date_signed=None,
        notice=Notice(
            published=contract.created_at, url=site.rstrip("/") + contract.get_absolute_url()
        ),
        kpis=agreed,
        no_kpis_rationale=rationale if not agreed else None,
        light_touch=contract.is_light_touch,
    )


def _named(release: JsonDict, code: str, contract: Contract, published: datetime) -> JsonDict:
    # Two contracts of one opportunity may be noticed in the same second: name the contract.
    ocid = ocid_for(contract.lot.opportunity.reference, ocid_prefix())
    release["id"] = release_id(ocid, f"{code}-{contract.reference}", published.astimezone(UTC))
    return release


def contract_release(contract: Contract, site: str, award: LotAward | None = None) -> JsonDict:
    """The UK7 release, repeating ``award`` (the decision the contract came from) when there is
    one; raises :class:`ContractOcdsError` when it cannot be published."""
    data = contract_data(contract, site, award)
    try:
        release = build_contract(data, prefix=ocid_prefix())
    except ValueError as error:
        raise ContractOcdsError(str(error)) from error
    return _named(release, "UK7", contract, contract.created_at)


def termination_release(
    contract: Contract, site: str, award: LotAward | None = None
) -> JsonDict | None:
    """The UK11 contract termination release once the contract has ended or been terminated
    (``None`` while it is active), dated when that was recorded; raises
    :class:`ContractOcdsError` when the contract cannot be published."""
    if contract.status in (Contract.Status.MOBILISING, Contract.Status.ACTIVE):
        return None
    if contract.ended_on is None:
        return None
    recorded = contract.end_recorded_at
    assert recorded is not None
    page = site.rstrip("/") + contract.get_absolute_url()
    early = contract.status == Contract.Status.TERMINATED
    ending = ContractEnding(
        contract=contract_data(contract, site, award),
        ended=datetime.combine(contract.ended_on, time(23, 59, 59), LONDON),
        notice=Notice(published=recorded, url=page),
        early=early,
        reason=contract.termination_reason if early else None,
    )
    try:
        release = build_contract_termination(ending, prefix=ocid_prefix())
    except ValueError as error:
        raise ContractOcdsError(str(error)) from error
    return _named(release, "UK11", contract, recorded)


def payment_notice_release(
    notice: PaymentNotice, contract: Contract, site: str, award: LotAward | None = None
) -> JsonDict:
    """The UK8 release of a stored notice; raises :class:`ContractOcdsError` when the contract
    cannot be published."""
    data = contract_data(contract, site, award)
    payer = data.award.buyer
    payee = data.award.suppliers[0]
    payments = tuple(
        ContractPayment(
            id=f"payment-{payment.pk}",
            paid=day_start(payment.paid_on),
            amount=payment.amount,
            payer=payer,
            payee=payee,
        )
        for payment in sorted(notice.payments.all(), key=lambda p: (p.paid_on, p.pk))
    )
    page = site.rstrip("/") + contract.get_absolute_url() + "invoices/#payment-notices"
    release = build_contract_payments(
        ContractPayments(
            contract=data,
            quarter=Period(day_start(notice.quarter_start), day_end(notice.quarter_end)),
            payments=payments,
            notice=Notice(published=notice.published_at, url=page),
        ),
        prefix=ocid_prefix(),
    )
    return _named(release, f"UK8-{notice.quarter_start:%Y%m%d}", contract, notice.published_at)


def payment_notice_releases(
    contract: Contract, site: str, award: LotAward | None = None
) -> list[JsonDict]:
    """The UK8 releases of the contract's published notices, oldest first."""
    return [
        payment_notice_release(notice, contract, site, award)
        for notice in contract.payment_notices.all()
    ]


def performance_releases(
    contract: Contract, site: str, award: LotAward | None = None
) -> list[JsonDict]:
    """A UK9 contract performance release per assessment of the contract's KPIs, dated when it
    was recorded, with the performance failures decided by then."""
    assessments = list(contract.assessments.all())
    if not assessments:
        return []
    data = contract_data(contract, site, award)
    page = site.rstrip("/") + reverse("contracts:performance", args=[contract.reference])
    failures = list(contract.performance_failures.all())
    out = []
    for assessment in assessments:
        observations = tuple(
            KpiObservation(
                kpi=Kpi(
                    f"kpi-{rating.kpi.pk}",
                    rating.kpi.name,
                    rating.kpi.measure,
                    rating.kpi.target,
                ),
                rating=rating.rating,  # type: ignore[arg-type]
                result=rating.result,
                comment=rating.comment or None,
            )
            for rating in assessment.ratings.all()
        )
        performance = Performance(
            contract=data,
            id=f"{contract.reference}-assessment-{assessment.pk}",
            period=Period(
                datetime.combine(assessment.period_start, time(0, 0), LONDON),
                datetime.combine(assessment.period_end, time(23, 59, 59), LONDON),
            ),
            observations=observations,
            notice=Notice(published=assessment.recorded_at, url=page),
            final=assessment.is_final,
            failures=tuple(
                PerformanceFailureRecord(
                    id=f"{contract.reference}-failure-{failure.pk}",
                    requirement=failure.requirement,
                    description=failure.description,
                    decided=datetime.combine(failure.decided_on, time(12, 0), LONDON),
                    penalty_type=failure.penalty_type,  # type: ignore[arg-type]
                    penalty_value=failure.penalty_value,
                )
                for failure in failures
                if failure.recorded_at <= assessment.recorded_at
            ),
        )
        try:
            release = build_performance(performance, prefix=ocid_prefix())
        except ValueError as error:
            raise ContractOcdsError(str(error)) from error
        out.append(_named(release, f"UK9-{assessment.pk}", contract, assessment.recorded_at))
    return out


def change_releases(contract: Contract, site: str, award: LotAward | None = None) -> list[JsonDict]:
    """A UK10 contract change release per change recorded, dated when it was recorded, with the
    contract's value and period as they stood after it."""
    out = []
    page = site.rstrip("/") + contract.get_absolute_url()
    changes = list(contract.changes.all())
    base = contract_data(contract, site, award) if changes else None
    for change in changes:
        assert base is not None
        annual = change.new_annual_value or change.previous_annual_value
        end = change.new_end_date or change.previous_end_date
        then = Contract(start_date=contract.start_date, end_date=end, annual_value=annual)
        as_changed = dataclass_replace(
            base,
            value=whole_value(then),
            period=Period(base.period.start, datetime.combine(end, time(23, 59, 59), LONDON)),
        )
        try:
            release = build_contract_change(
                OcdsContractChange(
                    contract=as_changed,
                    id=f"{contract.reference}-change-{change.pk}",
                    kind=change.kind,  # type: ignore[arg-type]
                    description=change.description,
                    reason=change.reason,
                    notice=Notice(published=change.recorded_at, url=page),
                ),
                prefix=ocid_prefix(),
            )
        except ValueError as error:
            raise ContractOcdsError(str(error)) from error
        out.append(_named(release, f"UK10-{change.pk}", contract, change.recorded_at))
    return out


def notices_of(contract: Contract, site: str, award: LotAward | None = None) -> list[JsonDict]:
    """The contract's UK7, a UK10 per change, its UK8 contract payment notices, a UK9 per
    assessment and, once it has come to a close, its UK11, oldest first; raises
    :class:`ContractOcdsError` when it cannot be published."""
    ended = termination_release(contract, site, award)
    releases = [
        contract_release(contract, site, award),
        *change_releases(contract, site, award),
        *payment_notice_releases(contract, site, award),
        *performance_releases(contract, site, award),
        *([ended] if ended else []),
    ]
    return sorted(releases, key=lambda r: (r["date"], r["id"]))


def releases_of(contracts: Any, site: str) -> list[JsonDict]:
    """UK7 (and UK11) releases of the contracts made without an award decision that can be
    published (others are left out)."""
    out = []
    for contract in contracts:
        try:
            out.extend(notices_of(contract, site))
        except ContractOcdsError:
            continue
    return out
