"""A contract's status as one explicit state machine (PBR-1, SUP-1; issue 12).

    active ──end───────▶ ended        (on or after its end date)
    active ──terminate─▶ terminated   (early, with a reason)

A contract is active from the award; it ends when its term is over or is terminated early, and
both are final. The table names each move's audit action, guard and side effects;
:func:`transition` checks them and is the only code that writes ``Contract.status``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.transitions import Transition

Status = Contract.Status


TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.ACTIVE, Status.ENDED): Transition(
        action="contract.end",
        guard="A commissioner of the contract's commissioning body (or a site administrator), "
        "on or after the contract's end date.",
        effects=("audit contract.end",),
    ),
    (Status.ACTIVE, Status.TERMINATED): Transition(
        action="contract.terminate",
        guard="A commissioner of the contract's commissioning body (or a site administrator), "
        "before the contract's end date, with the reason for ending it early.",
        effects=("audit contract.terminate, with the reason",),
    ),
}


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == current]


def problems(contract: Contract, target: Status, *, reason: str, today: date) -> dict[str, str]:
    """Why ``contract`` cannot move to ``target`` today, by form field (empty when it can)."""
    current = Status(contract.status)
    if (current, target) not in TRANSITIONS:
        if not allowed_next(current):
            return {"status": f"The contract has {current.label.lower()}: it can no longer change."}
        return {"status": f"An active contract cannot become {target.label.lower()}."}
    end = f"{contract.end_date.day} {contract.end_date:%B %Y}"
    if target is Status.ENDED and today < contract.end_date:
        return {"status": f"The contract runs until {end}: end it early by terminating it."}
    if target is Status.TERMINATED:
        if today >= contract.end_date:
            return {"status": f"The contract's term ended on {end}: mark it ended instead."}
        if not reason.strip():
            return {"reason": "Enter why the contract is ending early"}
    return {}


def transition(
    actor: User,
    contract: Contract,
    target: Status | str,
    *,
    reason: str = "",
    today: date | None = None,
) -> Contract:
    """End or terminate ``contract``: checked against the table and its guards, written and
    audited in one transaction. Raises ``PermissionDenied``, or ``ValidationError`` by field
    with nothing written."""
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied("Only the commissioning body's commissioners can end this contract.")
    try:
        target = Status(target)
    except ValueError:
        raise ValidationError({"status": "Select how the contract ends"}) from None
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        refused = problems(locked, target, reason=reason, today=today)
        if refused:
            raise ValidationError(refused)
        current = Status(locked.status)
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        changes: dict[str, Any] = {"status": {"from": current.value, "to": target.value}}
        if target is Status.TERMINATED:
            changes["reason"] = {"from": "", "to": reason.strip()}
        record(actor, TRANSITIONS[(current, target)].action, locked, changes)
    contract.status = locked.status
    contract.updated_at = locked.updated_at
    return contract
