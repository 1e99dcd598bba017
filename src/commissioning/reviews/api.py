"""Cycle reviews in the API (CYC-4): a published review for everyone (a draft for its
commissioners), and publishing the draft, refused with the same words as the page
(``{detail, errors}``, 400 naming each field)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.permissions import signed_in_user
from commissioning.reviews import access, services
from commissioning.reviews.models import ExerciseReview

router = Router(tags=["cycle reviews"])


class SectionOut(Schema):
    key: str
    title: str
    source: str
    empty: str
    columns: list[str]
    rows: list[list[str]]


class ReviewOut(Schema):
    exercise: str
    cycle: int
    status: str
    assembled_at: datetime
    published_at: datetime | None
    conclusions: str
    changes: str
    next_exercise: str | None
    sections: list[SectionOut]
    is_synthetic: bool


def review_out(review: ExerciseReview) -> dict[str, Any]:
    return {
        "exercise": review.exercise.reference,
        "cycle": review.cycle,
        "status": review.status,
        "assembled_at": review.assembled_at,
        "published_at": review.published_at,
        "conclusions": review.conclusions,
        "changes": review.changes,
        "next_exercise": review.next_exercise.reference if review.next_exercise else None,
        "sections": review.sections,
        "is_synthetic": review.is_synthetic,
    }


def _review(reference: str, cycle: int) -> ExerciseReview:
    return get_object_or_404(
        ExerciseReview.objects.select_related("exercise", "next_exercise"),
        exercise__reference=reference,
        cycle=cycle,
    )


@router.get(
    "/{reference}/reviews/{cycle}",
    response={200: ReviewOut, 404: ErrorOut},
    summary="The review of one commissioning cycle of an exercise",
)
def get_review(request: HttpRequest, reference: str, cycle: int) -> Any:
    """Each section names where its figures come from (`source`) and what an empty table means
    (`empty`); its `rows` are the cells as the page shows them, under `columns`."""
    review = _review(reference, cycle)
    if not access.can_view_review(request.user, review):
        return error(404, "The review is not published yet.")
    return Status(200, review_out(review))


@router.post(
    "/{reference}/reviews/{cycle}/publish",
    auth=django_auth,
    response={200: ReviewOut, **WRITE_ERRORS},
    summary="Publish the draft review of a commissioning cycle",
)
def publish_review(request: HttpRequest, reference: str, cycle: int) -> Any:
    """For the commissioners of the exercise's body. Refused (400, naming each field) while the
    conclusions or what will change are missing, or once published."""
    review = _review(reference, cycle)
    user = signed_in_user(request)
    if not access.can_write_review(user, review.exercise):
        return error(403, "Only the exercise's commissioners publish its review.")
    return Status(200, review_out(services.publish(user, review)))
