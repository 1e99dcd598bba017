"""A sub-contractor's request for mediation in a dispute with its prime (SUP-3, the code of
conduct for primes): what the dispute is about, what happened, the outcome sought, and each step
the independent reviewer takes (accepted with a named mediator, or declined; then resolved or
not), dated and attributed on the record itself. Nothing in a request is public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

TEXT_MAX_LENGTH = 4000
MEDIATOR_MAX_LENGTH = 200


class MediationRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the independent reviewer"
        ACCEPTED = "accepted", "In mediation"
        RESOLVED = "resolved", "Resolved"
        NOT_RESOLVED = "not_resolved", "Not resolved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Category(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REFERRALS = "referrals", "Referrals"
        TERMS = "terms", "Terms of the sub-contract"
        MONITORING = "monitoring", "Monitoring demands"
        OTHER = "other", "Something else"

    # A contract is a permanent record once let (audit.permanence); only the synthetic demo's
    # contracts are ever deleted, and their requests go with them.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="mediation_requests"
    )
    subcontractor = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mediation_requests_made",
        help_text="The sub-contractor asking for mediation.",
    )
    prime = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mediation_requests_received",
        help_text="The prime the dispute is with, as it was when the request was made.",
    )
    category = models.CharField(
        "What the dispute is about", max_length=20, choices=Category.choices
    )
    what_happened = models.TextField(max_length=TEXT_MAX_LENGTH)
    outcome_sought = models.TextField("Outcome sought", max_length=TEXT_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the independent reviewer accepted or declined it."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mediator = models.CharField(max_length=MEDIATOR_MAX_LENGTH, blank=True)
    decline_reason = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)
    concluded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the outcome of the mediation was recorded."
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text="The outcome agreed, or why the dispute was not resolved.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"MED-{self.pk:05d}" if self.pk else "MED-new"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ACCEPTED)
