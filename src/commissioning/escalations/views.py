"""Web pages for escalations (REF-2): thin views over :mod:`.services`, :mod:`.queries` and
:mod:`.access`. Nothing here is public: a page the visitor may not read is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.contracts.models import Contract
from commissioning.directory.models import Organisation
from commissioning.escalations import access, queries, services, targets
from commissioning.escalations.forms import RaiseForm, RespondForm
from commissioning.escalations.models import Escalation
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.permissions import Visitor, signed_in_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def raise_escalation(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract, reference=reference)
    organisations = access.raising_organisations(request.user, contract)
    if not organisations:
        raise PermissionDenied(services.NOT_A_PARTY)
    form = RaiseForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.raise_escalation(
                signed_in_user(request),
                contract,
                organisation=form.cleaned_data["organisation"],
                category=form.cleaned_data["category"],
                urgency=form.cleaned_data["urgency"],
                what_happened=form.cleaned_data["what_happened"],
                occurred_at=form.occurred_at(),
                submission_key=form.cleaned_data.get("submission_key", ""),
            )
        except ValidationError as problem:
            apply_validation_error(form, _on_form_fields(problem))
        else:
            messages.success(
                request, f"Escalation {escalation.reference} has been sent to probation."
            )
            return redirect(escalation)
    context = {
        "contract": contract,
        "form": form,
        "targets": _target_rows(),
        "working_hours": targets.describe_working_hours(),
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Raise an escalation", None),
        ],
    }
    return render(request, "escalations/raise.html", context)


def _on_form_fields(problem: ValidationError) -> ValidationError:
    """The service names ``occurred_at``; the form asks for its date and time."""
    if hasattr(problem, "error_dict") and "occurred_at" in problem.error_dict:
        problem.error_dict["occurred_on"] = problem.error_dict.pop("occurred_at")
    return problem


def _target_rows() -> list[dict[str, str]]:
    configured = targets.targets()
    return [
        {
            "urgency": str(label),
            "acknowledge": configured[value]["acknowledge"].describe(),
            "respond": configured[value]["respond"].describe(),
        }
        for value, label in Escalation.Urgency.choices
        if value in configured
    ]


def _detail_context(request: HttpRequest, escalation: Escalation, form: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "escalation": escalation,
        "acknowledgement": targets.standing(escalation, "acknowledge", now),
        "response": targets.standing(escalation, "respond", now),
        "can_answer": access.can_answer(request.user, escalation),
        "form": form,
        "crumbs": [(escalation.reference, None)],
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = access.escalation_for(request.user, escalation_id)
    return render(
        request, "escalations/detail.html", _detail_context(request, escalation, RespondForm())
    )


@login_required
@require_POST
def escalation_acknowledge(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = access.escalation_for(request.user, escalation_id)
    try:
        services.acknowledge(signed_in_user(request), escalation)
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, f"Escalation {escalation.reference} has been acknowledged.")
    return redirect(escalation)


@login_required
@require_POST
def escalation_respond(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = access.escalation_for(request.user, escalation_id)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.respond(signed_in_user(request), escalation, form.cleaned_data["response"])
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, f"Your response to {escalation.reference} has been sent.")
            return redirect(escalation)
    return render(request, "escalations/detail.html", _detail_context(request, escalation, form))


def _organisation(slug: str, allowed: Any, user: Visitor) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not allowed(user, organisation):
        raise Http404("No escalations to show here")
    return organisation


@login_required
@require_http_methods(["GET", "HEAD"])
def organisation_escalations(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug, access.can_read_organisation_list, request.user)
    context = {
        "organisation": organisation,
        "now": timezone.now(),
        "heading": "Escalations raised",
        "caption": f"Escalations raised by {organisation.name}",
        "crumbs": [(organisation.name, organisation.get_absolute_url()), ("Escalations", None)],
        **paginate(request, queries.for_organisation(organisation)),
    }
    return render(request, "escalations/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def body_escalations(request: HttpRequest, slug: str) -> HttpResponse:
    body = _organisation(slug, access.can_read_body_list, request.user)
    context = {
        "organisation": body,
        "is_body": True,
        "now": timezone.now(),
        "heading": "Escalations to answer",
        "caption": f"Escalations to {body.name}",
        "crumbs": [(body.name, body.get_absolute_url()), ("Escalations", None)],
        **paginate(request, queries.waiting_first(queries.for_body(body))),
    }
    return render(request, "escalations/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def body_record(request: HttpRequest, slug: str) -> HttpResponse:
    body = _organisation(slug, access.can_read_body_record, request.user)
    context = {
        "organisation": body,
        "record": queries.body_record(body, timezone.now()),
        "can_open": access.can_read_body_list(request.user, body),
        "crumbs": [(body.name, body.get_absolute_url()), ("Escalations record", None)],
    }
    return render(request, "escalations/record.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def commissioned_record(request: HttpRequest, slug: str) -> HttpResponse:
    """Each probation area's record over the contracts the body commissions: figures and the
    late ones, with no way into an escalation itself."""
    body = _organisation(slug, access.can_read_commissioned_record, request.user)
    context = {
        "organisation": body,
        "areas": queries.commissioned_record(body, timezone.now()),
        "crumbs": [(body.name, body.get_absolute_url()), ("Escalations record", None)],
    }
    return render(request, "escalations/commissioned_record.html", context)
