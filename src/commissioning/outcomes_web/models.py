"""An outcome study: one uploaded cohort, its matching options and the result (OUT-1, OUT-4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commissioning import idempotency


class NationalExtract(models.Model):
    """One version of the data steward's national extract (OUT-1): people (pseudonyms, index
    date, covariates) and their proven offences, stored as two compressed files; only the
    steward sees it. Studies record the version they used; a retired version is offered to no
    new study but stays for the studies that used it."""

    version = models.PositiveIntegerField(unique=True, editable=False)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)
    identifier_columns = models.JSONField(
        default=list, help_text="The columns that identify a person, hashed on arrival"
    )
    covariates = models.JSONField(default=list, help_text="Numeric columns to match on")
    text_columns = models.JSONField(default=list, help_text="Text columns, such as sex or area")
    people_rows = models.PositiveIntegerField()
    offence_rows = models.PositiveIntegerField()
    content_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the two files as loaded, people then offences"
    )
    people_file = models.CharField(max_length=200)
    offences_file = models.CharField(max_length=200)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"National extract version {self.version}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


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
    extract = models.ForeignKey(
        NationalExtract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studies",
        help_text="The national extract version the cohort was linked to; empty: synthetic pool",
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
