"""A contract's status as one explicit state machine (PBR-1, SUP-1, LAW-1; issue 12).

    active ──end───────▶ ended        (on or after its end date)
    active ──terminate─▶ terminated   (early, with a reason and the date it was terminated)

A contract is active from the award; it ends when its term is over or is terminated early, and
both are final. The table names each move's audit action, guard and side effects;
:func:`transition` checks them and is the only code that writes ``Contract.status`` (with the
day it ended, when that was recorded and why it was terminated). Its contract termination
notice (UK11) is published from those fields (:mod:`commissioning.opendata.sources.contract`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts import access
from commissioning.contracts.models import Contract
from commissioning.transitions import Transition

Status = Contract.Status


TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.ACTIVE, Status.ENDED): Transition(
        action="contract.end",
        guard="A commissioner of the contract's commissioning body (or a site administrator), "
        "on or after the contract's end date.",
        effects=("audit contract.end", "contract termination notice (UK11), terminated"),
    ),
    (Status.ACTIVE, Status.TERMINATED): Transition(
        action="contract.terminate",
        guard="A commissioner of the contract's commissioning body (or a site administrator), "
        "before the contract's end date, with the reason for ending it early and the day it was "
        "terminated (not in the future, not before the contract started).",
        effects=(
            "audit contract.terminate, with the reason and the date",
            "contract termination notice (UK11), terminated, with the reason",
        ),
    ),
}


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == current]


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def problems(
    contract: Contract,
    target: Status,
    *,
    reason: str,
    today: date,
    terminated_on: date | None = None,
) -> dict[str, str]:
    """Why ``contract`` cannot move to ``target`` today, by form field (empty when it can).
    ``terminated_on`` is the day an early termination took effect (default: today)."""
    current = Status(contract.status)
    if (current, target) not in TRANSITIONS:
        if not allowed_next(current):
            return {"status": f"The contract has {current.label.lower()}: it can no longer change."}
        return {"status": f"An active contract cannot become {target.label.lower()}."}
    end = _day(contract.end_date)
    if target is Status.ENDED and today < contract.end_date:
        return {"status": f"The contract runs until {end}: end it early by terminating it."}
    refused: dict[str, str] = {}
    if target is Status.TERMINATED:
        if today >= contract.end_date:
            refused["status"] = f"The contract's term ended on {end}: mark it ended instead."
        elif terminated_on is not None and terminated_on > today:
            refused["terminated_on"] = (
                "The date the contract was terminated must be today or in the past"
            )
        elif terminated_on is not None and terminated_on < contract.start_date:
            refused["terminated_on"] = (
                "The date the contract was terminated must be on or after its start date, "
                f"{_day(contract.start_date)}"
            )
        if not reason.strip():
            refused["reason"] = "Enter why the contract is ending early"
    return refused


def transition(
    actor: User,
    contract: Contract,
    target: Status | str,
    *,
    reason: str = "",
    today: date | None = None,
    terminated_on: date | None = None,
) -> Contract:
    """End or terminate ``contract``: checked against the table and its guards, written and
    audited in one transaction. An ended contract ran to its end date; a terminated one to
    ``terminated_on`` (default: today). Raises ``PermissionDenied``, or ``ValidationError`` by
    field with nothing written."""
    if not access.can_end_contract(actor, contract):
        raise PermissionDenied("Only the commissioning body's commissioners can end this contract.")
    try:
        target = Status(target)
    except ValueError:
        raise ValidationError({"status": "Select how the contract ends"}) from None
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        refused = problems(locked, target, reason=reason, today=today, terminated_on=terminated_on)
        if refused:
            raise ValidationError(refused)
        current = Status(locked.status)
        locked.status = target
        changes: dict[str, Any] = {"status": {"from": current.value, "to": target.value}}
        if target is Status.TERMINATED:
            locked.ended_on = terminated_on or today
            locked.termination_reason = reason.strip()
            changes["reason"] = {"from": "", "to": locked.termination_reason}
            changes["ended_on"] = {"from": None, "to": locked.ended_on.isoformat()}
        else:
            locked.ended_on = locked.end_date
        locked.end_recorded_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "ended_on",
                "end_recorded_at",
                "termination_reason",
                "updated_at",
            ]
        )
        record(actor, TRANSITIONS[(current, target)].action, locked, changes)
    for field in ("status", "ended_on", "end_recorded_at", "termination_reason", "updated_at"):
        setattr(contract, field, getattr(locked, field))
    return contract
