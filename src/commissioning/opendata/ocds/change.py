"""The UK10 contract change notice (LAW-1): section ``contracts``, documentType
``contractAmendmentNotice``, tag ``contractAmendment``.

The contract is repeated as changed (its value and period after the change) with the change as
an ``amendments`` entry: what changed in ``description``, the reason in ``rationale``. An
extension is a change of term: the period's new end date.
"""

from __future__ import annotations

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
from commissioning.opendata.ocds.data import ContractChange

KIND_LABELS = {
    "value": "Change of value",
    "term": "Change of term",
    "scope": "Change of scope",
    "supply_chain": "Change of supply chain",
}


def build_contract_change(change: ContractChange, *, prefix: str = DEFAULT_OCID_PREFIX) -> JsonDict:
    """UK10 contract change notice: the contract as changed, the change and its reason."""
    if not change.reason.strip():
        raise ValueError(f"change {change.id} has no reason")
    contract = change.contract
    award = contract.award
    ocid = ocid_for(contract.reference, prefix)
    release = base_release(ocid, "UK10", change.notice, ["contractAmendment"], award.buyer)
    release["parties"] = award_parties(award)
    release["awards"] = [award_section(award, "active")]
    label = KIND_LABELS[change.kind]
    document = notice_document(
        ocid,
        "UK10",
        "contractAmendmentNotice",
        "Contract change notice",
        change.notice,
        f"{label}: {change.description}",
    )
    document["id"] = f"{ocid}-UK10-{change.id}"
    release["contracts"] = [
        {
            "id": contract.id,
            "awardID": award.id,
            "title": contract.title,
            "status": "active",
            "value": money(contract.value),
            "period": period(contract.period),
            "documents": [document],
            "amendments": [
                {
                    "id": change.id,
                    "date": iso(change.notice.published),
                    "description": f"{label}: {change.description}",
                    "rationale": change.reason,
                }
            ],
        }
    ]
    return release
