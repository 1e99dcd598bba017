"""A contract's quarterly supply-chain return as an OCDS implementation update (SUP-1): the
prime's payments to its sub-contractors in the quarter as ``contracts[].implementation
.transactions``, the sub-contractors in the award's ``subcontracting`` (subcontracting
extension), each with its line's figures and whether it confirmed or disputed them, and the
return itself as a document (its CSV file). Dataclasses in, OCDS out; no Django."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from commissioning.opendata.ocds.award import award_parties, award_section
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    base_release,
    iso,
    money,
    ocid_for,
    org_ref,
    parties,
    with_roles,
)
from commissioning.opendata.ocds.data import Contract, Notice, Party


@dataclass(frozen=True)
class ReturnLine:
    """One sub-contractor's line of a submitted return, with its state in words."""

    id: str
    subcontractor: Party
    services: str
    received: int
    started: int
    completed: int
    paid: Decimal
    state: str


@dataclass(frozen=True)
class SubcontractPayment:
    """One payment the prime made to a sub-contractor in the quarter."""

    id: str
    paid: datetime
    amount: Decimal
    payer: Party
    payee: Party


@dataclass(frozen=True)
class SupplyChainReturn:
    contract: Contract
    quarter: str  # "2026Q3"
    label: str  # "July to September 2026"
    notice: Notice  # submitted when, and the CSV file's address
    lines: tuple[ReturnLine, ...]
    payments: tuple[SubcontractPayment, ...]


def _line_text(line: ReturnLine, label: str) -> str:
    return (
        f"{label}: {line.received} referrals received, {line.started} started, "
        f"{line.completed} completed; £{line.paid:,.2f} paid. "
        f"The sub-contractor's answer: {line.state.lower()}."
    )


def build_supply_chain_return(
    data: SupplyChainReturn, *, prefix: str = DEFAULT_OCID_PREFIX
) -> JsonDict:
    """The return's implementation update release."""
    contract = data.contract
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(
        ocid, f"SCR-{data.quarter}", data.notice, ["implementationUpdate"], award.buyer
    )
    subs = [with_roles(line.subcontractor, "subcontractor") for line in data.lines]
    payees = [with_roles(p.payee, "payee") for p in data.payments]
    payers = [with_roles(p.payer, "payer") for p in data.payments]
    listed = {item["id"]: item for item in award_parties(award)}
    for item in parties(*subs, *payees, *payers):
        if item["id"] in listed:
            listed[item["id"]]["roles"] = list(
                dict.fromkeys([*listed[item["id"]]["roles"], *item["roles"]])
            )
        else:
            listed[item["id"]] = item
    release["parties"] = list(listed.values())
    section = award_section(award, "active")
    if data.lines:
        section["hasSubcontracting"] = True
        section["subcontracting"] = {
            "description": f"Supply-chain return for {data.label}, as submitted by the prime "
            "contractor, with each sub-contractor's answer.",
            "value": money(sum((line.paid for line in data.lines), Decimal("0.00"))),
            "subcontracts": [
                {
                    "id": line.id,
                    "subcontractor": org_ref(line.subcontractor),
                    "mainContractors": [org_ref(s) for s in award.suppliers],
                    "description": _line_text(line, data.label),
                }
                for line in data.lines
            ],
        }
    release["awards"] = [section]
    document: JsonDict = {
        "id": f"{contract.id}-supply-chain-return-{data.quarter}",
        "documentType": "subContract",
        "title": f"Supply-chain return for {data.label}",
        "description": " ".join(
            f"{line.subcontractor.name}: {line.state.lower()}." for line in data.lines
        )
        or "No sub-contractors.",
        "datePublished": iso(data.notice.published),
        "format": "text/csv",
        "language": "en",
    }
    if data.notice.url:
        document["url"] = data.notice.url
    release["contracts"] = [
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "implementation": {
                "transactions": [
                    {
                        "id": p.id,
                        "date": iso(p.paid),
                        "value": money(p.amount),
                        "payer": org_ref(p.payer),
                        "payee": org_ref(p.payee),
                    }
                    for p in data.payments
                ],
                "documents": [document],
            },
        }
    ]
    return release
