"""JSON API for commissioning exercises (CYC-1), mounted at /api/exercises.

Reads are public. Writes need a signed-in session (``django_auth``: 401 otherwise) and the rules
in :mod:`commissioning.permissions` (403); they go through the same forms and services as the web
pages, so validation errors are the same, returned as 400 ``{"detail", "errors"}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.security import django_auth

from commissioning import idempotency, permissions
from commissioning.audit.versions import current_version
from commissioning.exercises import services
from commissioning.exercises.forms import (
    ExerciseEditForm,
    ExerciseFilterForm,
    ExerciseForm,
    StageChangeForm,
    form_errors,
)
from commissioning.exercises.lifecycle import TransitionError, cycle_number
from commissioning.exercises.models import CommissioningExercise
from commissioning.exercises.schemas import (
    ErrorOut,
    ExerciseCreateIn,
    ExerciseDetailOut,
    ExercisePageOut,
    ExerciseUpdateIn,
    StageChangeIn,
)
from commissioning.permissions import signed_in_user

router = Router(tags=["Commissioning exercises"])

INVALID = "Some of the values are not valid: see errors."
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _org(organisation: Any) -> dict[str, str]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "url": organisation.get_absolute_url(),
    }


def exercise_summary(exercise: CommissioningExercise) -> dict[str, Any]:
    return {
        "reference": exercise.reference,
        "title": exercise.title,
        "tier": exercise.tier,
        "tier_label": exercise.get_tier_display(),
        "commissioning_body": _org(exercise.commissioning_body),
        "service_area": {"slug": exercise.service_area.slug, "name": exercise.service_area.name},
        "areas": [{"slug": a.slug, "name": a.name} for a in exercise.areas.all()],
        "stage": exercise.stage,
        "stage_label": exercise.get_stage_display(),
        "estimated_annual_value": exercise.estimated_annual_value,
        "is_synthetic": exercise.is_synthetic,
        "url": exercise.get_absolute_url(),
    }


def exercise_detail(exercise: CommissioningExercise) -> dict[str, Any]:
    # The API is open data: who made a change is given by role and organisation, never by name.
    history = services.stage_history(exercise, viewer=None)
    return {
        **exercise_summary(exercise),
        "partners": [_org(p) for p in exercise.partners.all()],
        "summary": exercise.summary,
        "version": current_version(exercise),
        "cycle": cycle_number([(h.from_stage, h.to_stage) for h in history]),
        "stage_history": [
            {
                "changed_at": h.changed_at,
                "from_stage": h.from_stage,
                "from_stage_label": h.from_label,
                "to_stage": h.to_stage,
                "to_stage_label": h.to_label,
                "by": h.who,
                "reason": h.reason,
            }
            for h in history
        ],
    }


def _get(reference: str) -> CommissioningExercise:
    try:
        return services.get_exercise(reference)
    except CommissioningExercise.DoesNotExist:
        raise Http404(f"No commissioning exercise {reference}") from None


def _invalid(errors: dict[str, list[str]]) -> Status[dict[str, Any]]:
    return Status(400, {"detail": INVALID, "errors": errors})


def _forbidden(message: str) -> Status[dict[str, Any]]:
    return Status(403, {"detail": message, "errors": {}})


@router.get(
    "",
    response={200: ExercisePageOut, 400: ErrorOut},
    summary="List commissioning exercises",
    url_name="exercise_list",
)
def list_exercises(
    request: HttpRequest,
    tier: str = "",
    stage: str = "",
    area: str = Query("", description="Area slug"),
    body: str = Query("", description="Commissioning body slug"),
    q: str = Query("", description="Text in the title, reference or summary"),
    page: int = Query(1, ge=1),
    page_size: int = Query(settings.PAGE_SIZE, ge=1, le=100),
) -> Any:
    """Public. Same filters as the web list; newest first."""
    form = ExerciseFilterForm({"tier": tier, "stage": stage, "area": area, "body": body, "q": q})
    if not form.is_valid():
        return _invalid(form_errors(form))
    paginator = Paginator(services.filter_exercises(form.cleaned_data), page_size)
    items = paginator.page(page).object_list if page <= paginator.num_pages else []
    page_out = {
        "count": paginator.count,
        "page": page,
        "page_size": page_size,
        "results": [exercise_summary(e) for e in items],
    }
    return Status(200, page_out)


@router.get(
    "/{reference}",
    response={200: ExerciseDetailOut, 404: ErrorOut},
    summary="One exercise with its stage history",
    url_name="exercise_detail",
)
def get_exercise(request: HttpRequest, reference: str) -> Any:
    """Public."""
    return Status(200, exercise_detail(_get(reference)))


@router.post(
    "",
    auth=django_auth,
    response={201: ExerciseDetailOut, **WRITE_ERRORS},
    summary="Create an exercise",
)
def create_exercise(request: HttpRequest, payload: ExerciseCreateIn) -> Any:
    """For commissioners of the commissioning body named (and site administrators). The
    exercise starts at "assess need" and gets the next reference CX-<year>-<NNNN>. Send an
    `Idempotency-Key` header to retry safely: a repeat answers with the exercise already
    created."""
    if not permissions.can_create_exercise(request.user):
        return _forbidden("Only commissioners of a commissioning body can create exercises.")
    form = ExerciseForm(payload.model_dump(exclude_none=True), user=request.user)
    if not form.is_valid():
        return _invalid(form_errors(form))
    try:
        exercise = services.create_exercise(
            signed_in_user(request),
            form.cleaned_data,
            submission_key=idempotency.header_key(request),
        )
    except PermissionDenied as denied:
        return _forbidden(str(denied))
    return Status(201, exercise_detail(services.get_exercise(exercise.reference)))


@router.patch(
    "/{reference}",
    auth=django_auth,
    response={200: ExerciseDetailOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Change an exercise",
)
def update_exercise(request: HttpRequest, reference: str, payload: ExerciseUpdateIn) -> Any:
    """For commissioners of the exercise's body. Fields left out keep their value; the body,
    reference and stage cannot be changed here."""
    exercise = _get(reference)
    if not permissions.can_edit_exercise(request.user, exercise):
        return _forbidden("Only commissioners of the commissioning body can change it.")
    data = services.initial_from_exercise(exercise)
    data.update(payload.model_dump(exclude_unset=True))
    form = ExerciseEditForm({k: v for k, v in data.items() if v is not None}, exercise=exercise)
    if not form.is_valid():
        return _invalid(form_errors(form))
    services.update_exercise(
        signed_in_user(request), exercise, form.cleaned_data, form.edited_version()
    )
    return Status(200, exercise_detail(services.get_exercise(reference)))


@router.post(
    "/{reference}/stage",
    auth=django_auth,
    response={200: ExerciseDetailOut, **WRITE_ERRORS},
    summary="Move an exercise to another stage",
)
def change_stage(request: HttpRequest, reference: str, payload: StageChangeIn) -> Any:
    """Forward one stage; back from plan or procure with a reason; review → assess need starts
    the next cycle. Members of the body and partners are emailed."""
    exercise = _get(reference)
    if not permissions.can_edit_exercise(request.user, exercise):
        return _forbidden("Only commissioners of the commissioning body can move it on.")
    form = StageChangeForm(payload.model_dump(exclude_none=True), exercise=exercise)
    if not form.is_valid():
        return _invalid(form_errors(form))
    try:
        services.change_stage(
            signed_in_user(request), exercise, form.target(), form.cleaned_data["reason"]
        )
    except TransitionError as error:
        return _invalid({error.field: [error.message]})
    return Status(200, exercise_detail(services.get_exercise(reference)))
