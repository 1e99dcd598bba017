"""Reading equality impact assessments, and the tender's guard (EQU-1): an opportunity is not
published to tender (the UK4 tender notice) until its exercise's assessment is published."""

from __future__ import annotations

from django.urls import reverse

from commissioning.equality.models import Assessment
from commissioning.exercises.models import CommissioningExercise

NO_ASSESSMENT = (
    "Publish the exercise's equality impact assessment first: a tender is published only once "
    "the assessment of its impact on each protected characteristic is."
)


class LinkedProblem(str):
    """A reason in words that also says where it is fixed (``href``, for the error summary)."""

    href: str

    def __new__(cls, text: str, href: str) -> LinkedProblem:
        problem = super().__new__(cls, text)
        problem.href = href
        return problem


def published_assessment(exercise: CommissioningExercise) -> Assessment | None:
    return (
        exercise.equality_assessments.filter(status=Assessment.Status.PUBLISHED)
        .prefetch_related("findings", "consultations", "market_events")
        .first()
    )


def current_draft(exercise: CommissioningExercise) -> Assessment | None:
    return exercise.equality_assessments.filter(status=Assessment.Status.DRAFT).first()


def tender_problems(exercise: CommissioningExercise) -> list[str]:
    """Why the exercise's tender cannot be published yet as far as equality goes: empty once its
    assessment is published; otherwise one reason linking to the assessment."""
    if exercise.equality_assessments.filter(status=Assessment.Status.PUBLISHED).exists():
        return []
    return [LinkedProblem(NO_ASSESSMENT, reverse("equality:exercise", args=[exercise.reference]))]
