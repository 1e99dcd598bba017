"""Pages of the payment mechanism builder (PBR-1 .. PBR-4, PBR-6): one GOV.UK form per step
with the preview beside it, then check your answers and save. Thin: the rules are in
:mod:`commissioning.contracts.mechanism_builder` and the analytics core."""

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
from commissioning.contracts import mechanism_builder, services
from commissioning.contracts.builder_forms import STEPS, ScenarioForm
from commissioning.contracts.models import Contract
from commissioning.permissions import signed_in_user

STEP_NAMES = list(STEPS)


def _editable_contract(request: HttpRequest, reference: str) -> Contract:
    try:
        contract = services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404("No contract with that reference") from None
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied("Only commissioners of the commissioning body can edit this.")
    return contract


def _context(
    request: HttpRequest, contract: Contract, draft: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    built = mechanism_builder.build(contract, draft["answers"])
    scenario_form = extra.pop("scenario_form", None) or ScenarioForm(
        initial=draft["scenario"], prefix="scenario"
    )
    return {
        "contract": contract,
        "steps": [(step, STEPS[step].title) for step in STEP_NAMES],
        "scenario_form": scenario_form,
        "preview": None
        if built.problems or built.document is None
        else mechanism_builder.preview(built.document, draft["scenario"]),
        "incomplete": built.problems,
        "scenario": draft["scenario"],
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Build the payment mechanism", None),
        ],
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def builder_start(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _editable_contract(request, reference)
    return redirect("contracts:build-step", contract.reference, STEP_NAMES[0])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def builder_step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    contract = _editable_contract(request, reference)
    if step not in STEPS:
        raise Http404("No such step")
    draft = mechanism_builder.draft(request.session, contract)
    form_class = STEPS[step]
    if request.method == "POST":
        form = form_class(request.POST)
        scenario_form = ScenarioForm(request.POST, prefix="scenario")
        scenario_ok = scenario_form.is_valid()
        if form.is_valid():
            mechanism_builder.store_step(
                request.session,
                contract,
                form.cleaned_data,
                scenario_form.cleaned_data if scenario_ok else None,
            )
            if request.POST.get("action") == "preview":
                if scenario_ok:
                    url = reverse("contracts:build-step", args=[contract.reference, step])
                    return redirect(f"{url}#preview")
            else:
                index = STEP_NAMES.index(step)
                if index + 1 < len(STEP_NAMES):
                    return redirect(
                        "contracts:build-step", contract.reference, STEP_NAMES[index + 1]
                    )
                return redirect("contracts:build-check", contract.reference)
        draft = mechanism_builder.draft(request.session, contract)
    else:
        form = form_class(initial=draft["answers"])
        scenario_form = ScenarioForm(initial=draft["scenario"], prefix="scenario")
    index = STEP_NAMES.index(step)
    context = _context(
        request,
        contract,
        draft,
        form=form,
        scenario_form=scenario_form,
        step=step,
        title=form_class.title,
        number=index + 1,
        back_url=reverse("contracts:build-step", args=[contract.reference, STEP_NAMES[index - 1]])
        if index
        else contract.get_absolute_url(),
    )
    return render(request, "contracts/builder_step.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def builder_check(request: HttpRequest, reference: str) -> HttpResponse:
    contract = _editable_contract(request, reference)
    draft = mechanism_builder.draft(request.session, contract)
    built = mechanism_builder.build(contract, draft["answers"])
    for problem in built.problems:
        problem.href = reverse("contracts:build-step", args=[contract.reference, problem.step])
    version = str(draft.get("version") or "")
    stale: StaleEdit | None = None
    if request.method == "POST" and not built.problems and built.document is not None:
        version = request.POST.get("version") or version
        try:
            mechanism_builder.save(signed_in_user(request), contract, built.document, version)
        except StaleEdit as refused:
            stale, version = refused, refused.version
            mechanism_builder.move_on(request.session, contract, version)
        else:
            mechanism_builder.discard(request.session, contract)
            messages.success(request, f"The payment mechanism of {contract.reference} was saved")
            return redirect("contracts:mechanism", contract.reference)
    context = _context(
        request,
        contract,
        draft,
        sections=mechanism_builder.summary(draft["answers"]),
        first_step_url=reverse("contracts:build-step", args=[contract.reference, STEP_NAMES[0]]),
        problems=built.problems,
        left_out=draft.get("left_out", []),
        dropped=None
        if built.document is None or built.problems
        else mechanism_builder.dropped_documents(contract, built.document),
        version=version,
        stale=stale,
    )
    return render(request, "contracts/builder_check.html", context, status=409 if stale else 200)
