"""Independent evaluation, then moderation (EVA-5), and proportionate selection (EVA-6).

* :class:`EvaluatorAssignment` — the commissioner assigns an evaluator to a judged criterion
  (quality or social value; price is computed by formula). ``submitted_at`` locks the
  evaluator's scores for that criterion and lets them see the other evaluators' scores.
* :class:`PanelAdviser` — a non-scoring member of the panel (finance, legal, lived experience)
  whom the commissioner adds to advise the evaluators; they read the opened bids but score none.
* :class:`ConflictDeclaration` — before any bid content is shown, each evaluator and each adviser
  declares, for every bidding organisation, no conflict or a conflict with details (PRO-11). A
  conflict removes them from scoring or reading that organisation's bid. (``evaluator`` names
  the panel member, whichever they are.)
* :class:`EvaluatorScore` — one evaluator's score on the criterion's scale for one bid, with a
  written justification (drafts until the assignment is submitted).
* :class:`ModeratedScore` — the agreed score per (bid, criterion) and its rationale.
* :class:`SelectionResult` — pass/fail per bid and selection question (optional record).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EvaluatorAssignment(models.Model):
    criterion = models.ForeignKey(
        "procurement.Criterion", on_delete=models.CASCADE, related_name="evaluator_assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["criterion__order", "criterion_id", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "evaluator"], name="one_assignment_per_criterion_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.criterion}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class PanelAdviser(models.Model):
    """An adviser to the evaluation panel of one opportunity: reads the opened bids once they
    have declared their interests in every bidder, and scores nothing (PRO-11, EVA-5)."""

    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="panel_advisers"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_advice"
    )
    expertise = models.CharField(max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opportunity", "adviser__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "adviser"], name="one_adviser_place_per_opportunity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.adviser} advising on {self.opportunity} ({self.expertise})"


class ConflictDeclaration(models.Model):
    opportunity = models.ForeignKey(
        "procurement.Opportunity", on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["opportunity", "evaluator__email", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "evaluator", "organisation"],
                name="one_declaration_per_evaluator_and_bidder",
            )
        ]

    def __str__(self) -> str:
        state = "conflict" if self.has_conflict else "no conflict"
        return f"{self.evaluator} / {self.organisation}: {state}"


class EvaluatorScore(models.Model):
    assignment = models.ForeignKey(
        EvaluatorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    bid = models.ForeignKey("bids.Bid", on_delete=models.CASCADE, related_name="evaluator_scores")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assignment", "bid"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "bid"], name="one_score_per_bid")
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: bid {self.bid_id} scored {self.score}"


class ModeratedScore(models.Model):
    bid = models.ForeignKey("bids.Bid", on_delete=models.CASCADE, related_name="moderated_scores")
    criterion = models.ForeignKey(
        "procurement.Criterion", on_delete=models.CASCADE, related_name="moderated_scores"
    )
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField()

    class Meta:
        ordering = ["bid", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_moderated_score")
        ]

    def __str__(self) -> str:
        return f"Bid {self.bid_id}, {self.criterion}: {self.score}"


class SelectionResult(models.Model):
    """Pass or fail on one proportionate selection question (EVA-6) for one bid."""

    bid = models.ForeignKey("bids.Bid", on_delete=models.CASCADE, related_name="selection_results")
    question_id = models.CharField(max_length=60)
    passed = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["bid", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "question_id"], name="one_selection_result")
        ]

    def __str__(self) -> str:
        return f"Bid {self.bid_id}, {self.question_id}: {'pass' if self.passed else 'fail'}"
