"""Web pages for commissioning exercises (CYC-1): thin views over :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.audit.versions import StaleEdit
from commissioning.engagement.queries import engagement_for_exercise
from commissioning.exercises import services
from commissioning.exercises.forms import (
    ExerciseEditForm,
    ExerciseFilterForm,
    ExerciseForm,
    StageChangeForm,
)
from commissioning.exercises.lifecycle import (
    TransitionError,
    cycle_number,
    cycle_progress,
)
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel.pagecache import cache_until, public_page
from commissioning.kernel.pagination import paginate
from commissioning.outcomes_web.services import exercise_studies
from commissioning.permissions import signed_in_user


def _exercise_or_404(reference: str) -> CommissioningExercise:
    try:
        return services.get_exercise(reference)
    except CommissioningExercise.DoesNotExist:
        raise Http404("No commissioning exercise with that reference") from None


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even an empty one), or None to show an unbound form."""
    return request.POST if request.method == "POST" else None


def _list_crumb() -> tuple[str, str]:
    return ("Commissioning exercises", reverse("exercises:list"))


@require_http_methods(["GET", "HEAD"])
@public_page("exercises", "directory", "accounts")
def exercise_list(request: HttpRequest) -> HttpResponse:
    form = ExerciseFilterForm(request.GET)
    form.is_valid()  # invalid filters are reported and left out; the valid ones still apply
    context = {
        "form": form,
        "crumbs": [("Commissioning exercises", None)],
        "can_create": permissions.can_create_exercise(request.user),
        "filtered": any(form.cleaned_data.values()),
        **paginate(request, services.filter_exercises(form.cleaned_data)),
    }
    return render(request, "exercises/list.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page()
def exercise_detail(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise_or_404(reference)
    history = services.stage_history(exercise, request.user)
    can_edit = permissions.can_edit_exercise(request.user, exercise)
    context: dict[str, Any] = {
        "exercise": exercise,
        "crumbs": [_list_crumb(), (exercise.reference, None)],
        "steps": cycle_progress(exercise.current_stage),
        "cycle": cycle_number([(h.from_stage, h.to_stage) for h in history]),
        "history": history,
        "can_edit": can_edit,
        "stage_form": StageChangeForm(exercise=exercise) if can_edit else None,
        "outcome_studies": exercise_studies(request.user, exercise),
        **engagement_for_exercise(request.user, exercise),
    }
    response = render(request, "exercises/detail.html", context)
    # A consultation's tag says open or closed by the clock.
    consultations = context["engagement_consultations"]
    return cache_until(
        response, *(c.opens_at for c in consultations), *(c.closes_at for c in consultations)
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_exercise(request.user):
        raise PermissionDenied("Only commissioners of a commissioning body can create exercises.")
    form = ExerciseForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        exercise = services.create_exercise(
            signed_in_user(request),
            form.cleaned_data,
            submission_key=form.cleaned_data["submission_key"],
        )
        messages.success(request, f"Exercise {exercise.reference} created")
        return redirect(exercise)
    context = {
        "form": form,
        "crumbs": [_list_crumb(), ("Create an exercise", None)],
        "heading": "Create a commissioning exercise",
        "submit_label": "Create exercise",
        "cancel_url": reverse("exercises:list"),
    }
    return render(request, "exercises/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_edit(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise_or_404(reference)
    if not permissions.can_edit_exercise(request.user, exercise):
        raise PermissionDenied("Only commissioners of the commissioning body can edit this.")
    form = ExerciseEditForm(
        _posted(request),
        exercise=exercise,
        initial=services.initial_from_exercise(exercise),
        versioned=exercise,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_exercise(
                signed_in_user(request), exercise, form.cleaned_data, form.edited_version()
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
            status = 409
        else:
            messages.success(request, f"Exercise {exercise.reference} updated")
            return redirect(exercise)
    context = {
        "form": form,
        "exercise": exercise,
        "crumbs": [
            _list_crumb(),
            (exercise.reference, exercise.get_absolute_url()),
            ("Edit", None),
        ],
        "heading": f"Edit {exercise.reference}",
        "submit_label": "Save changes",
        "cancel_url": exercise.get_absolute_url(),
    }
    return render(request, "exercises/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_stage(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise_or_404(reference)
    if not permissions.can_edit_exercise(request.user, exercise):
        raise PermissionDenied("Only commissioners of the commissioning body can move it on.")
    form = StageChangeForm(_posted(request), exercise=exercise)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_stage(
                signed_in_user(request), exercise, form.target(), form.cleaned_data["reason"]
            )
        except TransitionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request, f"Exercise {exercise.reference} moved to {exercise.current_stage.label}"
            )
            return redirect(exercise)
    context = {
        "form": form,
        "exercise": exercise,
        "crumbs": [
            _list_crumb(),
            (exercise.reference, exercise.get_absolute_url()),
            ("Move to another stage", None),
        ],
    }
    return render(request, "exercises/stage.html", context)
