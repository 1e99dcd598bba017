"""Invoices under a contract and the payments made against them (LAW-3, UK17).

Two tiers: the prime invoices the commissioning body, and each sub-contractor invoices the prime.
An invoice's due date is derived once, when it is recorded, from the contract's payment terms for
its tier, and stored with the terms it used, so a later change to the mechanism does not move the
dates an invoice was paid against. Money is money (pounds and pence); shares are derived.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from commissioning import idempotency


class Invoice(models.Model):
    class Tier(models.TextChoices):
        PRIME = "prime", "Prime contractor to commissioning body"
        SUBCONTRACTOR = "subcontractor", "Sub-contractor to prime contractor"

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        PART_PAID = "part_paid", "Part paid"
        PAID = "paid", "Paid"
        DISPUTED = "disputed", "Disputed"

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="invoices"
    )
    tier = models.CharField(max_length=20, choices=Tier.choices)
    issuer_party = models.SlugField(
        max_length=60, help_text="The issuing party's id in the contract's payment mechanism."
    )
    issuer = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="invoices_issued"
    )
    payer = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="invoices_received"
    )
    reference = models.CharField("Invoice number", max_length=60)
    period = models.PositiveIntegerField(help_text="The contract period the invoice is for.")
    amount = models.DecimalField("Amount (£)", max_digits=14, decimal_places=2)
    received_on = models.DateField(help_text="The day the paying organisation received it.")
    terms_days = models.PositiveIntegerField(help_text="Payment terms the due date was set by.")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT
    )
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    paid_on = models.DateField(null=True, blank=True, help_text="The day it was paid in full.")
    disputed_on = models.DateField(null=True, blank=True)
    dispute_reason = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract", "tier", "period", "received_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "issuer_party", "reference"],
                name="invoice_reference_unique_per_issuer",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="invoice_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_paid__gte=0)
                & models.Q(amount_paid__lte=models.F("amount")),
                name="invoice_paid_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "tier", "due_on"]),
            models.Index(fields=["payer", "tier", "paid_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: invoice {self.reference} from {self.issuer_party}"

    def get_absolute_url(self) -> str:
        return reverse("invoices:detail", args=[self.contract.reference, self.pk])

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.amount_paid

    @property
    def undisputed_from(self) -> date:
        """The day the invoice counts as received for prompt payment: the day it was received,
        or, after a dispute, the day the dispute was resolved (the payer owes an undisputed
        invoice only; docs/invoices.md)."""
        return self.resolved_on or self.received_on


class Payment(models.Model):
    """One payment against an invoice; several make a part-paid invoice paid."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField()
    amount = models.DecimalField("Amount (£)", max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_key = idempotency.key_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            idempotency.key_constraint("invoice", "payment_submission_key_unique"),
        ]

    def __str__(self) -> str:
        return f"Payment of £{self.amount} on {self.paid_on} against {self.invoice}"


class PaymentNotice(models.Model):
    """A contract payment notice as published (UK8, LAW-1): the payments over £30,000 the
    commissioning body made to the prime under the contract in one quarter, chosen once when the
    quarter's notices are published (:mod:`commissioning.invoices.payment_notices`), so a
    payment recorded later never changes a notice already published."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="payment_notices"
    )
    quarter_start = models.DateField()
    quarter_end = models.DateField()
    published_at = models.DateTimeField()
    payments = models.ManyToManyField(Payment, related_name="notices")

    class Meta:
        ordering = ["contract", "quarter_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "quarter_start"], name="one_payment_notice_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: contract payment notice for {self.quarter_start}"
