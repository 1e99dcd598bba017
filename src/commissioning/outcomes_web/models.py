"""An outcome study: one uploaded cohort, its matching options and the result (OUT-1, OUT-4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commissioning import idempotency


class OutcomeStudy(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="outcome_studies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="outcome_studies",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    outcome = models.CharField(max_length=100)
    covariates = models.JSONField(default=list)
    options = models.JSONField(default=dict, help_text="caliper (number or null), replace, ratio")
    cohort_csv = models.TextField(help_text="The uploaded cohort file (at most 5 MB)")
    cohort_filename = models.CharField(max_length=200, blank=True)
    # When the uploaded cohort (personal data) was deleted; the aggregate result stays.
    cohort_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    exercise = models.ForeignKey(
        "exercises.CommissioningExercise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_studies",
        verbose_name="Related commissioning exercise",
        help_text="Its commissioning body's commissioners may see the unpublished result",
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="A demo study of a synthetic cohort (replaced on each demo load)"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "outcome studies"
        constraints = [
            # A cohort uploaded twice (a double click) is stored and evaluated once.
            idempotency.key_constraint(
                "organisation", "outcome_study_created_once_per_submission_key"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        """Published studies are public, with every count suppressed (OUT-4)."""
        return self.published_at is not None
