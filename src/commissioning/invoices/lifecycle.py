"""An invoice's status as one explicit state machine (LAW-3, UK17).

    awaiting payment ──pay (in part)──▶ part paid ──pay (the rest)──▶ paid
    awaiting payment ──pay (in full)──────────────────────────────────▶ paid
    awaiting payment / part paid ──dispute──▶ disputed ──resolve──▶ awaiting payment / part paid

A payment never exceeds what is still owed, so paid is final. A disputed invoice is not paid
until the dispute is resolved; once resolved, it is owed as if received on the day of the
resolution (the payer owes a valid, undisputed invoice). The guards that need no database are
plain functions returning problems by field; :mod:`commissioning.invoices.services` runs them
inside the transaction, and :func:`move` is the only code that writes ``Invoice.status``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from commissioning.invoices.models import Invoice
from commissioning.transitions import Transition

Status = Invoice.Status

_PAY = Transition(
    action="invoice.payment",
    guard="A member of the paying organisation; an amount of at most what is still owed, paid "
    "on or after the day the invoice was received and not in the future.",
    effects=("payment recorded", "audit invoice.payment"),
)
_DISPUTE = Transition(
    action="invoice.dispute",
    guard="A member of the paying organisation, with the reason, on or after the day the "
    "invoice was received and not in the future.",
    effects=("audit invoice.dispute, with the reason",),
)
_RESOLVE = Transition(
    action="invoice.resolve",
    guard="A member of the paying organisation, with how it was resolved, on or after the day "
    "of the dispute and not in the future.",
    effects=("due date moved to the resolution day plus the terms", "audit invoice.resolve"),
)

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.AWAITING_PAYMENT, Status.PART_PAID): _PAY,
    (Status.AWAITING_PAYMENT, Status.PAID): _PAY,
    (Status.PART_PAID, Status.PART_PAID): _PAY,
    (Status.PART_PAID, Status.PAID): _PAY,
    (Status.AWAITING_PAYMENT, Status.DISPUTED): _DISPUTE,
    (Status.PART_PAID, Status.DISPUTED): _DISPUTE,
    (Status.DISPUTED, Status.AWAITING_PAYMENT): _RESOLVE,
    (Status.DISPUTED, Status.PART_PAID): _RESOLVE,
}

PENNY = Decimal("0.01")


def allowed_next(current: Status | str) -> list[Status]:
    return [target for source, target in TRANSITIONS if source == Status(current)]


def can_pay(current: Status | str) -> bool:
    return Status.PAID in allowed_next(current)


def can_dispute(current: Status | str) -> bool:
    return Status.DISPUTED in allowed_next(current)


def can_resolve(current: Status | str) -> bool:
    return Status(current) is Status.DISPUTED


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def after_payment(invoice: Invoice, amount: Decimal) -> Status:
    """The status a payment of ``amount`` leaves the invoice in."""
    return Status.PAID if invoice.amount_paid + amount >= invoice.amount else Status.PART_PAID


def after_resolution(invoice: Invoice) -> Status:
    return Status.PART_PAID if invoice.amount_paid > 0 else Status.AWAITING_PAYMENT


def payment_problems(
    invoice: Invoice, amount: Decimal, paid_on: date, today: date
) -> dict[str, str]:
    """Why a payment of ``amount`` on ``paid_on`` cannot be recorded, by field (empty if it can)."""
    current = Status(invoice.status)
    if current is Status.PAID:
        return {"__all__": "This invoice has been paid in full: there is nothing left to pay."}
    if current is Status.DISPUTED:
        return {"__all__": "This invoice is disputed: record how the dispute was resolved first."}
    problems: dict[str, str] = {}
    if amount <= 0:
        problems["amount"] = "The amount paid must be more than £0.00"
    elif amount > invoice.outstanding:
        problems["amount"] = (
            f"The amount paid must be £{invoice.outstanding:,} or less: that is what is still owed"
        )
    if paid_on > today:
        problems["paid_on"] = "The date paid must be today or in the past"
    elif paid_on < invoice.received_on:
        problems["paid_on"] = (
            f"The date paid must be on or after {_day(invoice.received_on)}, "
            "the day the invoice was received"
        )
    return problems


def dispute_problems(
    invoice: Invoice, reason: str, disputed_on: date, today: date
) -> dict[str, str]:
    current = Status(invoice.status)
    if not can_dispute(current):
        return {"__all__": f"An invoice that is {current.label.lower()} cannot be disputed."}
    problems: dict[str, str] = {}
    if not reason.strip():
        problems["reason"] = "Enter why the invoice is disputed"
    if disputed_on > today:
        problems["disputed_on"] = "The date of the dispute must be today or in the past"
    elif disputed_on < invoice.received_on:
        problems["disputed_on"] = (
            f"The date of the dispute must be on or after {_day(invoice.received_on)}, "
            "the day the invoice was received"
        )
    return problems


def resolution_problems(
    invoice: Invoice, resolution: str, resolved_on: date, today: date
) -> dict[str, str]:
    if not can_resolve(invoice.status):
        return {"__all__": "Only a disputed invoice can have its dispute resolved."}
    problems: dict[str, str] = {}
    if not resolution.strip():
        problems["resolution"] = "Enter how the dispute was resolved"
    if resolved_on > today:
        problems["resolved_on"] = "The date of the resolution must be today or in the past"
    elif invoice.disputed_on is not None and resolved_on < invoice.disputed_on:
        problems["resolved_on"] = (
            f"The date of the resolution must be on or after {_day(invoice.disputed_on)}, "
            "the day of the dispute"
        )
    return problems


def move(locked: Invoice, target: Status) -> Transition:
    """Write ``target`` to an invoice locked by the caller whose guards have passed: the only
    writer of ``Invoice.status``. Returns the move's table entry (its audit action)."""
    current = Status(locked.status)
    transition = TRANSITIONS.get((current, target))
    if transition is None:
        raise ValidationError(
            f"An invoice that is {current.label.lower()} cannot become {target.label.lower()}."
        )
    locked.status = target
    return transition


def seed(invoice: Invoice, status: Status) -> None:
    """Give a new, unsaved invoice its status: synthetic demo data only, which records a
    history that never ran on the platform."""
    invoice.status = Status(status)
