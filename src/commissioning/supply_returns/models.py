"""A contract's supply-chain return for one calendar quarter and its lines, one per
sub-contractor (SUP-1). The figures are drafted from the referral and payment records, never
typed; the prime adds a note per line. ``status`` on both is written only by
:mod:`commissioning.supply_returns.lifecycle`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse


class SupplyReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="supply_returns"
    )
    quarter_start = models.DateField(help_text="The first day of the calendar quarter.")
    quarter_end = models.DateField(help_text="The last day of the calendar quarter.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    drafted_at = models.DateTimeField(
        help_text="When the figures were last drawn from the records."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["contract", "-quarter_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "quarter_start"], name="supply_return_once_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: return for {self.quarter_code}"

    def get_absolute_url(self) -> str:
        return reverse("supply_returns:detail", args=[self.contract.reference, self.quarter_code])

    @property
    def quarter_code(self) -> str:
        return f"{self.quarter_start.year}Q{(self.quarter_start.month - 1) // 3 + 1}"


class ReturnLine(models.Model):
    """One sub-contractor's line: its services, referrals received, started and completed in the
    quarter, the money paid to it in the quarter, the prime's note and its own answer."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not yet submitted"
        AWAITING = "awaiting_confirmation", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"

    supply_return = models.ForeignKey(SupplyReturn, on_delete=models.CASCADE, related_name="lines")
    party = models.ForeignKey(
        "contracts.ContractParty", on_delete=models.CASCADE, related_name="return_lines"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="return_lines"
    )
    services = models.TextField(blank=True)
    referrals_received = models.PositiveIntegerField(default=0)
    referrals_started = models.PositiveIntegerField(default=0)
    referrals_completed = models.PositiveIntegerField(default=0)
    amount_paid = models.DecimalField(
        "Paid in the quarter (£)", max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    prime_note = models.TextField("Note from the prime contractor", blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispute_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["supply_return", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supply_return", "party"], name="return_line_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_return}: {self.organisation.name}"
