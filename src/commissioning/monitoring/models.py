"""A provider's monitoring return for one calendar quarter, its case studies and corrections,
and what each funder relationship needs from it (SUP-7). ``status`` is written only by
:mod:`commissioning.monitoring.lifecycle`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Part(models.TextChoices):
    """The parts of a return a funder can ask for."""

    PEOPLE = "people", "People served"
    BREAKDOWN = "breakdown", "Who the people were"
    OUTPUTS = "outputs", "Outputs"
    OUTCOMES = "outcomes", "Outcomes"
    CASE_STUDIES = "case_studies", "Case studies"


#: The groups people served are counted in, by characteristic (each count optional).
BREAKDOWN_GROUPS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "age": (
        "Age",
        (
            ("18_24", "18 to 24"),
            ("25_34", "25 to 34"),
            ("35_49", "35 to 49"),
            ("50_plus", "50 and over"),
        ),
    ),
    "sex": ("Sex", (("female", "Female"), ("male", "Male"))),
    "ethnicity": (
        "Ethnic group",
        (
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
        ),
    ),
}


class MonitoringReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CORRECTED = "corrected", "Corrected"

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="monitoring_returns"
    )
    quarter_start = models.DateField(help_text="The first day of the calendar quarter.")
    quarter_end = models.DateField(help_text="The last day of the calendar quarter.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    people_served = models.PositiveIntegerField("People served", null=True, blank=True)
    breakdown = models.JSONField(
        default=dict, blank=True, help_text="Counts by characteristic and group."
    )
    outputs = models.TextField("Outputs", blank=True)
    outcomes = models.TextField("Outcomes", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter_start", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter_start"], name="one_monitoring_return_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Monitoring return {self.quarter_start:%Y-%m} of {self.organisation_id}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:detail", args=[self.pk])


class CaseStudy(models.Model):
    """A short story told with the person's consent and without their name."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="case_studies"
    )
    title = models.CharField(max_length=200)
    story = models.TextField()
    consent_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class Correction(models.Model):
    """A submitted return changed: why, by whom, when, and what it said before."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="corrections"
    )
    reason = models.TextField()
    previous = models.JSONField(help_text="The return's figures and text before the change.")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"Correction of {self.monitoring_return_id}"


class Entitlement(models.Model):
    """What one funder relationship needs from an organisation's returns: a contract where the
    organisation is the prime or a sub-contractor, or a grant agreement it holds."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="monitoring_funders"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_entitlements",
    )
    grant_agreement = models.ForeignKey(
        "grants.GrantAgreement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="monitoring_entitlements",
    )
    parts = models.JSONField(default=list, help_text="The parts of the return it needs.")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract__isnull=False, grant_agreement__isnull=True)
                | models.Q(contract__isnull=True, grant_agreement__isnull=False),
                name="monitoring_entitlement_one_funder",
            ),
            models.UniqueConstraint(
                fields=["organisation", "contract"], name="one_entitlement_a_contract"
            ),
            models.UniqueConstraint(
                fields=["organisation", "grant_agreement"], name="one_entitlement_a_grant"
            ),
        ]

    def __str__(self) -> str:
        return f"What {self.contract_id or self.grant_agreement_id} needs of {self.organisation_id}"
