"""Equality impact assessment pages (EQU-1, USR-1): the public page and PDF of an exercise's
published assessment; the commissioners' form (save as draft, continue), check your answers and
publish. Rules live in :mod:`.services`, :mod:`.lifecycle` and :mod:`.access`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.equality import access, lifecycle, services
from commissioning.equality.forms import AssessmentForm
from commissioning.equality.models import Assessment, Characteristic
from commissioning.equality.pdf import render_pdf
from commissioning.equality.queries import current_draft, published_assessment
from commissioning.exercises.models import CommissioningExercise
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user


def _exercise(reference: str) -> CommissioningExercise:
    return get_object_or_404(
        CommissioningExercise.objects.select_related("commissioning_body"), reference=reference
    )


def _crumbs(exercise: CommissioningExercise, *tail: tuple[str, str | None]) -> list[Any]:
    crumbs: list[Any] = [
        ("Exercises", reverse("exercises:list")),
        (exercise.reference, exercise.get_absolute_url()),
    ]
    if not tail:
        return [*crumbs, ("Equality impact assessment", None)]
    return [*crumbs, ("Equality impact assessment", _page_url(exercise)), *tail]


def _page_url(exercise: CommissioningExercise) -> str:
    return reverse("equality:exercise", args=[exercise.reference])


def _findings(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {"label": c.label, "key": c.value, "finding": assessment.finding_for(c.value)}
        for c in Characteristic
    ]


@require_http_methods(["GET", "HEAD"])
def exercise_assessment(request: HttpRequest, reference: str) -> HttpResponse:
    """The published assessment, for everyone; its draft and earlier versions for its writers."""
    exercise = _exercise(reference)
    assessment = published_assessment(exercise)
    can_write = access.can_write_assessment(request.user, exercise)
    context = {
        "exercise": exercise,
        "assessment": assessment,
        "findings": _findings(assessment) if assessment else [],
        "can_write": can_write,
        "draft": current_draft(exercise) if can_write else None,
        "earlier": exercise.equality_assessments.filter(
            status=Assessment.Status.SUPERSEDED
        ).order_by("-version"),
        "crumbs": _crumbs(exercise),
    }
    return render(request, "equality/assessment.html", context)


@require_http_methods(["GET", "HEAD"])
def assessment_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = _exercise(reference)
    assessment = published_assessment(exercise)
    if assessment is None:
        raise Http404("The equality impact assessment is not published yet")
    response = HttpResponse(render_pdf(assessment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="equality-impact-assessment-{exercise.reference}'
        f'-v{assessment.version}.pdf"'
    )
    return response


def _writable(request: HttpRequest, reference: str) -> CommissioningExercise:
    exercise = _exercise(reference)
    if not access.can_write_assessment(request.user, exercise):
        raise PermissionDenied("Only the exercise's commissioners write its assessment.")
    return exercise


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Write the draft: "Save as draft" keeps it part-written; "Continue" saves it and, when
    everything publication needs is there, goes on to check the answers."""
    exercise = _writable(request, reference)
    draft = current_draft(exercise)
    published = published_assessment(exercise)
    revising = published is not None
    form = AssessmentForm(
        request.POST or None,
        initial=services.draft_answers(draft or published),
        exercise=exercise,
        revising=revising,
    )
    if request.method == "POST" and form.is_valid():
        draft = services.save_draft(signed_in_user(request), exercise, form.cleaned_data)
        if request.POST.get("action") == "draft":
            messages.success(request, "Your draft is saved. It is not published.")
            return HttpResponseRedirect(_page_url(exercise))
        problems = lifecycle.publish_problems(draft)
        if not problems:
            return HttpResponseRedirect(reverse("equality:check", args=[exercise.reference]))
        apply_validation_error(form, ValidationError(problems))
    title = (
        "Revise the equality impact assessment"
        if revising
        else ("Write the equality impact assessment")
    )
    context = {
        "exercise": exercise,
        "form": form,
        "title": title,
        "characteristics": [
            (c.label, [form[f"{c.value}_{part}"] for part in ("evidence", "impact", "mitigation")])
            for c in Characteristic
        ],
        "crumbs": _crumbs(exercise, (title, None)),
    }
    return render(request, "equality/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your answers, then publish."""
    exercise = _writable(request, reference)
    draft = current_draft(exercise)
    if draft is None:
        raise Http404("There is no draft assessment to check")
    problems = lifecycle.publish_problems(draft)
    if request.method == "POST":
        try:
            services.publish(signed_in_user(request), draft)
        except ValidationError as error:
            problems = {k: " ".join(v) for k, v in error.message_dict.items()}
        else:
            messages.success(
                request, f"Published: version {draft.version} of the equality impact assessment."
            )
            return HttpResponseRedirect(_page_url(exercise))
    context = {
        "exercise": exercise,
        "draft": draft,
        "findings": _findings(draft),
        "problems": list(problems.values()),
        "edit_url": reverse("equality:edit", args=[exercise.reference]),
        "crumbs": _crumbs(exercise, ("Check your answers", None)),
    }
    return render(request, "equality/check.html", context, status=400 if problems else 200)
