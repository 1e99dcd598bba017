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


class PublishedNotice(models.Model):
    """A notice exactly as it was published (issue 11 items 3 and 9; LAW-1, PRO-9): the UK1
    pipeline notice of an exercise and the UK3 planned procurement notice of an opportunity.

    The release is stored when the notice is published and served as stored, so later edits of
    the exercise or of the draft opportunity never change what the public was told. URLs are
    stored relative to the site (``/exercises/…``) and made absolute when served. Never deleted
    (:mod:`commissioning.audit.permanence`).
    """

    class NoticeType(models.TextChoices):
        PIPELINE = "UK1", "UK1 pipeline notice"
        PLANNED_PROCUREMENT = "UK3", "UK3 planned procurement notice"

    exercise = models.ForeignKey(
        CommissioningExercise, on_delete=models.CASCADE, related_name="published_notices"
    )
    opportunity = models.ForeignKey(
        "procurement.Opportunity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="published_notices",
    )
    notice_type = models.CharField(max_length=8, choices=NoticeType.choices)
    ocid = models.CharField(max_length=200)
    release_id = models.CharField(max_length=250, unique=True)
    released_at = models.DateTimeField()
    release = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["released_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise"],
                condition=models.Q(notice_type="UK1"),
                name="one_pipeline_notice_per_exercise",
            ),
            models.UniqueConstraint(
                fields=["opportunity"],
                condition=models.Q(notice_type="UK3"),
                name="one_planned_notice_per_opportunity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice_type} {self.release_id}"
