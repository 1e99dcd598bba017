"""What the review pages and the exercise's pages show of reviews (CYC-4)."""

from __future__ import annotations

import csv
import io
from typing import Any

from commissioning.exercises.lifecycle import Stage
from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import Visitor
from commissioning.reviews import access
from commissioning.reviews.models import ExerciseReview


def reviews_of(user: Visitor, exercise: CommissioningExercise) -> list[ExerciseReview]:
    """The exercise's reviews ``user`` may read, the latest cycle first."""
    found = ExerciseReview.objects.filter(exercise=exercise).select_related("exercise")
    return [review for review in found.order_by("-cycle") if access.can_view_review(user, review)]


def carried_over_to(exercise: CommissioningExercise) -> ExerciseReview | None:
    """The published review the present cycle of ``exercise`` opened with, if any."""
    return (
        ExerciseReview.objects.filter(
            next_exercise=exercise, status=ExerciseReview.Status.PUBLISHED
        )
        .select_related("exercise")
        .order_by("-carried_over_at", "-pk")
        .first()
    )


def section(review: ExerciseReview, key: str) -> dict[str, Any] | None:
    return next((found for found in review.sections if found["key"] == key), None)


def you_said_we_did(review: ExerciseReview) -> list[list[str]]:
    """The "you said, we did" rows a review carries into the next cycle."""
    found = section(review, "you-said-we-did")
    return list(found["rows"]) if found else []


def section_csv(found: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(found["columns"])
    writer.writerows(found["rows"])
    return out.getvalue()


def exercise_section(user: Visitor, exercise: CommissioningExercise) -> dict[str, Any]:
    """Context for the reviews' part of the exercise's pages."""
    previous = carried_over_to(exercise)
    return {
        "previous_review": previous,
        "carried_over": you_said_we_did(previous) if previous else [],
        "can_write": access.can_write_review(user, exercise),
        "at_review": exercise.stage == Stage.REVIEW.value,
        "has_reviews": bool(reviews_of(user, exercise)),
    }
