"""Ring-fenced budgets (CYC-5): earmarking money, saying what was spent from it, and tracking
that spend from the payment and grant records.

Spend against a ring-fence comes from two records:

* the **invoices** its commissioner charged to it: committed is the invoice's amount, paid what
  the payment records say was paid on it, to the organisation that issued it;
* the **grant awards** counting against it (the rounds linked to it, and for a contract's small
  local grants ring-fence every small-grants pot the prime runs under that contract): committed
  is the amount awarded, paid the agreement's instalments due on or before the day.

**Under-spent** means the money committed with organisations that meet the purpose is less than
the straight-line profile of the period elapsed: amount × days elapsed ÷ days in the period
(both counted inclusively), quantised to the penny half up. **Off purpose** means some of the
money was committed with organisations whose directory profile does not meet the purpose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.audit.services import record
from commissioning.contracts.models import Contract
from commissioning.directory.models import Area, Organisation
from commissioning.grants.models import GrantApplication, GrantRound
from commissioning.grants.services import money
from commissioning.invoices.models import Invoice
from commissioning.ringfences import access
from commissioning.ringfences.models import RingFence, RingFenceCharge
from commissioning.ringfences.purposes import meets_purpose

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


# --- Earmarking ------------------------------------------------------------------------------


def create_ring_fence(
    actor: User,
    *,
    purpose: str,
    amount: Any,
    contract: Contract | None = None,
    area: Area | None = None,
    commissioning_body: Organisation | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    description: str = "",
    is_synthetic: bool = False,
) -> RingFence:
    """Earmark ``amount`` for ``purpose`` on ``contract`` (its body's, over its term unless
    dates are given) or across ``area`` for ``commissioning_body``. Published at once."""
    errors: dict[str, str] = {}
    if contract is not None:
        commissioning_body = contract.commissioning_body
        starts_on = starts_on or contract.start_date
        ends_on = ends_on or contract.end_date
    if (contract is None) == (area is None):
        errors["contract"] = "Choose either a contract or an area, not both"
    if commissioning_body is None:
        errors["commissioning_body"] = "Choose the commissioning body whose budget it is"
    elif not access.can_manage_for(actor, commissioning_body):
        raise PermissionDenied("Only the commissioning body's commissioners can ring-fence money.")
    if purpose not in RingFence.Purpose.values:
        errors["purpose"] = "Choose what the money is earmarked for"
    try:
        amount = money(amount, "amount")
    except ValidationError as error:
        errors["amount"] = error.message_dict["amount"][0]
    if starts_on is None:
        errors["starts_on"] = "Enter the day the ring-fence starts"
    if ends_on is None:
        errors["ends_on"] = "Enter the day the ring-fence ends"
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = "The end date must be after the start date"
    if contract is not None and starts_on and ends_on and "amount" not in errors:
        if starts_on < contract.start_date or ends_on > contract.end_date:
            errors["ends_on"] = "The ring-fence must lie within the contract's term"
        else:
            value = contract_value(contract, starts_on, ends_on)
            if amount > value:
                errors["amount"] = (
                    f"The ring-fence cannot be more than the contract's value over the period, "
                    f"£{value:,}"
                )
    if errors:
        raise ValidationError(errors)
    assert commissioning_body is not None and starts_on and ends_on
    with transaction.atomic():
        ring_fence = RingFence.objects.create(
            commissioning_body=commissioning_body,
            contract=contract,
            area=area,
            purpose=purpose,
            amount=amount,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
            is_synthetic=is_synthetic,
            created_by=actor,
        )
        record(
            actor,
            "ring_fence.create",
            ring_fence,
            {"purpose": purpose, "amount": str(amount), "scope": ring_fence.scope},
        )
    return ring_fence


def contract_value(contract: Contract, starts_on: date, ends_on: date) -> Decimal:
    """The contract's annual value over the days from ``starts_on`` to ``ends_on`` inclusive,
    counting a year as 365 days, to the penny half up."""
    days = (ends_on - starts_on).days + 1
    return (contract.annual_value * days / 365).quantize(PENNY, rounding=ROUND_HALF_UP)


def chargeable_invoices(ring_fence: RingFence) -> QuerySet[Invoice]:
    """The invoices that may be charged to it: its contract's, or for an area's ring-fence, the
    invoices under the body's contracts; not yet charged to it."""
    invoices = Invoice.objects.select_related("issuer", "contract")
    if ring_fence.contract_id:
        invoices = invoices.filter(contract_id=ring_fence.contract_id)
    else:
        invoices = invoices.filter(contract__commissioning_body_id=ring_fence.commissioning_body_id)
    return invoices.exclude(ring_fence_charges__ring_fence=ring_fence).order_by(
        "contract__reference", "received_on", "pk"
    )


def charge_invoice(actor: User, ring_fence: RingFence, invoice: Invoice) -> RingFenceCharge:
    """Say that ``invoice`` was paid from the ring-fenced money."""
    if not access.can_manage(actor, ring_fence):
        raise PermissionDenied("Only the commissioning body's commissioners can do this.")
    with transaction.atomic():
        if not chargeable_invoices(ring_fence).filter(pk=invoice.pk).exists():
            raise ValidationError(
                {"invoice": "Choose an invoice under this ring-fence's contracts not yet charged"}
            )
        charge = RingFenceCharge.objects.create(
            ring_fence=ring_fence, invoice=invoice, charged_by=actor
        )
        record(
            actor,
            "ring_fence.charge_invoice",
            ring_fence,
            {"invoice": invoice.reference, "amount": str(invoice.amount)},
        )
    return charge


def countable_rounds(ring_fence: RingFence) -> QuerySet[GrantRound]:
    """Grant rounds of the same commissioning body (its own or its contracts' primes') that
    do not yet count against it."""
    body = ring_fence.commissioning_body_id
    return (
        GrantRound.objects.filter(
            Q(exercise__commissioning_body_id=body) | Q(contract__commissioning_body_id=body)
        )
        .exclude(pk__in=counted_rounds(ring_fence).values("pk"))
        .order_by("reference")
    )


def count_round(actor: User, ring_fence: RingFence, grant_round: GrantRound) -> None:
    """Count ``grant_round``'s awards against the ring-fence."""
    if not access.can_manage(actor, ring_fence):
        raise PermissionDenied("Only the commissioning body's commissioners can do this.")
    with transaction.atomic():
        if not countable_rounds(ring_fence).filter(pk=grant_round.pk).exists():
            raise ValidationError(
                {"grant_round": "Choose a grant round of this body not yet counted against it"}
            )
        ring_fence.grant_rounds.add(grant_round)
        record(actor, "ring_fence.count_round", ring_fence, {"round": grant_round.reference})


def counted_rounds(ring_fence: RingFence) -> QuerySet[GrantRound]:
    """The rounds whose awards count against it: those linked to it and, for a contract's small
    local grants ring-fence, the prime's small-grants pots under that contract."""
    linked = Q(ring_fences=ring_fence)
    if ring_fence.contract_id and ring_fence.purpose == RingFence.Purpose.SMALL_LOCAL:
        linked |= Q(contract_id=ring_fence.contract_id)
    return GrantRound.objects.filter(linked).distinct()


# --- Tracking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendLine:
    """One invoice or grant award counted against the ring-fence."""

    kind: str  # "invoice" or "grant"
    reference: str
    organisation: Organisation
    committed: Decimal
    paid: Decimal
    meets_purpose: bool
    url: str


@dataclass(frozen=True)
class Recipient:
    organisation: Organisation
    meets_purpose: bool
    committed: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Spend:
    ring_fence: RingFence
    as_of: date
    lines: Sequence[SpendLine]
    expected_by_now: Decimal

    @property
    def committed(self) -> Decimal:
        return sum((line.committed for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def committed_on_purpose(self) -> Decimal:
        return sum((line.committed for line in self.lines if line.meets_purpose), ZERO)

    @property
    def paid_on_purpose(self) -> Decimal:
        return sum((line.paid for line in self.lines if line.meets_purpose), ZERO)

    @property
    def off_purpose(self) -> Decimal:
        return sum((line.committed for line in self.lines if not line.meets_purpose), ZERO)

    @property
    def remaining(self) -> Decimal:
        """Of the earmarked amount, what is not yet committed with organisations that meet the
        purpose (never below £0)."""
        return max(self.ring_fence.amount - self.committed_on_purpose, ZERO)

    @property
    def shortfall(self) -> Decimal:
        """How far on-purpose commitments lag the straight-line profile (£0 when on track)."""
        return max(self.expected_by_now - self.committed_on_purpose, ZERO)

    @property
    def is_under_spent(self) -> bool:
        return self.shortfall > 0

    @property
    def is_off_purpose(self) -> bool:
        return self.off_purpose > 0

    @property
    def recipients(self) -> list[Recipient]:
        """Who the money went to, largest commitment first."""
        totals: dict[int, list[Any]] = {}
        for line in self.lines:
            entry = totals.setdefault(
                line.organisation.pk, [line.organisation, line.meets_purpose, ZERO, ZERO]
            )
            entry[2] += line.committed
            entry[3] += line.paid
        rows = [
            Recipient(o, meets, committed, paid) for o, meets, committed, paid in totals.values()
        ]
        return sorted(rows, key=lambda r: (-r.committed, r.organisation.name))


def expected_by(ring_fence: RingFence, as_of: date) -> Decimal:
    """The straight-line profile: amount × days elapsed ÷ days in the period, both inclusive,
    to the penny half up; £0 before the start and the whole amount after the end."""
    period = (ring_fence.ends_on - ring_fence.starts_on).days + 1
    elapsed = min(max((as_of - ring_fence.starts_on).days + 1, 0), period)
    return (ring_fence.amount * elapsed / period).quantize(PENNY, rounding=ROUND_HALF_UP)


def spend(ring_fence: RingFence, as_of: date | None = None) -> Spend:
    """What was committed and paid against ``ring_fence`` by ``as_of`` (today by default), and
    with whom."""
    as_of = as_of or timezone.localdate()
    purpose = ring_fence.purpose
    lines: list[SpendLine] = []
    charges = (
        RingFenceCharge.objects.filter(ring_fence=ring_fence)
        .select_related("invoice__issuer", "invoice__contract")
        .prefetch_related("invoice__issuer__specialisms", "invoice__issuer__cohorts")
    )
    for charge in charges:
        invoice = charge.invoice
        lines.append(
            SpendLine(
                kind="invoice",
                reference=invoice.reference,
                organisation=invoice.issuer,
                committed=invoice.amount,
                paid=invoice.amount_paid,
                meets_purpose=meets_purpose(invoice.issuer, purpose),
                url=invoice.get_absolute_url(),
            )
        )
    awards = (
        GrantApplication.objects.filter(
            grant_round__in=counted_rounds(ring_fence), status=GrantApplication.Status.AWARDED
        )
        .select_related("organisation", "grant_round", "agreement")
        .prefetch_related(
            "organisation__specialisms", "organisation__cohorts", "agreement__instalments"
        )
        .order_by("grant_round__reference", "pk")
    )
    for application in awards:
        agreement = getattr(application, "agreement", None)
        paid = ZERO
        if agreement is not None:
            paid = sum((i.amount for i in agreement.instalments.all() if i.due_on <= as_of), ZERO)
        lines.append(
            SpendLine(
                kind="grant",
                reference=f"{application.grant_round.reference}/{application.pk}",
                organisation=application.organisation,
                committed=application.amount_awarded or ZERO,
                paid=paid,
                meets_purpose=meets_purpose(application.organisation, purpose),
                url=application.grant_round.get_absolute_url(),
            )
        )
    return Spend(ring_fence, as_of, lines, expected_by(ring_fence, as_of))


def published() -> QuerySet[RingFence]:
    """Every ring-fence (all are public), newest first."""
    return RingFence.objects.select_related("commissioning_body", "contract", "area")


def for_contract(contract: Contract) -> QuerySet[RingFence]:
    return published().filter(contract=contract)
