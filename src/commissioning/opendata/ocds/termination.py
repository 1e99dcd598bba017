"""The UK11 contract termination notice (LAW-1): section ``implementation`` (the contract's),
documentType ``contractTerminationNotice``, tag ``contractTermination``.

A contract that ran to its end date and one terminated early both close with the OCDS contract
status ``terminated`` ("signed and in force, and has now come to a close ... the successful
completion of the contract, or early termination"); the notice's description says which, with
the reason for an early termination, and the contract's period ends on its last day.
"""

from __future__ import annotations

from commissioning.opendata.ocds.award import implementation_release
from commissioning.opendata.ocds.common import (
    DEFAULT_OCID_PREFIX,
    JsonDict,
    iso,
    money,
    notice_document,
    ocid_for,
    period,
)
from commissioning.opendata.ocds.data import ContractEnding, Period


def _description(ending: ContractEnding) -> str:
    day = f"{ending.ended.day} {ending.ended:%B %Y}"
    if ending.early:
        return f"Terminated early; its last day was {day}. Reason: {ending.reason}"
    return f"Ended at the end of its term, {day}."


def build_contract_termination(
    ending: ContractEnding, *, prefix: str = DEFAULT_OCID_PREFIX
) -> JsonDict:
    """UK11 contract termination notice: the contract ``terminated``, its period ending on the
    day it ended, and the notice saying whether it ran its term or was ended early, and why."""
    if ending.early and not (ending.reason or "").strip():
        raise ValueError(f"contract {ending.contract.id} was terminated early without a reason")
    iso(ending.ended)
    contract = ending.contract
    ocid = ocid_for(contract.reference, prefix)
    implementation = {
        "documents": [
            notice_document(
                ocid,
                "UK11",
                "contractTerminationNotice",
                "Contract termination notice",
                ending.notice,
                _description(ending),
            )
        ]
    }
    return implementation_release(
        contract,
        "UK11",
        ending.notice,
        ["contractTermination"],
        "terminated",
        implementation,
        prefix=prefix,
        value=money(contract.value),
        period=period(Period(contract.period.start, ending.ended)),
    )
