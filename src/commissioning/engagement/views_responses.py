"""Responding to a consultation, the confirmation page, the commissioners' view of responses and
the "you said, we did" summary (CYC-2, USR-1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.accounts import throttling
from commissioning.engagement import access, queries, responding, rules, services
from commissioning.engagement.forms import ResponseForm, SummaryPublishForm, ThemeForm
from commissioning.engagement.models import Consultation, Response, SummaryTheme
from commissioning.engagement.views import (
    consultation_crumbs,
    consultation_for_responses,
    managed_consultation,
    posted,
    visible_consultation,
)
from commissioning.permissions import signed_in_user

SESSION_KEY = "engagement_response_reference"


@require_http_methods(["GET", "POST"])
@throttling.per_address(throttling.ANONYMOUS_RESPONSE_RATE, signed_out_only=True)
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone may respond to an open consultation: signed-out people anonymously (USR-1), a
    limited number of times an hour from one address (429 over it)."""
    consultation = visible_consultation(request, pk)
    state = consultation.current_state
    signed_in = request.user.is_authenticated
    form = ResponseForm(
        posted(request),
        questions=list(consultation.questions.all()),
        organisations=access.response_organisations(request.user),
        signed_in=signed_in,
    )
    refused = ""
    if state is not rules.State.OPEN:
        refused = responding.refusal(state)
    elif request.method == "POST" and form.is_valid():
        if form.is_bot:
            # Answered as an anonymous response is, so that bots learn nothing; nothing is
            # stored, not even a session row.
            return _confirmation_page(request, consultation, "")
        try:
            response = responding.submit_response(
                request.user,
                consultation,
                answers=form.answers(),
                submission_key=form.cleaned_data["submission_key"],
                **form.respondent(),
            )
        except services.EngagementError as error:
            refused = str(error)
        else:
            if response.is_anonymous:
                # No session row may hold the reference of an anonymous response: a signed-in
                # person's holds their user id, and a signed-out person's would be kept for two
                # weeks beside the response's reference (issue 16). The confirmation is the
                # answer to the POST instead of a redirect.
                return _confirmation_page(request, consultation, response.reference)
            # A named response: the session (which already names its author) carries the
            # reference to the confirmation page.
            request.session[SESSION_KEY] = {
                "consultation": consultation.pk,
                "reference": response.reference,
            }
            return redirect("engagement:confirmation", pk=consultation.pk)
    status = 409 if refused and request.method == "POST" else 200
    context = {
        "consultation": consultation,
        "form": form,
        "refused": refused,
        "signed_in": signed_in,
        "crumbs": consultation_crumbs(consultation, ("Respond", None)),
    }
    return render(request, "engagement/respond.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation of a named response (an anonymous one is confirmed in the answer to its
    POST, so no session row holds its reference)."""
    consultation = visible_consultation(request, pk)
    held = request.session.get(SESSION_KEY) or {}
    if held.get("consultation") != consultation.pk:
        return redirect(consultation)
    return _confirmation_page(request, consultation, held.get("reference", ""))


def _confirmation_page(
    request: HttpRequest, consultation: Consultation, reference: str
) -> HttpResponse:
    context = {
        "consultation": consultation,
        "reference": reference,
        "crumbs": consultation_crumbs(consultation, ("Response received", None)),
    }
    return render(request, "engagement/confirmation.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def response_list(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_responses(request, pk)
    context = {
        "consultation": consultation,
        "responses": queries.responses_for_commissioners(consultation),
        "crumbs": consultation_crumbs(consultation, ("Responses", None)),
    }
    return render(request, "engagement/responses.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def response_detail(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    consultation = consultation_for_responses(request, pk)
    try:
        response = queries.responses_for_commissioners(consultation).get(reference=reference)
    except Response.DoesNotExist:
        raise Http404("No response with that reference") from None
    context = {
        "consultation": consultation,
        "response": response,
        "crumbs": consultation_crumbs(
            consultation,
            ("Responses", reverse("engagement:responses", args=[consultation.pk])),
            (response.reference, None),
        ),
    }
    return render(request, "engagement/response.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def summary_manage(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    form = ThemeForm(posted(request))
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.add_theme(signed_in_user(request), consultation, form.cleaned_data)
        except services.EngagementError as error:
            problem = str(error)
        else:
            messages.success(request, "Theme added")
            return redirect("engagement:summary", pk=consultation.pk)
    return _summary_page(request, consultation, form, SummaryPublishForm(), problem)


def _summary_page(
    request: HttpRequest,
    consultation: Consultation,
    theme_form: ThemeForm,
    publish_form: SummaryPublishForm,
    problem: str = "",
    problems: list[str] | None = None,
) -> HttpResponse:
    context = {
        "consultation": consultation,
        "themes": consultation.themes.all(),
        "form": theme_form,
        "publish_form": publish_form,
        "problem": problem,
        "problems": problems or [],
        "editable": consultation.summary_published_at is None and not consultation.is_draft,
        "crumbs": consultation_crumbs(consultation, ("You said, we did", None)),
    }
    has_errors = bool(theme_form.errors or publish_form.errors or problem or problems)
    return render(request, "engagement/summary.html", context, status=400 if has_errors else 200)


@login_required
@require_POST
def theme_remove(request: HttpRequest, pk: int, theme_id: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    try:
        services.remove_theme(signed_in_user(request), consultation, theme_id)
    except services.EngagementError as error:
        messages.error(request, str(error))
    except SummaryTheme.DoesNotExist:
        raise Http404("No such theme") from None
    else:
        messages.success(request, "Theme removed")
    return redirect("engagement:summary", pk=consultation.pk)


@login_required
@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, pk)
    form = SummaryPublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_summary(
                signed_in_user(request), consultation, form.cleaned_data["summary_intro"]
            )
        except services.EngagementError as error:
            return _summary_page(request, consultation, ThemeForm(), form, problems=error.problems)
        messages.success(request, "“You said, we did” summary published")
        return redirect(consultation)
    return _summary_page(request, consultation, ThemeForm(), form)
