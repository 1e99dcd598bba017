"""The UK7 contract details notice (LAW-2, LAW-4): section ``contracts``, documentType
``contractNotice``, tags ``awardUpdate`` and ``contract``; the award it comes from is repeated as
``active``, and the contract's KPIs are its ``agreedMetrics`` (metrics extension).
"""

from __future__ import annotations

from decimal import Decimal

from commissioning.opendata.ocds.award import award_parties, award_section
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    money,
    notice_document,
    ocid_for,
    period,
)
from commissioning.opendata.ocds.data import Contract, Kpi

#: LAW-4: contracts above this value must carry at least KPI_MINIMUM KPIs.
KPI_THRESHOLD = Decimal("5000000")
KPI_MINIMUM = 3


def check_kpis(contract: Contract) -> None:
    """LAW-4: over £5m a contract needs at least 3 KPIs (no rationale can replace them), unless
    it is a light-touch contract; a light-touch contract with none says why."""
    if contract.light_touch:
        if not contract.kpis and not (contract.no_kpis_rationale or "").strip():
            raise ValueError(
                f"light-touch contract {contract.id} sets no KPIs and does not say why"
            )
        return
    if contract.value > KPI_THRESHOLD and len(contract.kpis) < KPI_MINIMUM:
        raise ValueError(
            f"contract {contract.id} is worth more than £5m and has {len(contract.kpis)} KPIs; "
            f"at least {KPI_MINIMUM} are required"
        )


def agreed_metric(kpi: Kpi) -> JsonDict:
    """A KPI as an agreed metric; its target, when set, is the metric's target observation."""
    metric: JsonDict = {"id": kpi.id, "title": kpi.title, "description": kpi.description}
    if kpi.target:
        metric["observations"] = [{"id": f"{kpi.id}-target", "measure": kpi.target}]
    return metric


def build_contract(contract: Contract, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK7 contract details notice: suppliers' SME/VCSE status, KPIs (LAW-2, LAW-4)."""
    check_kpis(contract)
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(ocid, "UK7", contract.notice, ["awardUpdate", "contract"], award.buyer)
    release["parties"] = award_parties(award)
    release["awards"] = [award_section(award, "active")]
    section: JsonDict = {
        "id": contract.id,
        "awardID": award.id,
        "title": contract.title,
        "status": "active",
        "value": money(contract.value),
        "period": period(contract.period),
        "documents": [
            notice_document(
                ocid, "UK7", "contractNotice", "Contract details notice", contract.notice
            )
        ],
    }
    if contract.date_signed is not None:
        section["dateSigned"] = iso(contract.date_signed)
    if contract.kpis:
        section["agreedMetrics"] = [agreed_metric(kpi) for kpi in contract.kpis]
    elif contract.no_kpis_rationale:
        section["noAgreedMetricsRationale"] = contract.no_kpis_rationale
    release["contracts"] = [section]
    return release
