"""Recording invoices, payments and disputes (LAW-3, UK17): each user action is one transaction
with its audit record, checked by :mod:`.access` and the guards of :mod:`.lifecycle`.

The web forms and the API call these same functions, so they refuse the same input with the same
messages: ``PermissionDenied`` (who), ``ValidationError`` by field (what), nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import idempotency
from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.audit.versions import check_version
from commissioning.contracts import services as contract_services
from commissioning.contracts.models import Contract
from commissioning.invoices import access, lifecycle, notifications
from commissioning.invoices.models import Invoice, Payment

Status = Invoice.Status
MAX_AMOUNT = Decimal("999999999999.99")


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def money(value: Any, field: str = "amount", label: str = "The amount") -> Decimal:
    """Pounds and pence as a Decimal, or a ValidationError naming ``field``. More than two
    decimal places is refused, never rounded: an invoice's amount is what it says."""
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("£"))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: f"{label} must be in pounds and pence, like 1250.00"}
        ) from None
    if not amount.is_finite() or amount != amount.quantize(lifecycle.PENNY):
        raise ValidationError({field: f"{label} must be in pounds and pence, like 1250.00"})
    if amount <= 0:
        raise ValidationError({field: f"{label} must be more than £0.00"})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: f"{label} must be less than £1,000,000,000,000"})
    return amount.quantize(lifecycle.PENNY)


def terms_days(contract: Contract, tier: Invoice.Tier | str, party_id: str) -> int:
    """The payment terms for an invoice of ``tier`` from ``party_id``: the mechanism's terms for
    the prime's invoices, and the sub-contractor's own terms in the supply chain for its
    invoices to the prime (30 days where the mechanism names none, as the Procurement Act
    requires of public contracts and their sub-contracts)."""
    mechanism = contract_services.parsed(contract).mechanism
    if Invoice.Tier(tier) is Invoice.Tier.PRIME:
        return mechanism.payment_terms_days
    for terms in mechanism.supply_chain:
        if terms.subcontractor == party_id:
            return terms.payment_terms_days
    return 30


@dataclass(frozen=True)
class InvoiceInput:
    party_id: str
    reference: str
    period: int
    amount: Any
    received_on: date


def _invoice_problems(
    contract: Contract, data: InvoiceInput, today: date, parties: list[access.IssuingParty]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.party_id not in {p.party_id for p in parties}:
        problems["party"] = "Select the organisation issuing the invoice"
    reference = data.reference.strip()
    if not reference:
        problems["reference"] = "Enter the invoice number"
    elif len(reference) > 60:
        problems["reference"] = "The invoice number must be 60 characters or fewer"
    term = contract_services.parsed(contract).mechanism.term_periods
    if not 1 <= data.period <= term:
        problems["period"] = f"The period must be a number from 1 to {term}"
    if data.received_on > today:
        problems["received_on"] = "The date received must be today or in the past"
    elif data.received_on < contract.start_date:
        problems["received_on"] = (
            f"The date received must be on or after {_day(contract.start_date)}, "
            "when the contract started"
        )
    try:
        money(data.amount)
    except ValidationError as error:
        problems.update({k: v[0] for k, v in error.message_dict.items()})
    return problems


def record_invoice(
    actor: User, contract: Contract, data: InvoiceInput, *, today: date | None = None
) -> Invoice:
    """Record an invoice from one of the actor's organisations on ``contract``, due after the
    terms for its tier."""
    parties = access.issuing_parties(actor, contract)
    if not parties:
        raise PermissionDenied(
            "Only members of the prime contractor or a sub-contractor record invoices here."
        )
    if contract.status != Contract.Status.ACTIVE:
        raise ValidationError({"__all__": "The contract has ended: no more invoices are recorded."})
    today = today or timezone.localdate()
    problems = _invoice_problems(contract, data, today, parties)
    if problems:
        raise ValidationError(problems)
    party = next(p for p in parties if p.party_id == data.party_id)
    days = terms_days(contract, party.tier, party.party_id)
    invoice = Invoice(
        contract=contract,
        tier=party.tier,
        issuer_party=party.party_id,
        issuer=party.issuer,
        payer=party.payer,
        reference=data.reference.strip(),
        period=data.period,
        amount=money(data.amount),
        received_on=data.received_on,
        terms_days=days,
        due_on=data.received_on + timedelta(days=days),
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            invoice.save()
            record(
                actor,
                "invoice.record",
                invoice,
                {
                    "amount": {"from": None, "to": str(invoice.amount)},
                    "period": {"from": None, "to": invoice.period},
                    "received_on": {"from": None, "to": invoice.received_on.isoformat()},
                    "due_on": {"from": None, "to": invoice.due_on.isoformat()},
                },
            )
            notifications.invoice_recorded(invoice)
    except IntegrityError:
        raise ValidationError(
            {"reference": f"Invoice {invoice.reference} is already recorded for this organisation"}
        ) from None
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("contract").get(pk=invoice.pk)


def _refresh(invoice: Invoice, locked: Invoice) -> Invoice:
    for field in (
        "status",
        "amount_paid",
        "paid_on",
        "received_on",
        "due_on",
        "disputed_on",
        "dispute_reason",
        "resolved_on",
        "resolution",
        "updated_at",
    ):
        setattr(invoice, field, getattr(locked, field))
    return invoice


def _payer_only(actor: User, invoice: Invoice, what: str) -> None:
    if not access.can_act_as_payer(actor, invoice):
        raise PermissionDenied(f"Only members of {invoice.payer.name} {what}.")


def record_payment(
    actor: User,
    invoice: Invoice,
    *,
    amount: Any,
    paid_on: date,
    submission_key: str = "",
    version: str | None = None,
    today: date | None = None,
) -> Payment:
    """Record a payment (all or part of what is still owed); the invoice is paid when the
    payments reach its amount, on the day of the last one. A repeat with the same
    ``submission_key`` (the form's, or the API's Idempotency-Key) records nothing and returns
    the first payment: a payment sent twice is not paid twice. Otherwise a ``version`` older
    than the invoice's raises ``StaleEdit`` and nothing is written (issue 13)."""
    _payer_only(actor, invoice, "record payments of this invoice")
    today = today or timezone.localdate()
    value = money(amount, "amount", "The amount paid")
    key = idempotency.clean_key(submission_key)
    with transaction.atomic():
        locked = _locked(invoice)
        earlier = locked.payments.filter(submission_key=key).first() if key else None
        if earlier is not None:
            _refresh(invoice, locked)
            return earlier
        check_version(locked, version)
        problems = lifecycle.payment_problems(locked, value, paid_on, today)
        if problems:
            raise ValidationError(problems)
        before = {"status": locked.status, "amount_paid": str(locked.amount_paid)}
        target = lifecycle.after_payment(locked, value)
        transition = lifecycle.move(locked, target)
        locked.amount_paid += value
        if target is Status.PAID:
            locked.paid_on = max([paid_on, *locked.payments.values_list("paid_on", flat=True)])
        locked.save()
        payment = Payment.objects.create(
            invoice=locked, paid_on=paid_on, amount=value, recorded_by=actor, submission_key=key
        )
        record(
            actor,
            transition.action,
            locked,
            {
                "status": {"from": before["status"], "to": locked.status},
                "amount_paid": {"from": before["amount_paid"], "to": str(locked.amount_paid)},
                "payment": {"from": None, "to": f"{value} on {paid_on.isoformat()}"},
            },
        )
        notifications.invoice_changed(
            locked, "paid in full" if target is Status.PAID else f"paid £{value:,} in part"
        )
    _refresh(invoice, locked)
    return payment


def dispute(
    actor: User,
    invoice: Invoice,
    *,
    reason: str,
    disputed_on: date,
    version: str | None = None,
    today: date | None = None,
) -> Invoice:
    """Dispute the invoice, with the reason. A ``version`` older than the invoice's raises
    ``StaleEdit`` and nothing is written (issue 13)."""
    _payer_only(actor, invoice, "dispute this invoice")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(invoice)
        check_version(locked, version)
        problems = lifecycle.dispute_problems(locked, reason, disputed_on, today)
        if problems:
            raise ValidationError(problems)
        before = locked.status
        transition = lifecycle.move(locked, Status.DISPUTED)
        locked.disputed_on = disputed_on
        locked.dispute_reason = reason.strip()
        locked.resolved_on = None
        locked.resolution = ""
        locked.save()
        record(
            actor,
            transition.action,
            locked,
            {
                "status": {"from": before, "to": locked.status},
                "reason": {"from": "", "to": locked.dispute_reason},
                "disputed_on": {"from": None, "to": disputed_on.isoformat()},
            },
        )
        notifications.invoice_changed(locked, f"disputed: {locked.dispute_reason}")
    return _refresh(invoice, locked)


def resolve(
    actor: User,
    invoice: Invoice,
    *,
    resolution: str,
    resolved_on: date,
    version: str | None = None,
    today: date | None = None,
) -> Invoice:
    """Close a dispute: the invoice is owed from the day of the resolution, so its due date
    moves to that day plus its terms. A ``version`` older than the invoice's raises
    ``StaleEdit`` and nothing is written (issue 13)."""
    _payer_only(actor, invoice, "resolve a dispute about this invoice")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(invoice)
        check_version(locked, version)
        problems = lifecycle.resolution_problems(locked, resolution, resolved_on, today)
        if problems:
            raise ValidationError(problems)
        before = {"status": locked.status, "due_on": locked.due_on.isoformat()}
        transition = lifecycle.move(locked, lifecycle.after_resolution(locked))
        locked.resolved_on = resolved_on
        locked.resolution = resolution.strip()
        locked.due_on = resolved_on + timedelta(days=locked.terms_days)
        locked.save()
        record(
            actor,
            transition.action,
            locked,
            {
                "status": {"from": before["status"], "to": locked.status},
                "resolution": {"from": "", "to": locked.resolution},
                "due_on": {"from": before["due_on"], "to": locked.due_on.isoformat()},
            },
        )
        notifications.invoice_changed(locked, f"no longer disputed: {locked.resolution}")
    return _refresh(invoice, locked)


def correct_received(
    actor: User,
    invoice: Invoice,
    *,
    received_on: date,
    version: str | None = None,
    today: date | None = None,
) -> Invoice:
    """The payer corrects the day it received the invoice (the issuer stated it); the due date
    follows. Not after a payment or a dispute already recorded against it. ``version`` is the
    invoice's version the correction started from: a change saved since raises ``StaleEdit``
    and nothing is written (issue 13)."""
    _payer_only(actor, invoice, "correct the day this invoice was received")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(invoice)
        check_version(locked, version)
        problems: dict[str, str] = {}
        first_paid = locked.payments.order_by("paid_on").values_list("paid_on", flat=True).first()
        if received_on > today:
            problems["received_on"] = "The date received must be today or in the past"
        elif received_on < locked.contract.start_date:
            problems["received_on"] = (
                f"The date received must be on or after {_day(locked.contract.start_date)}, "
                "when the contract started"
            )
        elif first_paid is not None and received_on > first_paid:
            problems["received_on"] = (
                f"The date received must be on or before {_day(first_paid)}, "
                "when the first payment was made"
            )
        elif locked.disputed_on is not None and received_on > locked.disputed_on:
            problems["received_on"] = (
                f"The date received must be on or before {_day(locked.disputed_on)}, "
                "the day of the dispute"
            )
        if problems:
            raise ValidationError(problems)
        before = {
            "received_on": locked.received_on.isoformat(),
            "due_on": locked.due_on.isoformat(),
        }
        locked.received_on = received_on
        if locked.resolved_on is None:
            locked.due_on = received_on + timedelta(days=locked.terms_days)
        locked.save()
        record(
            actor,
            "invoice.correct_received",
            locked,
            {
                "received_on": {"from": before["received_on"], "to": received_on.isoformat()},
                "due_on": {"from": before["due_on"], "to": locked.due_on.isoformat()},
            },
        )
        day = f"{received_on.day} {received_on:%B %Y}"
        notifications.invoice_changed(locked, f"received on {day}, the payer says")
    return _refresh(invoice, locked)
