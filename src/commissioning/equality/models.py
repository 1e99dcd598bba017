"""An exercise's equality impact assessment (EQU-1, USR-1): for each of the nine protected
characteristics of the Equality Act 2010 the evidence, the likely impact and the mitigation, with
who was engaged (specialist organisations, service users, the exercise's consultations and
market engagement events).

Each published version is kept: revising a published assessment drafts a new version with a
reason, and publishing it supersedes the one before (:mod:`.lifecycle`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Characteristic(models.TextChoices):
    """The protected characteristics, in the Act's order (s.4)."""

    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage", "Marriage and civil partnership"
    PREGNANCY = "pregnancy", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class Impact(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"
    NOT_KNOWN = "not_known", "Not known"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Replaced by a later version"

    exercise = models.ForeignKey(
        "exercises.CommissioningExercise",
        on_delete=models.CASCADE,
        related_name="equality_assessments",
    )
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    scope = models.TextField("What the assessment covers", blank=True)
    organisations_engaged = models.TextField("Specialist organisations engaged", blank=True)
    service_users_engaged = models.TextField("How service users were engaged", blank=True)
    consultations = models.ManyToManyField(
        "engagement.Consultation", blank=True, related_name="equality_assessments"
    )
    market_events = models.ManyToManyField(
        "engagement.MarketEvent", blank=True, related_name="equality_assessments"
    )
    revision_reason = models.TextField("Why the assessment was revised", blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exercise", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "version"], name="one_assessment_per_exercise_version"
            )
        ]

    def __str__(self) -> str:
        return f"Equality impact assessment, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("equality:exercise", args=[self.exercise.reference])

    def finding_for(self, characteristic: str) -> Finding | None:
        return next((f for f in self.findings.all() if f.characteristic == characteristic), None)


class Finding(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    characteristic = models.CharField(max_length=30, choices=Characteristic.choices)
    evidence = models.TextField(blank=True)
    impact = models.CharField(max_length=20, choices=Impact.choices, blank=True)
    mitigation = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "characteristic"], name="one_finding_per_characteristic"
            )
        ]

    def __str__(self) -> str:
        return Characteristic(self.characteristic).label

    @property
    def characteristic_label(self) -> str:
        return Characteristic(self.characteristic).label

    @property
    def impact_label(self) -> str:
        return Impact(self.impact).label if self.impact else ""
