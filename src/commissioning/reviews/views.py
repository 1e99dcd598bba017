"""The review pages (CYC-4): an exercise's reviews, one review with its figures, conclusions and
CSV per table, and the commissioner's actions on it. Thin views over :mod:`.services`,
:mod:`.queries` and :mod:`.access`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.exercises.lifecycle import Stage
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.reviews import access, lifecycle, queries, services
from commissioning.reviews.forms import NextCycleForm, ReviewForm
from commissioning.reviews.models import ExerciseReview


def _exercise(reference: str) -> CommissioningExercise:
    return get_object_or_404(
        CommissioningExercise.objects.select_related("commissioning_body"), reference=reference
    )


def _review(request: HttpRequest, reference: str, cycle: int) -> ExerciseReview:
    review = get_object_or_404(
        ExerciseReview.objects.select_related("exercise", "exercise__commissioning_body"),
        exercise__reference=reference,
        cycle=cycle,
    )
    if not access.can_view_review(request.user, review):
        raise Http404("No review here")
    return review


def _written_review(request: HttpRequest, reference: str, cycle: int) -> ExerciseReview:
    review = _review(request, reference, cycle)
    if not access.can_write_review(request.user, review.exercise):
        raise PermissionDenied("Only the exercise's commissioners change its review.")
    return review


def _crumbs(exercise: CommissioningExercise, *tail: tuple[str, Any]) -> list[Any]:
    return [
        ("Commissioning exercises", reverse("exercises:list")),
        (exercise.reference, exercise.get_absolute_url()),
        *tail,
    ]


@require_http_methods(["GET", "HEAD"])
def exercise_reviews(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise(reference)
    context = {
        "exercise": exercise,
        "reviews": queries.reviews_of(request.user, exercise),
        "can_assemble": access.can_write_review(request.user, exercise)
        and exercise.stage == Stage.REVIEW.value,
        "crumbs": _crumbs(exercise, ("Reviews", None)),
    }
    return render(request, "reviews/list.html", context)


@login_required
@require_POST
def assemble(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise(reference)
    try:
        review = services.assemble(signed_in_user(request), exercise)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("reviews:list", reference)
    messages.success(request, "The review has been assembled from the records")
    return redirect(review)


def _detail(
    request: HttpRequest,
    review: ExerciseReview,
    form: ReviewForm | None = None,
    next_form: NextCycleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_write = access.can_write_review(request.user, review.exercise)
    if can_write and not review.is_published and form is None:
        form = ReviewForm(initial={"conclusions": review.conclusions, "changes": review.changes})
    if can_write and review.is_published and review.next_exercise_id is None and not next_form:
        next_form = NextCycleForm()
    context = {
        "review": review,
        "exercise": review.exercise,
        "sections": review.sections,
        "can_write": can_write,
        "form": form if can_write and not review.is_published else None,
        "next_form": next_form if can_write and review.next_exercise_id is None else None,
        "next_cycle_url": reverse(
            "reviews:next-cycle", args=[review.exercise.reference, review.cycle]
        ),
        "crumbs": _crumbs(
            review.exercise,
            ("Reviews", reverse("reviews:list", args=[review.exercise.reference])),
            (f"Cycle {review.cycle}", None),
        ),
    }
    return render(request, "reviews/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def review_detail(request: HttpRequest, reference: str, cycle: int) -> HttpResponse:
    return _detail(request, _review(request, reference, cycle))


@login_required
@require_POST
def review_write(request: HttpRequest, reference: str, cycle: int) -> HttpResponse:
    review = _written_review(request, reference, cycle)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, review, form=form, status=400)
    try:
        review = services.write(
            signed_in_user(request),
            review,
            form.cleaned_data["conclusions"],
            form.cleaned_data["changes"],
        )
    except ValidationError as problem:
        apply_validation_error(form, problem)
        return _detail(request, review, form=form, status=400)
    if "publish" not in request.POST:
        messages.success(request, "The review has been saved")
        return redirect(review)
    problems = lifecycle.publish_problems(review)
    if problems:
        apply_validation_error(form, ValidationError(problems))
        return _detail(request, review, form=form, status=400)
    services.publish(signed_in_user(request), review)
    messages.success(request, "The review has been published")
    return redirect(review)


@login_required
@require_POST
def next_cycle(request: HttpRequest, reference: str, cycle: int) -> HttpResponse:
    review = _written_review(request, reference, cycle)
    form = NextCycleForm(request.POST)
    if not form.is_valid():
        return _detail(request, review, next_form=form, status=400)
    try:
        opened = services.open_next_cycle(signed_in_user(request), review, form.cleaned_data["how"])
    except ValidationError as problem:
        apply_validation_error(form, problem)
        return _detail(request, review, next_form=form, status=400)
    messages.success(request, f"The next cycle is open with the review of cycle {review.cycle}")
    return redirect("engagement:exercise", opened.reference)


@require_http_methods(["GET", "HEAD"])
def section_csv(request: HttpRequest, reference: str, cycle: int, key: str) -> HttpResponse:
    review = _review(request, reference, cycle)
    found = queries.section(review, key)
    if found is None:
        raise Http404("No such table in this review")
    response = HttpResponse(queries.section_csv(found), content_type="text/csv; charset=utf-8")
    filename = f"{review.exercise.reference}-cycle-{review.cycle}-{key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
