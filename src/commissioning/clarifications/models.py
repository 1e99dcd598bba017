"""Clarification questions on an opportunity (PRO-4).

A provider asks; the asker (person and organisation) is stored but never published: the public
sees only the question text as the commissioners publish it (``text``, which they may edit to
anonymise it; ``original_text`` keeps what was asked, for the commissioners only), the answer,
the date asked and the date the answer is due under the guaranteed response time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commissioning import idempotency


class Question(models.Model):
    class Status(models.TextChoices):
        AWAITING = "awaiting", "Awaiting an answer"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DUPLICATE = "duplicate", "Duplicate"

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveIntegerField(help_text="Numbered from 1 within the opportunity.")
    lot = models.ForeignKey(
        "procurement.Lot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    # Who asked: stored, shown to the body's commissioners only (never published).
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asker_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    original_text = models.TextField("Question as asked")
    text = models.TextField("Question as published")
    asked_at = models.DateTimeField()
    response_working_days = models.PositiveSmallIntegerField(
        help_text="The guaranteed response time when the question was asked."
    )
    due_on = models.DateField("Answer due by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_reason = models.TextField("Reason", blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    submission_key = idempotency.key_field()

    class Meta:
        ordering = ["opportunity", "-asked_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="question_number_unique"
            ),
            # A question sent twice (a double click, two tabs) is asked once (issue 11 item 25).
            idempotency.key_constraint("asked_by", "question_asked_once_per_submission_key"),
        ]

    def __str__(self) -> str:
        # Never the asker: audit entries and logs name questions by this.
        return f"Question {self.number} on {self.opportunity.reference}"

    @property
    def is_published(self) -> bool:
        """Question text and answer are public once the answer is published."""
        return self.status == self.Status.ANSWERED

    @property
    def text_edited(self) -> bool:
        return self.text.strip() != self.original_text.strip()
