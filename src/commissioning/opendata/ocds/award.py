"""The UK6 contract award notice (LAW-2, PRO-9): section ``awards``, documentType
``awardNotice``, tag ``award``.

The award section and the parties are shared with the UK7 contract details notice
(:mod:`commissioning.opendata.ocds.contract`), which repeats the award as ``active``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    criteria_section,
    iso,
    money,
    notice_document,
    number,
    ocid_for,
    org_ref,
    parties,
    period,
    with_roles,
)
from commissioning.opendata.ocds.data import Award, BidStatistics, Contract, Notice


def _statistics(stats: tuple[BidStatistics, ...]) -> list[JsonDict]:
    out = []
    for block in stats:
        suffix = f"-{block.related_lot}" if block.related_lot else ""
        measures = {
            "bids": block.bids,
            "finalStageBids": block.final_stage_bids,
            "smeFinalStageBids": block.sme_final_stage_bids,
            "vcseFinalStageBids": block.vcse_final_stage_bids,
        }
        for measure, value in measures.items():
            entry: JsonDict = {"id": f"{measure}{suffix}", "measure": measure, "value": value}
            if block.related_lot:
                entry["relatedLot"] = block.related_lot
            out.append(entry)
    return out


def award_section(award: Award, status: str) -> JsonDict:
    suppliers = [org_ref(item) for item in award.suppliers]
    out: JsonDict = {
        "id": award.id,
        "title": award.title,
        "status": status,
        "value": money(award.value),
        "suppliers": suppliers,
        "hasSubcontracting": bool(award.subcontracts),
    }
    if award.decision_date is not None:
        out["date"] = iso(award.decision_date)
    if award.standstill is not None:
        out["standstillPeriod"] = period(award.standstill)
    if award.related_lots:
        out["relatedLots"] = list(award.related_lots)
    if award.contract_period is not None:
        out["contractPeriod"] = period(award.contract_period)
    if award.subcontracts:
        out["subcontracting"] = {
            "subcontracts": [
                {
                    "id": sub.id,
                    "subcontractor": org_ref(sub.subcontractor),
                    "mainContractors": suppliers,
                    "description": sub.description,
                }
                for sub in award.subcontracts
            ]
        }
        values = [sub.value for sub in award.subcontracts if sub.value is not None]
        if values:
            out["subcontracting"]["value"] = money(sum(values, Decimal(0)))
    return out


def award_parties(award: Award) -> list[JsonDict]:
    return parties(
        with_roles(award.buyer, "buyer"),
        *(with_roles(item, "supplier") for item in award.suppliers),
        *(with_roles(sub.subcontractor, "subcontractor") for sub in award.subcontracts),
    )


def implementation_release(
    contract: Contract,
    code: str,
    notice: Notice,
    tag: list[str],
    status: str,
    implementation: JsonDict,
    *,
    prefix: str,
    **fields: Any,
) -> JsonDict:
    """A release about a contract in force (UK8, UK11): the award repeated, active, and the
    contract with its ``status``, ``implementation`` and any other ``fields``."""
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(ocid, code, notice, tag, award.buyer)
    release["parties"] = award_parties(award)
    release["awards"] = [award_section(award, "active")]
    release["contracts"] = [
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "status": status,
            **fields,
            "implementation": implementation,
        }
    ]
    return release


def _applied_criteria(award: Award) -> JsonDict:
    """The award criteria and weights the decision applied, on each related lot (awardCriteria
    extension), or in ``awardCriteriaDetails`` for a tender not divided into lots."""
    tender: JsonDict = {"id": award.reference}
    if award.related_lots:
        tender["lots"] = [
            {"id": lot, "awardCriteria": criteria_section(award.criteria)}
            for lot in award.related_lots
        ]
    else:
        tender["awardCriteriaDetails"] = ", ".join(
            f"{item.name} {number(item.weight_percent)}%" for item in award.criteria
        )
    return tender


def build_award(award: Award, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK6 contract award notice: suppliers, standstill, bid statistics (final-stage SME and
    VCSE bids, LAW-2), the award criteria applied, and the supply chain (PRO-9)."""
    if award.decision_date is None or award.standstill is None:
        raise ValueError(f"award {award.id} needs its decision date and standstill period (UK6)")
    ocid = ocid_for(award.reference, prefix)
    release = base_release(ocid, "UK6", award.notice, ["award"], award.buyer)
    release["parties"] = award_parties(award)
    section = award_section(award, "pending")
    section["documents"] = [
        notice_document(ocid, "UK6", "awardNotice", "Contract award notice", award.notice)
    ]
    release["awards"] = [section]
    if award.criteria:
        release["tender"] = _applied_criteria(award)
    if award.statistics:
        release["bids"] = {"statistics": _statistics(award.statistics)}
    return release
