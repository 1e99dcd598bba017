"""An escalation: a provider delivering under a contract tells the contract's probation body of
escalating risk or a breach, and probation acknowledges and responds (REF-2).

Each escalation keeps the deadlines its urgency's targets gave it when it was raised
(``acknowledge_by``, ``respond_by``), so a later change of targets does not rewrite the record.
Nothing in an escalation is public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from commissioning import idempotency

WHAT_HAPPENED_MAX_LENGTH = 4000
RESPONSE_MAX_LENGTH = 4000


class Escalation(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", "Waiting for acknowledgement"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESPONDED = "responded", "Responded"

    class Category(models.TextChoices):
        RISK_OF_SERIOUS_HARM = "risk_of_serious_harm", "Risk of serious harm to others"
        RISK_TO_SELF = "risk_to_self", "Risk to the person themselves (self-harm or suicide)"
        CHILD_SAFEGUARDING = "child_safeguarding", "Safeguarding concern about a child"
        ADULT_SAFEGUARDING = "adult_safeguarding", "Safeguarding concern about an adult"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
        LICENCE_BREACH = "licence_breach", "Breach of licence or supervision conditions"
        ORDER_BREACH = "order_breach", "Breach of a community or suspended sentence order"
        FURTHER_OFFENDING = "further_offending", "Further offending, arrest or charge"
        DISENGAGEMENT = "disengagement", "Disengagement or failure to attend"
        ACCOMMODATION_LOSS = "accommodation_loss", "Loss of accommodation"

    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate"
        SAME_DAY = "same_day", "Same working day"
        THREE_DAYS = "three_days", "Within 3 working days"

    # A contract is a permanent record once let (audit.permanence); only the synthetic demo's
    # contracts are ever deleted, and their escalations go with them.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="escalations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="escalations_raised",
        help_text="The provider that raised it.",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_with_token = models.ForeignKey(
        "service_accounts.OrganisationToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation's API token it was raised with, if any.",
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    what_happened = models.TextField(max_length=WHAT_HAPPENED_MAX_LENGTH)
    occurred_at = models.DateTimeField("When it happened")
    raised_at = models.DateTimeField(db_index=True)
    acknowledge_by = models.DateTimeField()
    respond_by = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(max_length=RESPONSE_MAX_LENGTH, blank=True)
    submission_key = idempotency.key_field()
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [idempotency.key_constraint("organisation", "escalation_key_unique")]
        indexes = [models.Index(fields=["contract", "raised_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("escalations:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"ESC-{self.pk:05d}" if self.pk else "ESC-new"
