"""Who may do what with equality impact assessments (EQU-1), on the building blocks of
:mod:`commissioning.permissions` (ADR 0007): the commissioners of the exercise's body (and site
administrators) write, revise and publish; everyone reads what is published; drafts are for
those who write them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissioning import permissions

if TYPE_CHECKING:
    from commissioning.equality.models import Assessment
    from commissioning.exercises.models import CommissioningExercise


def can_write_assessment(user: permissions.Visitor, exercise: CommissioningExercise) -> bool:
    return bool(permissions.can_edit_exercise(user, exercise))


def can_view_assessment(user: permissions.Visitor, assessment: Assessment) -> bool:
    if assessment.published_at is not None:
        return True
    return can_write_assessment(user, assessment.exercise)
