"""Commissioning exercises and the dated history of their stages (CYC-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from commissioning import idempotency
from commissioning.exercises.lifecycle import Stage

STAGE_CHOICES = [(stage.value, stage.label) for stage in Stage]


class CommissioningExercise(models.Model):
    class Tier(models.TextChoices):
        NATIONAL = "national", "National"
        SUB_NATIONAL = "sub_national", "Sub-national"
        LOCAL = "local", "Local"

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    commissioning_body = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="exercises"
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        related_name="partner_exercises",
        blank=True,
        verbose_name="Joint-commissioning partners",
    )
    service_area = models.ForeignKey(
        "directory.Specialism", on_delete=models.PROTECT, related_name="exercises"
    )
    areas = models.ManyToManyField("directory.Area", related_name="exercises")
    summary = models.TextField()
    estimated_annual_value = models.DecimalField(
        "Estimated annual value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.ASSESS_NEED.value)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["-created_at", "reference"]
        indexes = [models.Index(fields=["tier", "stage"])]
        constraints = [
            # An exercise created twice (a double click, an API retry) is created once.
            idempotency.key_constraint("created_by", "exercise_created_once_per_submission_key")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", args=[self.reference])

    @property
    def current_stage(self) -> Stage:
        return Stage(self.stage)


class StageChange(models.Model):
    exercise = models.ForeignKey(
        CommissioningExercise, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, blank=True)
    to_stage = models.CharField(max_length=20)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.exercise.reference}: {self.from_stage or 'new'} → {self.to_stage}"

    @property
    def to_stage_label(self) -> str:
        return Stage(self.to_stage).label

    @property
    def from_stage_label(self) -> str:
        return Stage(self.from_stage).label if self.from_stage else ""
