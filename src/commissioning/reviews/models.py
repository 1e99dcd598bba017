"""The review of one commissioning cycle of an exercise (CYC-4): what the contract taught,
assembled from the records, the commissioner's conclusions and what will change, and the next
cycle it was carried into. A published review is never deleted (``audit/permanence.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class ExerciseReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.CASCADE, related_name="reviews"
    )
    cycle = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    sections = models.JSONField(
        default=list, help_text="The figures assembled from the records, section by section."
    )
    assembled_at = models.DateTimeField()
    conclusions = models.TextField(blank=True)
    changes = models.TextField("What we will change", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_exercise = models.ForeignKey(
        "exercises.CommissioningExercise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_over_reviews",
        help_text="The exercise whose needs assessment opened with this review attached.",
    )
    carried_over_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exercise", "cycle"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "cycle"], name="one_review_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.exercise.reference}: review of cycle {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.exercise.reference, self.cycle])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
