"""A survey round (one prime, one year), who has answered it and the answers (SUP-4).

The answers cannot be traced to whoever gave them (ADR 0011): :class:`SurveyAnswer` has no link
to an organisation or a person, no time and no sequential key (its key is random and the rows
are read in key order), and :class:`SurveyRespondent`, which stops an organisation answering
twice, shares nothing with it. ``SurveyRound.status`` is written only by
:mod:`commissioning.supply_survey.lifecycle`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

#: The five questions, by field name, as the form and the results ask them.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("fair_terms", "The prime contractor offers us fair terms"),
    ("prompt_payment", "The prime contractor pays us promptly"),
    ("proportionate_monitoring", "The prime contractor's monitoring is proportionate"),
    ("fair_risk", "The prime contractor shares risk with us fairly"),
    ("would_recommend", "We would recommend working with this prime contractor"),
)


class Agreement(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DISAGREE = 2, "Disagree"
    NEITHER = 3, "Neither agree nor disagree"
    AGREE = 4, "Agree"
    STRONGLY_AGREE = 5, "Strongly agree"


class SurveyRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PUBLISHED = "published", "Published"

    prime = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="survey_rounds"
    )
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-year", "prime__name"]
        constraints = [
            models.UniqueConstraint(fields=["prime", "year"], name="survey_round_once_a_year")
        ]

    def __str__(self) -> str:
        return f"Supply-chain survey of {self.prime.name}, {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("supply_survey:round", args=[self.prime.slug, self.year])


class SurveyRespondent(models.Model):
    """That an organisation has answered a round: nothing about what it answered, nor when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey_round = models.ForeignKey(
        SurveyRound, on_delete=models.CASCADE, related_name="respondents"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey_round", "organisation"], name="survey_answered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_round}: answered by {self.organisation.name}"


def _agreement() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        choices=Agreement.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class SurveyAnswer(models.Model):
    """One organisation's answers, unattributable: a random key, the round, the five answers, its
    free text (read only by the independent reviewer) and whether it may be quoted unnamed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="answers")
    fair_terms = _agreement()
    prompt_payment = _agreement()
    proportionate_monitoring = _agreement()
    fair_risk = _agreement()
    would_recommend = _agreement()
    comments = models.TextField(blank=True)
    may_quote = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey_round}: an answer"
