"""A contract as the UK7 contract details release (LAW-1, LAW-2, LAW-4, PRO-9).

The award the release repeats is the decision's when the contract came from one on the
platform, else the contract's own (:mod:`commissioning.opendata.sources.award`). Its ocid is its
opportunity's, so the opportunity's record gathers tender and contracts. What
the platform does not record (the award decision date, the standstill, the signature date) is
left out. KPIs are the outcome measures of the payment mechanism (LAW-4: 3 over £5m);
a contract over £5m with fewer cannot be published (:class:`ContractOcdsError`), and
:func:`notice_status` says so on its page: the commissioner sees the task, the public why the
notice is pending (issue 11 item 7), so no contract stays unpublished silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from commissioning.awards.models import LotAward
from commissioning.contracts.models import Contract, ContractParty
from commissioning.opendata.ocds.common import JsonDict, ocid_for, release_id
from commissioning.opendata.ocds.contract import KPI_MINIMUM, KPI_THRESHOLD, build_contract
from commissioning.opendata.ocds.data import Contract as OcdsContract
from commissioning.opendata.ocds.data import Kpi, Notice
from commissioning.opendata.sources.award import award_data, contract_award_data
from commissioning.opendata.sources.common import contract_period, ocid_prefix, whole_value

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
    ).prefetch_related(Prefetch("parties", queryset=parties), "lot__opportunity__lots")


def published_contracts() -> QuerySet[Contract]:
    """Every contract whose opportunity is not a draft."""
    return with_ocds_relations(Contract.objects.exclude(lot__opportunity__status="draft"))


def kpis(contract: Contract) -> tuple[Kpi, ...]:
    out = []
    for measure in contract.mechanism.get("measures", []):
        ident = str(measure.get("id", ""))
        description = str(measure.get("description") or "")
        if not description:
            description = f"{measure.get('kind', 'outcome')} measure".capitalize()
        out.append(Kpi(ident, ident.replace("-", " ").capitalize(), description))
    return tuple(out)


def kpis_missing(contract: Contract) -> int:
    """How many more KPIs the contract needs before its UK7 can be published (LAW-4)."""
    if whole_value(contract) <= KPI_THRESHOLD:
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
        f"{len(kpis(contract))}. Its KPIs are the outcome measures of its payment mechanism."
    )


def contract_release(contract: Contract, site: str, award: LotAward | None = None) -> JsonDict:
    """The UK7 release, repeating ``award`` (the decision the contract came from) when there is
    one; raises :class:`ContractOcdsError` when it cannot be published."""
    if kpis_missing(contract):
        raise kpi_error(contract)
    opportunity = contract.lot.opportunity
    value = whole_value(contract)
    agreed = kpis(contract)
    published = contract.created_at
    page = site.rstrip("/") + contract.get_absolute_url()
    rationale = None
    if award is not None:
        decided = award_data(award, site)
        if not agreed and value <= KPI_THRESHOLD:
            rationale = NO_KPIS_RATIONALE
    else:
        decided = contract_award_data(contract, site)
    data = OcdsContract(
        reference=opportunity.reference,
        id=contract.reference,
        award=decided,
        title=contract.title,
        value=value,
        period=contract_period(contract),
        date_signed=None,
        notice=Notice(published=published, url=page),
        kpis=agreed,
        no_kpis_rationale=rationale,
    )
    try:
        release = build_contract(data, prefix=ocid_prefix())
    except ValueError as error:
        raise ContractOcdsError(str(error)) from error
    # Two contracts of one opportunity may be created in the same second: name the contract.
    ocid = ocid_for(opportunity.reference, ocid_prefix())
    release["id"] = release_id(ocid, f"UK7-{contract.reference}", published.astimezone(UTC))
    return release


def releases_of(contracts: Any, site: str) -> list[JsonDict]:
    """UK7 releases of the contracts made without an award decision that can be published
    (others are left out)."""
    out = []
    for contract in contracts:
        try:
            out.append(contract_release(contract, site))
        except ContractOcdsError:
            continue
    return out
