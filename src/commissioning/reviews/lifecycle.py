"""A cycle review's status as one explicit state machine (CYC-4; the pattern of issue 12).

    draft ──publish──▶ published

A draft's figures are assembled again from the records whenever the commissioner asks; once
published the figures, conclusions and changes are frozen and the review can be carried into the
next cycle. :func:`publish` is the only code that writes ``ExerciseReview.status``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from commissioning.accounts.models import User
from commissioning.reviews.models import ExerciseReview
from commissioning.transitions import Transition

Status = ExerciseReview.Status

TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (Status.DRAFT, Status.PUBLISHED): Transition(
        action="review.publish",
        guard="A commissioner of the exercise's body; the conclusions and what will change "
        "written.",
        effects=("public page and CSV", "the next cycle may open with it attached"),
    ),
}


def publish_problems(review: ExerciseReview) -> dict[str, str]:
    """What stops ``review`` being published, by form field (empty when it can be)."""
    if review.status != Status.DRAFT:
        return {"__all__": "This review is already published."}
    problems: dict[str, str] = {}
    if not review.conclusions.strip():
        problems["conclusions"] = "Enter the conclusions of the review"
    if not review.changes.strip():
        problems["changes"] = "Enter what will change in the next cycle"
    return problems


def publish(locked: ExerciseReview, actor: User, now: datetime) -> Transition:
    """Publish a draft locked by the caller; refuses with every problem by field, nothing
    written."""
    problems = publish_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.status = Status.PUBLISHED
    locked.published_at = now
    locked.published_by = actor
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return TRANSITIONS[(Status.DRAFT, Status.PUBLISHED)]
