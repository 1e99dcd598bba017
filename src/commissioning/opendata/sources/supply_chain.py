"""Submitted supply-chain returns → the builder's dataclasses (SUP-1): each return's lines with
their states, and the prime's payments to its sub-contractors in the quarter (read through
:mod:`commissioning.invoices.queries`)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.db.models import QuerySet

from commissioning.awards.models import LotAward
from commissioning.contracts.models import Contract
from commissioning.invoices.queries import subcontractor_payments
from commissioning.opendata.ocds.common import JsonDict, ocid_for, release_id
from commissioning.opendata.ocds.data import Notice
from commissioning.opendata.ocds.supply_chain import (
    ReturnLine,
    SubcontractPayment,
    SupplyChainReturn,
    build_supply_chain_return,
)
from commissioning.opendata.sources.common import ocid_prefix, organisation_party
from commissioning.opendata.sources.contract import contract_data
from commissioning.supply_returns.models import ReturnLine as LineRecord
from commissioning.supply_returns.models import SupplyReturn
from commissioning.supply_returns.quarters import label_of
from commissioning_analytics.timelines.working_days import LONDON


def submitted_returns(contract: Contract) -> QuerySet[SupplyReturn]:
    return SupplyReturn.objects.filter(
        contract=contract, status=SupplyReturn.Status.SUBMITTED
    ).order_by("quarter_start")


def _published(supply_return: SupplyReturn, lines: list[LineRecord]) -> datetime:
    """The submission, or the latest answer since: the release as it stands now."""
    assert supply_return.submitted_at is not None
    moments = [supply_return.submitted_at, *(x.responded_at for x in lines if x.responded_at)]
    return max(moments)


def return_data(
    supply_return: SupplyReturn, site: str, award: LotAward | None = None
) -> SupplyChainReturn:
    contract = supply_return.contract
    lines = list(supply_return.lines.select_related("organisation", "party"))
    prime = organisation_party(contract.prime, supplier=True)
    payments = tuple(
        SubcontractPayment(
            id=f"payment-{payment.pk}",
            paid=datetime.combine(payment.paid_on, time(12, 0), LONDON),
            amount=payment.amount,
            payer=prime,
            payee=organisation_party(payment.invoice.issuer, supplier=True),
        )
        for payment in subcontractor_payments(
            contract, supply_return.quarter_start, supply_return.quarter_end
        )
    )
    csv_url = site.rstrip("/") + supply_return.get_absolute_url() + "return.csv"
    return SupplyChainReturn(
        contract=contract_data(contract, site, award),
        quarter=supply_return.quarter_code,
        label=label_of(supply_return.quarter_start),
        notice=Notice(published=_published(supply_return, lines), url=csv_url),
        lines=tuple(
            ReturnLine(
                id=f"{contract.reference}-{line.party.party_id}",
                subcontractor=organisation_party(line.organisation, supplier=True),
                services=line.services,
                received=line.referrals_received,
                started=line.referrals_started,
                completed=line.referrals_completed,
                paid=line.amount_paid,
                state=LineRecord.Status(line.status).label,
            )
            for line in lines
        ),
        payments=payments,
    )


def return_release(
    supply_return: SupplyReturn, site: str, award: LotAward | None = None
) -> JsonDict:
    """The return's implementation update; raises ``ContractOcdsError`` as the contract's own
    releases do when the contract cannot be published."""
    data = return_data(supply_return, site, award)
    release = build_supply_chain_return(data, prefix=ocid_prefix())
    contract = supply_return.contract
    ocid = ocid_for(contract.lot.opportunity.reference, ocid_prefix())
    code = f"SCR-{supply_return.quarter_code}-{contract.reference}"
    release["id"] = release_id(ocid, code, data.notice.published.astimezone(UTC))
    return release


def releases_of(contract: Contract, site: str, award: LotAward | None = None) -> list[JsonDict]:
    return [return_release(r, site, award) for r in submitted_returns(contract)]
