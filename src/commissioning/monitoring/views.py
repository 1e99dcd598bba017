"""Web pages for monitoring returns (SUP-7): thin views over :mod:`.services`, :mod:`.access`,
:mod:`.queries` and :mod:`.presentation`.

An organisation's members write one return a quarter (save, check the answers, send; correct
with a reason). A contract's or a grant's funder sees the parts it needs on the contract's
"Monitoring returns" section and on the grant's monitoring page, and says what it needs there.
"""

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

from commissioning import permissions
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.directory.models import Organisation
from commissioning.grants.models import GrantAgreement
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.quarters import quarter_code
from commissioning.monitoring import access, lifecycle, presentation, queries, services
from commissioning.monitoring.forms import NeedsForm, ReturnForm, recent_quarters
from commissioning.monitoring.models import MonitoringReturn, Part
from commissioning.monitoring.services import breakdown_field
from commissioning.supply_returns.quarters import parse_quarter

SECTION = "monitoring:contract"
HOME = ("Monitoring returns", "monitoring:home")


def _home_crumb() -> tuple[str, str]:
    return HOME[0], reverse(HOME[1])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = permissions.signed_in_user(request)
    rows = access.readable_returns(user)
    own_ids = {o.pk for o in permissions.member_organisations(user)}
    providers = permissions.speaks_for(user)
    return render(
        request,
        "monitoring/home.html",
        {
            "providers": providers,
            "own": [r for r, _ in rows if r.organisation_id in own_ids],
            "received": [
                presentation.shown(r, parts, owner=False)
                for r, parts in rows
                if r.organisation_id not in own_ids
            ],
            "crumbs": [(HOME[0], None)],
        },
    )


def _initial(monitoring_return: MonitoringReturn) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "quarter": quarter_code(monitoring_return.quarter_start),
        "people_served": monitoring_return.people_served,
        "outputs": monitoring_return.outputs,
        "outcomes": monitoring_return.outcomes,
    }
    for characteristic, counts in (monitoring_return.breakdown or {}).items():
        for group, count in counts.items():
            initial[breakdown_field(characteristic, group)] = count
    for number, story in enumerate(monitoring_return.case_studies.all()[:2], start=1):
        prefix = "case_study" if number == 1 else f"case_study_{number}"
        initial[f"{prefix}_title"] = story.title
        initial[f"{prefix}_story"] = story.story
        initial[f"{prefix}_consent"] = story.consent_confirmed
    return initial


def _render_form(
    request: HttpRequest, form: ReturnForm, organisation: Organisation, heading: str, cancel: str
) -> HttpResponse:
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "organisation": organisation,
            "heading": heading,
            "cancel_url": cancel,
            "crumbs": [_home_crumb(), (heading, None)],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_return(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    actor = permissions.signed_in_user(request)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not access.can_write(actor, organisation.pk):
        raise PermissionDenied("Only the organisation's approved members write its returns.")
    form = ReturnForm(
        request.POST or None,
        quarter_choices=recent_quarters(timezone.localdate()),
        correcting=False,
    )
    if request.method == "POST" and form.is_valid():
        start, _ = parse_quarter(form.cleaned_data["quarter"])
        try:
            saved = services.save_return(
                actor, organisation, start, form.cleaned_data, form.stories()
            )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            return redirect(saved)
    return _render_form(request, form, organisation, "Your monitoring return", reverse(HOME[1]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_return(request: HttpRequest, pk: int) -> HttpResponse:
    actor = permissions.signed_in_user(request)
    monitoring_return = get_object_or_404(
        MonitoringReturn.objects.select_related("organisation"), pk=pk
    )
    if not access.can_write(actor, monitoring_return.organisation_id):
        raise Http404("No such monitoring return")
    correcting = not lifecycle.is_draft(monitoring_return)
    code = quarter_code(monitoring_return.quarter_start)
    form = ReturnForm(
        request.POST or None,
        initial=_initial(monitoring_return),
        quarter_choices=[(code, presentation.shown(monitoring_return, [], owner=True).label)],
        correcting=correcting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if correcting:
                services.correct_return(
                    actor,
                    monitoring_return,
                    form.cleaned_data,
                    form.stories(),
                    form.cleaned_data.get("reason", ""),
                )
                messages.success(request, "The return is corrected. Your funders see the change.")
            else:
                services.save_return(
                    actor,
                    monitoring_return.organisation,
                    monitoring_return.quarter_start,
                    form.cleaned_data,
                    form.stories(),
                )
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            return redirect(monitoring_return)
    heading = "Correct your monitoring return" if correcting else "Your monitoring return"
    return _render_form(
        request, form, monitoring_return.organisation, heading, monitoring_return.get_absolute_url()
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = permissions.signed_in_user(request)
    monitoring_return, parts = access.return_or_404(user, pk)
    owner = access.can_write(user, monitoring_return.organisation_id)
    view = presentation.shown(monitoring_return, parts, owner=owner)
    return render(
        request,
        "monitoring/detail.html",
        {
            "shown": view,
            "owner": owner,
            "is_draft": lifecycle.is_draft(monitoring_return),
            "problems": lifecycle.submit_problems(monitoring_return, timezone.localdate())
            if owner and lifecycle.is_draft(monitoring_return)
            else {},
            "corrections": monitoring_return.corrections.select_related("corrected_by")
            if owner or parts
            else [],
            "crumbs": [
                _home_crumb(),
                (f"{monitoring_return.organisation.name}: {view.label}", None),
            ],
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = permissions.signed_in_user(request)
    monitoring_return = get_object_or_404(
        MonitoringReturn.objects.select_related("organisation"), pk=pk
    )
    if not access.can_write(actor, monitoring_return.organisation_id):
        raise Http404("No such monitoring return")
    try:
        services.submit_return(actor, monitoring_return)
    except ValidationError as problem:
        for message in problem.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Your return is sent. Each funder sees the parts it needs.")
    return redirect(monitoring_return)


def contract_returns(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    funded = queries.for_contract(request.user, contract)
    context = section_context(
        request.user,
        contract,
        SECTION,
        funded=funded,
        may_declare=access.declares_for_contract(request.user, contract),
    )
    return render(request, "monitoring/contract.html", context)


def _grant_agreement(application_pk: int) -> GrantAgreement:
    return get_object_or_404(
        GrantAgreement.objects.select_related(
            "application__organisation", "application__grant_round__exercise"
        ),
        application__pk=application_pk,
    )


@login_required
def grant_returns(request: HttpRequest, application_pk: int) -> HttpResponse:
    agreement = _grant_agreement(application_pk)
    funded = queries.for_grant(request.user, agreement)
    if funded is None:
        raise Http404("No such grant")
    application = agreement.application
    return render(
        request,
        "monitoring/grant.html",
        {
            "agreement": agreement,
            "application": application,
            "funded": funded,
            "crumbs": [
                ("Grants", reverse("grants:list")),
                (application.organisation.name, application.get_absolute_url()),
                ("Monitoring returns", None),
            ],
        },
    )


def _needs_page(
    request: HttpRequest,
    organisation: Organisation,
    current: list[str],
    save: Any,
    back: str,
    caption: str,
) -> HttpResponse:
    form = NeedsForm(request.POST or None, initial={"parts": current})
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data["parts"])
        except ValidationError as problem:
            apply_validation_error(form, problem)
        else:
            messages.success(request, f"Saved what you need from {organisation.name}.")
            return redirect(back)
    return render(
        request,
        "monitoring/needs.html",
        {
            "form": form,
            "organisation": organisation,
            "caption": caption,
            "cancel_url": back,
            "parts": Part.choices,
            "crumbs": [(caption, back), ("What you need", None)],
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_needs(request: HttpRequest, reference: str, organisation_pk: int) -> HttpResponse:
    actor = permissions.signed_in_user(request)
    contract = contract_or_404(reference)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if organisation not in access.contract_providers(contract) or not access.declares_for_contract(
        actor, contract
    ):
        raise Http404("No such organisation under this contract")
    current: list[str] = next(
        (
            f.entitlement.parts
            for f in queries.for_contract(actor, contract)
            if f.organisation.pk == organisation.pk and f.entitlement
        ),
        [],
    )
    return _needs_page(
        request,
        organisation,
        current,
        lambda parts: services.declare_needs(actor, organisation, parts, contract=contract),
        reverse(SECTION, args=[contract.reference]),
        contract.reference,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grant_needs(request: HttpRequest, application_pk: int) -> HttpResponse:
    actor = permissions.signed_in_user(request)
    agreement = _grant_agreement(application_pk)
    funded = queries.for_grant(actor, agreement)
    if funded is None:
        raise Http404("No such grant")
    organisation = agreement.application.organisation
    return _needs_page(
        request,
        organisation,
        funded.entitlement.parts if funded.entitlement else [],
        lambda parts: services.declare_needs(actor, organisation, parts, grant_agreement=agreement),
        reverse("monitoring:grant", args=[application_pk]),
        agreement.application.title,
    )
