"""Web pages for mediation requests (SUP-3): thin views over :mod:`.services` and
:mod:`.access`. Nothing here is public; a request the visitor may not read is refused (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.contracts.models import Contract
from commissioning.kernel.forms import GovUKForm, apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.mediation import access, services
from commissioning.mediation.forms import AcceptForm, AskForm, DeclineForm, OutcomeForm
from commissioning.mediation.models import MediationRequest
from commissioning.permissions import signed_in_user

Status = MediationRequest.Status


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.select_related("prime"), reference=reference)
    organisations = access.asking_organisations(request.user, contract)
    if not organisations:
        raise PermissionDenied(access.NOT_A_SUBCONTRACTOR)
    form = AskForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = services.ask(
                    signed_in_user(request),
                    contract,
                    subcontractor=form.cleaned_data["subcontractor"],
                    category=form.cleaned_data["category"],
                    what_happened=form.cleaned_data["what_happened"],
                    outcome_sought=form.cleaned_data["outcome_sought"],
                )
            except ValidationError as problem:
                apply_validation_error(form, problem)
            else:
                messages.success(
                    request, f"Mediation request {made.reference} has been sent to the reviewer."
                )
                return redirect(made)
    context = {
        "contract": contract,
        "form": form,
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Ask for mediation", None),
        ],
    }
    return render(request, "mediation/ask.html", context, status=status)


def _history(made: MediationRequest) -> list[dict[str, Any]]:
    """Each dated step of the request, oldest first."""
    steps = [
        {"when": made.requested_at, "who": made.requested_by, "what": "Asked for mediation"},
    ]
    if made.withdrawn_at:
        steps.append({"when": made.withdrawn_at, "who": made.withdrawn_by, "what": "Withdrawn"})
    if made.decided_at:
        what = (
            f"Accepted, with {made.mediator} as mediator"
            if made.mediator
            else "Declined by the independent reviewer"
        )
        steps.append({"when": made.decided_at, "who": made.decided_by, "what": what})
    if made.concluded_at:
        what = "Resolved" if made.status == Status.RESOLVED else "Ended without a resolution"
        steps.append({"when": made.concluded_at, "who": made.concluded_by, "what": what})
    return steps


def _detail(
    request: HttpRequest,
    made: MediationRequest,
    status: int = 200,
    *,
    refusal: str = "",
    forms: dict[str, GovUKForm] | None = None,
) -> HttpResponse:
    forms = forms or {}
    user = request.user
    reviewing = access.can_review(user)
    context = {
        "made": made,
        "history": _history(made),
        "can_withdraw": made.status == Status.REQUESTED and access.can_withdraw(user, made),
        "can_decide": reviewing and made.status == Status.REQUESTED,
        "can_conclude": reviewing and made.status == Status.ACCEPTED,
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "refusal": refusal,
        "crumbs": [
            (made.contract.reference, made.contract.get_absolute_url()),
            (made.reference, None),
        ],
    }
    return render(request, "mediation/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, access.request_for(request.user, request_id))


def _step(
    request: HttpRequest,
    request_id: int,
    form_name: str,
    form: GovUKForm,
    act: Callable[[MediationRequest, dict[str, Any]], MediationRequest],
    done: str,
) -> HttpResponse:
    made = access.request_for(request.user, request_id)
    if not access.can_review(request.user):
        raise PermissionDenied(access.NOT_A_REVIEWER)
    if form.is_valid():
        try:
            act(made, form.cleaned_data)
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, f"Mediation request {made.reference} {done}.")
            return redirect(made)
    made.refresh_from_db()
    return _detail(request, made, 400, forms={form_name: form})


@login_required
@require_POST
def withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    made = access.request_for(request.user, request_id)
    try:
        services.withdraw(signed_in_user(request), made)
    except ValidationError as problem:
        return _detail(request, made, 400, refusal=problem.messages[0])
    messages.success(request, f"Mediation request {made.reference} has been withdrawn.")
    return redirect(made)


@login_required
@require_POST
def accept(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _step(
        request,
        request_id,
        "accept_form",
        AcceptForm(request.POST),
        lambda made, data: services.accept(user, made, data["mediator"]),
        "has been accepted",
    )


@login_required
@require_POST
def decline(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _step(
        request,
        request_id,
        "decline_form",
        DeclineForm(request.POST),
        lambda made, data: services.decline(user, made, data["reason"]),
        "has been declined",
    )


@login_required
@require_POST
def outcome(request: HttpRequest, request_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _step(
        request,
        request_id,
        "outcome_form",
        OutcomeForm(request.POST),
        lambda made, data: services.conclude(
            user, made, resolved=data["resolved"], outcome=data["outcome"]
        ),
        "has been closed with its outcome",
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def open_requests(request: HttpRequest) -> HttpResponse:
    if not access.can_review(request.user):
        raise PermissionDenied(access.NOT_A_REVIEWER)
    context = {
        "crumbs": [("Mediation requests", None)],
        **paginate(request, access.open_requests()),
    }
    return render(request, "mediation/open.html", context)
