"""Consultations, their questions, responses and "you said, we did" themes; market engagement
events with their notes and sign-ups (CYC-2, CYC-3, USR-1).

An anonymous response stores no name, email or account: ``user`` stays empty (USR-1).
Whether a consultation is open is worked out from its dates and the server's clock
(:mod:`.rules`), so it closes at its closing date without any scheduled job.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from commissioning import idempotency
from commissioning.engagement import rules


class Consultation(models.Model):
    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.CASCADE, related_name="consultations"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    closed_early_at = models.DateTimeField(null=True, blank=True)
    closed_early_note = models.TextField(
        "Why it closed early",
        blank=True,
        help_text="Published on the consultation page: the engagement closes before the tender "
        "opens.",  # CYC-3
    )
    summary_intro = models.TextField(blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The groups of people it concerns, in the alerts' vocabulary (PRO-6, USR-1).
    cohorts = models.ManyToManyField(
        "directory.Cohort", related_name="consultations", blank=True, verbose_name="People served"
    )
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["closes_at", "pk"]
        constraints = [
            idempotency.key_constraint("exercise", "consultation_created_once_per_submission_key")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:consultation", args=[self.pk])

    def state(self, now: datetime | None = None) -> rules.State:
        return rules.consultation_state(
            self.published_at, self.opens_at, self.closes_at, now or timezone.now()
        )

    @property
    def current_state(self) -> rules.State:
        return self.state()

    @property
    def is_open(self) -> bool:
        return self.state() is rules.State.OPEN

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=300, blank=True)
    choices = models.JSONField(default=list, blank=True)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            idempotency.key_constraint(
                "consultation", "consultation_question_added_once_per_submission_key"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    class RespondentType(models.TextChoices):
        ORGANISATION = "organisation", "On behalf of an organisation"
        LIVED_EXPERIENCE = "lived_experience", "Person with lived experience"
        INDIVIDUAL = "individual", "Other individual"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    reference = models.CharField(max_length=20, unique=True)
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices)
    is_anonymous = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
    )
    submitted_at = models.DateTimeField()
    is_synthetic = models.BooleanField(default=False)
    # A random token from the form, linked to no one: a response sent twice is stored once.
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_anonymous=True, user__isnull=False),
                name="anonymous_response_has_no_user",
            ),
            idempotency.key_constraint(
                "consultation", "consultation_response_stored_once_per_submission_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Response {self.reference}"

    @property
    def respondent_label(self) -> str:
        """Who responded, as the body's commissioners see it: never an identity when anonymous."""
        if self.is_anonymous:
            return f"Anonymous ({self.get_respondent_type_display().lower()})"
        if self.organisation is not None:
            return self.organisation.name
        if self.user is not None:
            name = self.user.get_full_name() or self.user.get_username()
            return f"{name} ({self.get_respondent_type_display().lower()})"
        return self.get_respondent_type_display()


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_a_question")
        ]

    def __str__(self) -> str:
        return f"{self.response.reference}: {self.question.text[:40]}"


class SummaryTheme(models.Model):
    """One row of the "you said, we did" summary (CYC-2)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    you_said = models.TextField()
    we_did = models.TextField()
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            idempotency.key_constraint(
                "consultation", "summary_theme_added_once_per_submission_key"
            )
        ]

    def __str__(self) -> str:
        return self.you_said[:60]


class MarketEvent(models.Model):
    """A market engagement event: market place event, special interest group, … (CYC-3)."""

    exercise = models.ForeignKey(
        "exercises.CommissioningExercise", on_delete=models.CASCADE, related_name="market_events"
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    is_online = models.BooleanField(default=False)
    location = models.CharField(max_length=300, help_text="The address, or how to join when online")
    audience = models.CharField("Who it is for", max_length=300)
    agenda = models.TextField()
    capacity = models.PositiveIntegerField(
        "Places", null=True, blank=True, help_text="How many can sign up; empty for no limit."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    notes_published_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The groups of people it concerns, in the alerts' vocabulary (PRO-6, USR-1).
    cohorts = models.ManyToManyField(
        "directory.Cohort", related_name="market_events", blank=True, verbose_name="People served"
    )
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            idempotency.key_constraint("exercise", "market_event_created_once_per_submission_key")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:event", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def has_happened(self) -> bool:
        return self.starts_at <= timezone.now()


class EventRegistration(models.Model):
    """A signed-in person's place at a market engagement event, for one of their organisations
    (CYC-3: open sign-up). Cancelling deletes it; the audit trail keeps the history. Only the
    body's commissioners see who signed up."""

    event = models.ForeignKey(MarketEvent, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="event_registrations"
    )
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_place_each_at_an_event")
        ]

    def __str__(self) -> str:
        # Never the person's name: audit entries name a registration by this.
        return f"Place at {self.event} for {self.organisation}"
