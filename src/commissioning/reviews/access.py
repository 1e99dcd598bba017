"""Who may do what with a cycle review (CYC-4), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007): the commissioners of the exercise's body (and site
administrators) assemble, write, publish and carry it into the next cycle; everyone reads what is
published; a draft is for those who write it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning import permissions

if TYPE_CHECKING:
    from commissioning.exercises.models import CommissioningExercise
    from commissioning.reviews.models import ExerciseReview


def can_write_review(user: permissions.Visitor, exercise: CommissioningExercise) -> bool:
    return bool(permissions.can_edit_exercise(user, exercise))


def can_view_review(user: permissions.Visitor, review: ExerciseReview) -> bool:
    if review.is_published:
        return True
    return can_write_review(user, review.exercise)
