"""Grant rounds (CYC-6): a published call for grant applications under a commissioning
exercise, the applications, the panel's interests and scores, the decisions with feedback, and
the grant agreements with their payment schedules and light monitoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse

if TYPE_CHECKING:
    from commissioning.directory.models import Organisation


class GrantRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for applications"
        CLOSED = "closed", "Closed, being assessed"
        DECIDED = "decided", "Decided"

    reference = models.CharField(max_length=30, unique=True)
    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.PROTECT, related_name="grant_rounds"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    eligibility = models.TextField()
    amount_available = models.DecimalField(max_digits=12, decimal_places=2)
    minimum_grant = models.DecimalField(max_digits=12, decimal_places=2)
    maximum_grant = models.DecimalField(max_digits=12, decimal_places=2)
    short_form_limit = models.DecimalField(
        "Largest amount asked for with the short form",
        max_digits=12,
        decimal_places=2,
        help_text="Applications for this much or less answer only the four short questions.",
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    decision_by = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="grant_rounds_assessed", blank=True
    )
    # A prime's small-grants pot (CYC-6): a round run by the prime under its contract, managed
    # and assessed by the prime's approved members instead of the commissioning body's.
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="grant_rounds",
        null=True,
        blank=True,
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_rounds_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:round", args=[self.reference])

    @property
    def funder(self) -> Organisation:
        """Who gives the grants: the prime for its small-grants pot, else the exercise's
        commissioning body."""
        if self.contract is not None:
            return self.contract.prime
        return self.exercise.commissioning_body


class GrantCriterion(models.Model):
    """One of the round's published criteria, scored 0 to ``max_score`` by each assessor."""

    grant_round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    max_score = models.PositiveSmallIntegerField(default=4)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class GrantApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        NOT_AWARDED = "not_awarded", "Not awarded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    grant_round = models.ForeignKey(
        GrantRound, on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="grant_applications"
    )
    title = models.CharField(max_length=200)
    activity = models.TextField("What you will do")
    beneficiaries = models.TextField("Who it is for")
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2)
    difference = models.TextField("What difference it will make")
    # The longer form, only above the round's short-form limit.
    budget_breakdown = models.TextField(blank=True)
    delivery_plan = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The organisation's core supplier information as it stood when the application was sent
    # (LAW-5): the funder reads this version instead of asking again.
    supplier_information = models.ForeignKey(
        "supplier_information.SupplierInformationVersion",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["grant_round", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant_round", "organisation"], name="one_grant_application_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])


class InterestDeclaration(models.Model):
    """An assessor's declaration about one application, made before scoring it: a conflict
    means the assessor scores nothing of that application."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="declarations"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_declarations"
    )
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="one_grant_declaration_each"
            )
        ]

    def __str__(self) -> str:
        return f"Declaration by {self.assessor_id} on application {self.application_id}"


class AssessorScore(models.Model):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(GrantCriterion, on_delete=models.CASCADE, related_name="scores")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_scores"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField()
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "assessor"], name="one_grant_score_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} on {self.criterion_id} by {self.assessor_id}"


class ModeratedGrantScore(models.Model):
    """The panel's agreed score for one criterion of one application, with the note saying
    how it was agreed."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(
        GrantCriterion, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    score = models.PositiveSmallIntegerField()
    note = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_moderations"
    )
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_moderated_grant_score"
            )
        ]

    def __str__(self) -> str:
        return f"Agreed {self.score} on {self.criterion_id}"


class GrantAgreement(models.Model):
    application = models.OneToOneField(
        GrantApplication, on_delete=models.PROTECT, related_name="agreement"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    monitoring_note = models.TextField(
        "What the organisation reports", help_text="Kept light: what you already collect."
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_agreements"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Grant agreement for {self.application}"


class Instalment(models.Model):
    agreement = models.ForeignKey(
        GrantAgreement, on_delete=models.CASCADE, related_name="instalments"
    )
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on}"


class MonitoringReport(models.Model):
    """A short report from the grant holder: what was done and for how many people."""

    agreement = models.ForeignKey(
        GrantAgreement, on_delete=models.CASCADE, related_name="monitoring_reports"
    )
    period_end = models.DateField()
    people_helped = models.PositiveIntegerField()
    summary = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_monitoring"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end", "pk"]

    def __str__(self) -> str:
        return f"Report to {self.period_end}"
