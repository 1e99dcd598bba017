"""A contract's status as one explicit state machine (PBR-1, SUP-1, LAW-1; issues 12, 15).

    mobilising ──activate──▶ active   (its commissioners say mobilisation is done)
    active ──end───────▶ ended        (on or after its end date)
    active ──terminate─▶ terminated   (early, with a reason and the date it was terminated)

A contract made from an award starts mobilising (:func:`start_mobilising`): the prime recruits
staff and sets up the service, and nobody is referred or invoiced yet. It becomes active only
when its commissioners mark it so (on any day: mobilisation may finish before or after the start
date, and the platform does not guess); it ends when its term is over or is terminated early,
and both are final. Along the way its commissioners record changes (value, term, scope, supply
chain; an extension is a change of term) with :func:`record_change`, each published as a
contract change notice (UK10). The table names each move's audit action, guard and side effects;
:func:`transition` checks them and is the only code that writes ``Contract.status`` (with the
day it ended, when that was recorded and why it was terminated). Its contract termination
notice (UK11) is published from those fields (:mod:`commissioning.opendata.sources.contract`).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts import access
from commissioning.contracts.models import Contract, ContractChange
from commissioning.transitions import Transition

Status = Contract.Status
PENNY = Decimal("0.01")


TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.MOBILISING, Status.ACTIVE): Transition(
        action="contract.activate",
        guard="A commissioner of the contract's commissioning body (or a site administrator).",
        effects=("audit contract.activate",),
    ),
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
        return {
            "status": f"A {current.label.lower()} contract cannot become {target.label.lower()}."
        }
    if target is Status.ACTIVE:
        return {}
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
        if target is Status.ACTIVE:
            locked.save(update_fields=["status", "updated_at"])
            record(actor, TRANSITIONS[(current, target)].action, locked, changes)
            contract.status = locked.status
            return contract
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


def start_mobilising(contract: Contract) -> Contract:
    """Put a contract just made from an award into its first state, mobilising (called in the
    transaction that creates it; the creation is audited there)."""
    Contract.objects.filter(pk=contract.pk, status=Status.ACTIVE).update(status=Status.MOBILISING)
    contract.status = Status.MOBILISING
    return contract


def seed_status(contract: Contract, status: Status) -> Contract:
    """Demo data only: put a synthetic contract straight into ``status`` (its own records, such
    as the day it ended, are written by the demo beside it)."""
    if not contract.is_synthetic:
        raise ValueError("Only synthetic demo contracts are seeded into a state")
    Contract.objects.filter(pk=contract.pk).update(status=status)
    contract.status = status
    return contract


def change_problems(
    contract: Contract,
    kind: str,
    *,
    description: str,
    reason: str,
    new_annual_value: Decimal | None,
    new_end_date: date | None,
) -> dict[str, str]:
    """Why the change cannot be recorded, by form field (empty when it can)."""
    refused: dict[str, str] = {}
    if Status(contract.status) in (Status.ENDED, Status.TERMINATED):
        refused["kind"] = "The contract has come to a close: it can no longer be changed."
    if kind not in ContractChange.Kind.values:
        refused["kind"] = "Select what changes"
    if not description.strip():
        refused["description"] = "Describe the change"
    if not reason.strip():
        refused["reason"] = "Enter why the contract is changing"
    if kind == ContractChange.Kind.VALUE:
        if new_annual_value is None:
            refused["new_annual_value"] = "Enter the new annual value"
        elif new_annual_value <= 0:
            refused["new_annual_value"] = "The new annual value must be more than £0"
        elif new_annual_value == contract.annual_value:
            refused["new_annual_value"] = "The new annual value is the same as the current one"
    if kind == ContractChange.Kind.TERM:
        if new_end_date is None:
            refused["new_end_date"] = "Enter the new end date"
        elif new_end_date <= contract.start_date:
            refused["new_end_date"] = (
                f"The new end date must be after the start date, {_day(contract.start_date)}"
            )
        elif new_end_date == contract.end_date:
            refused["new_end_date"] = "The new end date is the same as the current one"
    return refused


def record_change(
    actor: User,
    contract: Contract,
    kind: str,
    *,
    description: str,
    reason: str,
    new_annual_value: Decimal | None = None,
    new_end_date: date | None = None,
) -> ContractChange:
    """Record a change to the contract with its reason, apply its new value or end date, and
    audit it, in one transaction (UK10, LAW-1). Raises ``PermissionDenied``, or
    ``ValidationError`` by field with nothing written."""
    if not access.can_manage_performance(actor, contract):
        raise PermissionDenied(
            "Only the commissioning body's commissioners can change this contract."
        )
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        value = new_annual_value if kind == ContractChange.Kind.VALUE else None
        end = new_end_date if kind == ContractChange.Kind.TERM else None
        refused = change_problems(
            locked,
            kind,
            description=description,
            reason=reason,
            new_annual_value=value,
            new_end_date=end,
        )
        if refused:
            raise ValidationError(refused)
        change = ContractChange.objects.create(
            contract=locked,
            kind=kind,
            description=description.strip(),
            reason=reason.strip(),
            previous_annual_value=locked.annual_value,
            new_annual_value=value.quantize(PENNY, ROUND_HALF_UP) if value is not None else None,
            previous_end_date=locked.end_date,
            new_end_date=end,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        audit: dict[str, Any] = {
            "kind": {"from": "", "to": kind},
            "reason": {"from": "", "to": change.reason},
        }
        if change.new_annual_value is not None:
            locked.annual_value = change.new_annual_value
            audit["annual_value"] = {
                "from": str(change.previous_annual_value),
                "to": str(change.new_annual_value),
            }
        if end is not None:
            locked.end_date = end
            audit["end_date"] = {
                "from": change.previous_end_date.isoformat(),
                "to": end.isoformat(),
            }
        locked.save(update_fields=["annual_value", "end_date", "updated_at"])
        record(actor, "contract.change", locked, audit)
    contract.annual_value, contract.end_date = locked.annual_value, locked.end_date
    return change
