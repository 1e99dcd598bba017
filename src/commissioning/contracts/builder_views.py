"""Pages of the payment mechanism builder (PBR-1 .. PBR-4, PBR-6): one GOV.UK form per step
with the preview beside it, then check your answers and save. Thin: the rules are in
:mod:`commissioning.contracts.mechanism_builder` and the analytics core.

The same pages build a contract's mechanism and a lot's at tender time (issue 15, PRO-9):
:class:`BuilderPages` says whose mechanism it is, where its pages are and how it is saved;
:func:`_step_page` and :func:`_check_page` serve both."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.audit.versions import StaleEdit, page_status
from commissioning.contracts import mechanism_builder, services
from commissioning.contracts.builder_forms import LotMechanismForm, ScenarioForm
from commissioning.contracts.builder_steps import STEPS
from commissioning.contracts.forms import document_text
from commissioning.contracts.mechanism_builder import Subject
from commissioning.contracts.models import Contract
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.procurement import access as procurement_access
from commissioning.procurement import services_editing
from commissioning.procurement.lifecycle import Status, is_editable
from commissioning.procurement.models import Lot

STEP_NAMES = list(STEPS)


@dataclass(frozen=True)
class BuilderPages:
    """Whose mechanism the builder is building and where its pages are: ``step_name`` and
    ``check_name`` are URL names taking ``args`` (and the step); ``save`` stores a built
    document from a version, raising ``StaleEdit`` (or ``ValidationError`` when refused)."""

    subject: Subject
    step_name: str
    check_name: str
    args: tuple[Any, ...]
    caption: str
    crumbs: list[tuple[str, str | None]]
    cancel_url: str
    saved_url: str
    saved_message: str
    save: Callable[[User, dict[str, Any], str], Any]
    contract: Contract | None = None

    def step_url(self, step: str) -> str:
        return reverse(self.step_name, args=[*self.args, step])

    def check_url(self) -> str:
        return reverse(self.check_name, args=list(self.args))


def _editable_contract(request: HttpRequest, reference: str) -> Contract:
    try:
        contract = services.get_contract(reference)
    except Contract.DoesNotExist:
        raise Http404("No contract with that reference") from None
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied("Only commissioners of the commissioning body can edit this.")
    return contract


def _contract_pages(request: HttpRequest, reference: str) -> BuilderPages:
    contract = _editable_contract(request, reference)
    return BuilderPages(
        subject=contract,
        step_name="contracts:build-step",
        check_name="contracts:build-check",
        args=(contract.reference,),
        caption=contract.reference,
        crumbs=[
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Build the payment mechanism", None),
        ],
        cancel_url=contract.get_absolute_url(),
        saved_url=reverse("contracts:mechanism", args=[contract.reference]),
        saved_message=f"The payment mechanism of {contract.reference} was saved",
        save=lambda actor, document, version: mechanism_builder.save(
            actor, contract, document, version
        ),
        contract=contract,
    )


def _managed_lot(request: HttpRequest, reference: str, number: int) -> Lot:
    opportunity = procurement_access.visible_opportunity(request.user, reference)
    if not procurement_access.can_manage_opportunity(request.user, opportunity):
        raise PermissionDenied("Only the exercise's commissioners can change this opportunity.")
    return get_object_or_404(
        Lot.objects.select_related("opportunity"), opportunity=opportunity, number=number
    )


def lot_mechanism_url(lot: Lot) -> str:
    """Where the opportunity page shows the lot's tendered mechanism."""
    return f"{lot.opportunity.get_absolute_url()}#lot-{lot.number}-mechanism"


def _lot_pages(request: HttpRequest, reference: str, number: int) -> BuilderPages:
    lot = _managed_lot(request, reference, number)
    opportunity = lot.opportunity
    return BuilderPages(
        subject=lot,
        step_name="lot_mechanism:build-step",
        check_name="lot_mechanism:build-check",
        args=(opportunity.reference, lot.number),
        caption=f"{opportunity.reference}: lot {lot.number}",
        crumbs=[
            ("Opportunities", reverse("procurement:list")),
            (opportunity.reference, opportunity.get_absolute_url()),
            (f"Build the payment mechanism of lot {lot.number}", None),
        ],
        cancel_url=lot_mechanism_url(lot),
        saved_url=lot_mechanism_url(lot),
        saved_message=f"The payment mechanism of lot {lot.number} was saved",
        save=lambda actor, document, version: services_editing.save_lot_mechanism(
            actor, lot, document, version
        ),
    )


def _refused_after_publication(request: HttpRequest, pages: BuilderPages) -> HttpResponse | None:
    """A lot's mechanism is built only while its opportunity is a draft: afterwards the pages
    say why and go back to the opportunity (as the API refuses the change)."""
    lot = pages.subject
    if isinstance(lot, Lot) and not is_editable(Status(lot.opportunity.status)):
        messages.error(request, services_editing.MECHANISM_AFTER_PUBLICATION)
        return HttpResponseRedirect(pages.saved_url)
    return None


def _context(
    request: HttpRequest, pages: BuilderPages, draft: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    built = mechanism_builder.build(pages.subject, draft["answers"])
    scenario_form = extra.pop("scenario_form", None) or ScenarioForm(
        initial=draft["scenario"], prefix="scenario"
    )
    return {
        "contract": pages.contract,
        "caption": pages.caption,
        "cancel_url": pages.cancel_url,
        "steps": [(step, STEPS[step].title, pages.step_url(step)) for step in STEP_NAMES],
        "check_url": pages.check_url(),
        "scenario_form": scenario_form,
        "preview": None
        if built.problems or built.document is None
        else mechanism_builder.preview(built.document, draft["scenario"]),
        "incomplete": built.problems,
        "scenario": draft["scenario"],
        "crumbs": pages.crumbs,
        **extra,
    }


def _step_page(request: HttpRequest, pages: BuilderPages, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step")
    subject = pages.subject
    draft = mechanism_builder.draft(request.session, subject)
    form_class = STEPS[step]
    if request.method == "POST":
        form = form_class(request.POST)
        scenario_form = ScenarioForm(request.POST, prefix="scenario")
        scenario_ok = scenario_form.is_valid()
        if form.is_valid():
            mechanism_builder.store_step(
                request.session,
                subject,
                form.cleaned_data,
                scenario_form.cleaned_data if scenario_ok else None,
            )
            if request.POST.get("action") == "preview":
                if scenario_ok:
                    return redirect(f"{pages.step_url(step)}#preview")
            else:
                index = STEP_NAMES.index(step)
                if index + 1 < len(STEP_NAMES):
                    return redirect(pages.step_url(STEP_NAMES[index + 1]))
                return redirect(pages.check_url())
        draft = mechanism_builder.draft(request.session, subject)
    else:
        form = form_class(initial=draft["answers"])
        scenario_form = ScenarioForm(initial=draft["scenario"], prefix="scenario")
    index = STEP_NAMES.index(step)
    context = _context(
        request,
        pages,
        draft,
        form=form,
        scenario_form=scenario_form,
        step=step,
        title=form_class.title,
        number=index + 1,
        back_url=pages.step_url(STEP_NAMES[index - 1]) if index else pages.cancel_url,
    )
    return render(request, "contracts/builder_step.html", context)


def _check_page(request: HttpRequest, pages: BuilderPages) -> HttpResponse:
    subject = pages.subject
    draft = mechanism_builder.draft(request.session, subject)
    built = mechanism_builder.build(subject, draft["answers"])
    for problem in built.problems:
        problem.href = pages.step_url(problem.step)
    version = str(draft.get("version") or "")
    stale: StaleEdit | None = None
    if request.method == "POST" and not built.problems and built.document is not None:
        version = request.POST.get("version") or version
        try:
            pages.save(signed_in_user(request), built.document, version)
        except StaleEdit as refused:
            stale, version = refused, refused.version
            mechanism_builder.move_on(request.session, subject, version)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
            return HttpResponseRedirect(pages.saved_url)
        else:
            mechanism_builder.discard(request.session, subject)
            messages.success(request, pages.saved_message)
            return redirect(pages.saved_url)
    sections = mechanism_builder.summary(draft["answers"])
    for section in sections:
        section["url"] = pages.step_url(section["step"])
    contract = pages.contract
    context = _context(
        request,
        pages,
        draft,
        sections=sections,
        first_step_url=pages.step_url(STEP_NAMES[0]),
        problems=built.problems,
        left_out=draft.get("left_out", []),
        dropped=None
        if contract is None or built.document is None or built.problems
        else mechanism_builder.dropped_documents(contract, built.document),
        version=version,
        stale=stale,
        mechanism_url=pages.saved_url,
    )
    return render(request, "contracts/builder_check.html", context, status=409 if stale else 200)


@login_required
@require_http_methods(["GET", "HEAD"])
def builder_start(request: HttpRequest, reference: str) -> HttpResponse:
    pages = _contract_pages(request, reference)
    return redirect(pages.step_url(STEP_NAMES[0]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def builder_step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    return _step_page(request, _contract_pages(request, reference), step)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def builder_check(request: HttpRequest, reference: str) -> HttpResponse:
    return _check_page(request, _contract_pages(request, reference))


@login_required
@require_http_methods(["GET", "HEAD"])
def lot_builder_start(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    pages = _lot_pages(request, reference, number)
    return _refused_after_publication(request, pages) or redirect(pages.step_url(STEP_NAMES[0]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lot_builder_step(request: HttpRequest, reference: str, number: int, step: str) -> HttpResponse:
    pages = _lot_pages(request, reference, number)
    return _refused_after_publication(request, pages) or _step_page(request, pages, step)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lot_builder_check(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    pages = _lot_pages(request, reference, number)
    return _refused_after_publication(request, pages) or _check_page(request, pages)


@require_http_methods(["GET", "HEAD"])
def lot_mechanism_json(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """The lot's tendered mechanism as JSON (PBR-1): to everyone who can see the opportunity,
    so bidders can price on it with their own tools."""
    opportunity = procurement_access.visible_opportunity(request.user, reference)
    lot = get_object_or_404(Lot, opportunity=opportunity, number=number)
    if lot.tendered_mechanism is None:
        raise Http404("This lot has no payment mechanism built yet")
    response = HttpResponse(
        json.dumps(lot.tendered_mechanism, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"{opportunity.reference}-lot-{lot.number}-mechanism.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def lot_mechanism_import(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """The lot's tendered mechanism as JSON, pasted in (PBR-1): validated like a contract's,
    refused after publication and from a stale version, as the builder is."""
    pages = _lot_pages(request, reference, number)
    refused = _refused_after_publication(request, pages)
    if refused:
        return refused
    lot = pages.subject
    assert isinstance(lot, Lot)
    form = LotMechanismForm(
        request.POST if request.method == "POST" else None,
        initial={"mechanism": document_text(lot.tendered_mechanism)},
        versioned=lot,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_editing.save_lot_mechanism(
                signed_in_user(request),
                lot,
                form.cleaned_data["mechanism"],
                form.edited_version(),
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            mechanism_builder.discard(request.session, lot)
            messages.success(request, pages.saved_message)
            return redirect(pages.saved_url)
    context = {
        "form": form,
        "title": f"Import the payment mechanism of lot {lot.number} as JSON",
        "caption": str(lot.opportunity),
        "crumbs": [*pages.crumbs[:-1], (f"Import the mechanism of lot {lot.number}", None)],
        "submit_label": "Save the payment mechanism",
        "cancel_url": pages.cancel_url,
        "intro": "Paste a payment mechanism in the format described in the payments guide. "
        "It replaces the lot's mechanism; bids will be priced on it.",
    }
    return render(request, "procurement/form.html", context, status=page_status(form))
