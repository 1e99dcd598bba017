"""Consultation pages (CYC-2): public listing and consultation page; commissioners' management
pages. Thin views over :mod:`.services`, :mod:`.queries` and :mod:`.access`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.audit.versions import StaleEdit, page_status
from commissioning.engagement import access, queries, rules, services
from commissioning.engagement.forms import (
    CloseEarlyForm,
    ConsultationForm,
    QuestionForm,
    consultation_initial,
)
from commissioning.engagement.models import Consultation
from commissioning.exercises.models import CommissioningExercise
from commissioning.permissions import signed_in_user

LIST_CRUMB = ("Consultations and events", "engagement:list")


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def list_crumb() -> tuple[str, str]:
    return (LIST_CRUMB[0], reverse(LIST_CRUMB[1]))


def managed_exercise(request: HttpRequest, reference: str) -> CommissioningExercise:
    exercise = get_object_or_404(CommissioningExercise, reference=reference)
    if not access.can_manage_engagement(request.user, exercise):
        raise PermissionDenied(
            "Only commissioners of the commissioning body manage its engagement."
        )
    return exercise


def visible_consultation(request: HttpRequest, pk: int) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("exercise", "exercise__commissioning_body"), pk=pk
    )
    if not access.can_view_consultation(request.user, consultation):
        raise Http404("No consultation here")
    return consultation


def managed_consultation(request: HttpRequest, pk: int) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("exercise"), pk=pk)
    if not access.can_manage_engagement(request.user, consultation.exercise):
        raise PermissionDenied("Only commissioners of the commissioning body manage this.")
    return consultation


def consultation_for_responses(request: HttpRequest, pk: int) -> Consultation:
    """The consultation whose responses ``request.user`` may read (USR-1)."""
    consultation = get_object_or_404(Consultation.objects.select_related("exercise"), pk=pk)
    if not access.can_read_responses(request.user, consultation):
        raise PermissionDenied("Only commissioners of the commissioning body read the responses.")
    return consultation


def consultation_crumbs(consultation: Consultation, *tail: tuple[str, Any]) -> list[Any]:
    crumbs: list[Any] = [list_crumb()]
    if tail:
        crumbs.append((consultation.title, consultation.get_absolute_url()))
        return crumbs + list(tail)
    return [*crumbs, (consultation.title, None)]


@require_http_methods(["GET", "HEAD"])
def engagement_list(request: HttpRequest) -> HttpResponse:
    context = {
        "crumbs": [(LIST_CRUMB[0], None)],
        "open_consultations": queries.open_consultations(),
        "upcoming_consultations": queries.upcoming_consultations(),
        "closed_consultations": queries.closed_consultations()[:20],
        "upcoming_events": queries.upcoming_events(),
        "past_events": queries.past_events()[:20],
    }
    return render(request, "engagement/list.html", context)


@require_http_methods(["GET", "HEAD"])
def exercise_engagement(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = get_object_or_404(CommissioningExercise, reference=reference)
    context = {
        "exercise": exercise,
        "crumbs": [
            ("Commissioning exercises", reverse("exercises:list")),
            (exercise.reference, exercise.get_absolute_url()),
            ("Consultations and events", None),
        ],
        **queries.engagement_for_exercise(request.user, exercise),
    }
    return render(request, "engagement/exercise.html", context)


@require_http_methods(["GET", "HEAD"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = visible_consultation(request, pk)
    can_manage = access.can_manage_engagement(request.user, consultation.exercise)
    context = {
        "consultation": consultation,
        "state": consultation.current_state,
        "questions": consultation.questions.all(),
        "themes": consultation.themes.all(),
        "counts": queries.public_response_counts(consultation),
        "can_manage": can_manage,
        "can_read_responses": access.can_read_responses(request.user, consultation),
        "crumbs": consultation_crumbs(consultation),
    }
    return render(request, "engagement/consultation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, reference: str) -> HttpResponse:
    exercise = managed_exercise(request, reference)
    form = ConsultationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        consultation = services.create_consultation(
            signed_in_user(request), exercise, form.cleaned_data
        )
        messages.success(request, "Consultation created as a draft. Add its questions.")
        return redirect(consultation)
    context = {
        "form": form,
        "exercise": exercise,
        "heading": "Open a consultation",
        "submit_label": "Create draft consultation",
        "cancel_url": reverse("engagement:exercise", args=[exercise.reference]),
        "crumbs": [list_crumb(), ("Open a consultation", None)],
    }
    return render(request, "engagement/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    if not consultation.is_draft:
        messages.info(request, "A published consultation cannot be changed.")
        return redirect(consultation)
    form = ConsultationForm(
        posted(request), initial=consultation_initial(consultation), versioned=consultation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_consultation(signed_in_user(request), consultation, form.cleaned_data)
        except StaleEdit as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Consultation updated")
            return redirect(consultation)
    context = {
        "form": form,
        "exercise": consultation.exercise,
        "heading": "Edit the consultation",
        "submit_label": "Save changes",
        "cancel_url": consultation.get_absolute_url(),
        "crumbs": consultation_crumbs(consultation, ("Edit", None)),
    }
    return render(request, "engagement/form.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    if not consultation.is_draft:
        messages.info(request, "Questions cannot be changed once a consultation is published.")
        return redirect(consultation)
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_question(signed_in_user(request), consultation, form.cleaned_data)
        messages.success(request, "Question added")
        return redirect(consultation)
    context = {
        "form": form,
        "exercise": consultation.exercise,
        "heading": "Add a question",
        "submit_label": "Add question",
        "cancel_url": consultation.get_absolute_url(),
        "crumbs": consultation_crumbs(consultation, ("Add a question", None)),
    }
    return render(request, "engagement/form.html", context)


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    try:
        services.remove_question(signed_in_user(request), consultation, question_id)
    except services.EngagementError as error:
        messages.error(request, str(error))
    except consultation.questions.model.DoesNotExist:
        raise Http404("No such question") from None
    else:
        messages.success(request, "Question removed")
    return redirect(consultation)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.publish_consultation(signed_in_user(request), consultation)
        except services.EngagementError as error:
            problems = error.problems
        else:
            messages.success(request, "Consultation published")
            return redirect(consultation)
    context = {
        "consultation": consultation,
        "problems": problems,
        "crumbs": consultation_crumbs(consultation, ("Publish", None)),
    }
    return render(request, "engagement/publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consultation_close_early(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open or upcoming consultation now with a public note, so that the tender can be
    published after the engagement has ended (CYC-3)."""
    consultation = managed_consultation(request, pk)
    if consultation.is_draft or consultation.current_state is rules.State.CLOSED:
        messages.info(request, "Only a published consultation that has not closed can close early.")
        return redirect(consultation)
    form = CloseEarlyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.close_early(signed_in_user(request), consultation, form.cleaned_data["note"])
        except services.EngagementError as error:
            form.add_error("note", error.problems)
        else:
            messages.success(request, "The consultation has closed. Responses are now refused.")
            return redirect(consultation)
    context = {
        "form": form,
        "exercise": consultation.exercise,
        "heading": f"Close “{consultation.title}” early",
        "submit_label": "Close the consultation now",
        "cancel_url": consultation.get_absolute_url(),
        "crumbs": consultation_crumbs(consultation, ("Close early", None)),
    }
    return render(request, "engagement/form.html", context)
