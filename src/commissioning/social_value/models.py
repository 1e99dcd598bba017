"""A contract's social value commitments and the prime's quarterly reports of what it delivered
(EVA-2, EVA-3, LAW-1): what the winning bid promised under the social value criterion, recorded
on the contract by its commissioners, each with a measure, a target per quarter and the figures
reported against it. ``QuarterlyReport.status`` is written only by
:mod:`commissioning.social_value.lifecycle`."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Measure(models.TextChoices):
    """The government's standard social value reporting metrics that fit rehabilitation
    services, and "other" for a commitment none of them measures."""

    PEOPLE_WITH_CONVICTIONS = "people_with_convictions", "People with convictions employed"
    VCSE_SPEND = "vcse_spend", "Spend with VCSE organisations (£)"
    VOLUNTEERING_HOURS = "volunteering_hours", "Volunteering hours"
    SERVICE_USER_SESSIONS = "service_user_sessions", "Service-user involvement sessions"
    OTHER = "other", "Other"


#: The unit each standard measure counts in; an "other" commitment names its own.
UNITS = {
    Measure.PEOPLE_WITH_CONVICTIONS: "people",
    Measure.VCSE_SPEND: "£",
    Measure.VOLUNTEERING_HOURS: "hours",
    Measure.SERVICE_USER_SESSIONS: "sessions",
}


class Commitment(models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="social_value_commitments"
    )
    measure = models.CharField(max_length=30, choices=Measure.choices)
    description = models.TextField("What was promised")
    unit = models.CharField(max_length=40, help_text="What the target and the figures count.")
    target_per_quarter = models.DecimalField("Target each quarter", max_digits=14, decimal_places=2)
    bid = models.ForeignKey(
        "bids.Bid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The winning bid the commitment was promised in, where it came from one.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "pk"]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.get_measure_display()}"

    @property
    def is_money(self) -> bool:
        return self.unit == "£"


class QuarterlyReport(models.Model):
    """What the prime delivered against one commitment in one calendar quarter."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        ACCEPTED = "accepted", "Accepted"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reports")
    quarter = models.DateField(help_text="The first day of the quarter reported.")
    delivered = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True, help_text="Seen by the commissioners and the prime only.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    question = models.TextField(
        "The commissioner's question",
        blank=True,
        help_text="Seen by the commissioners and the prime only.",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["commitment", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "quarter"], name="social_value_report_once_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: quarter from {self.quarter}"
