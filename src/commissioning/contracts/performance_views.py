"""The contract's Performance section and its commissioners' pages: KPIs, assessments,
performance failures, changes and marking a mobilising contract active (LAW-4, LAW-1 UK9 and
UK10; issue 15). Thin: the rules are :mod:`.performance`'s and :mod:`.lifecycle`'s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.audit.versions import StaleEdit, VersionedFormMixin, page_status
from commissioning.contracts import access, lifecycle, performance, performance_sources
from commissioning.contracts.models import Contract, Kpi
from commissioning.contracts.performance_forms import (
    AssessmentForm,
    ChangeForm,
    FailureForm,
    KpiForm,
    PlatformFigures,
)
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user


@require_http_methods(["GET", "HEAD"])
def contract_performance(request: HttpRequest, reference: str) -> HttpResponse:
    """Public: the contract's state, KPIs, each assessment's ratings, performance failures and
    changes."""
    contract = contract_or_404(reference)
    context = section_context(
        request.user,
        contract,
        "performance",
        can_manage=access.can_manage_performance(request.user, contract),
        kpis=list(contract.kpis.all()),
        assessments=list(contract.assessments.prefetch_related("ratings__kpi")),
        failures=list(contract.performance_failures.all()),
        changes=list(contract.changes.all()),
        open_for_change=contract.status in (Contract.Status.MOBILISING, Contract.Status.ACTIVE),
    )
    return render(request, "contracts/performance.html", context)


def _manager_page(
    request: HttpRequest,
    reference: str,
    *,
    title: str,
    form_for: Callable[[Contract, Any], BaseForm],
    save: Callable[[Contract, BaseForm], str],
    submit_label: str,
    intro: str = "",
) -> HttpResponse:
    contract = contract_or_404(reference)
    if not access.can_manage_performance(request.user, contract):
        raise PermissionDenied("Only commissioners of the commissioning body can do this.")
    form = form_for(contract, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            done = save(contract, form)
        except ValidationError as error:
            apply_validation_error(form, error)
        except StaleEdit as stale:
            assert isinstance(form, VersionedFormMixin)
            form.refuse_stale(stale)
        else:
            messages.success(request, done)
            return redirect("contracts:performance", contract.reference)
    performance_url = reverse("contracts:performance", args=[contract.reference])
    return render(
        request,
        "contracts/performance_form.html",
        {
            "contract": contract,
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": performance_url,
            "crumbs": [
                ("Contracts", reverse("contracts:list")),
                (contract.reference, contract.get_absolute_url()),
                ("Performance", performance_url),
                (title, None),
            ],
        },
        status=page_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def kpi_add(request: HttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
    """Add a KPI to the contract, or edit one (``pk``)."""
    kpi: Kpi | None = None
    if pk is not None:
        kpi = Kpi.objects.filter(pk=pk, contract__reference=reference).first()
        if kpi is None:
            raise Http404("No such KPI on this contract")

    def form_for(contract: Contract, data: Any) -> BaseForm:
        initial = (
            {f: getattr(kpi, f) for f in ("name", "measure", "target", "frequency", "data_source")}
            if kpi
            else None
        )
        return KpiForm(data, initial=initial, versioned=kpi)

    def save(contract: Contract, form: BaseForm) -> str:
        assert isinstance(form, KpiForm)
        answers = {name: form.cleaned_data[name] for name in performance.KPI_FIELDS}
        saved = performance.save_kpi(
            signed_in_user(request), contract, kpi=kpi, version=form.edited_version(), **answers
        )
        return f"KPI “{saved.name}” saved."

    return _manager_page(
        request,
        reference,
        title="Edit a KPI" if kpi else "Add a KPI",
        form_for=form_for,
        save=save,
        submit_label="Save the KPI",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Rate every KPI over a period; published as the contract performance notice."""

    def save(contract: Contract, form: BaseForm) -> str:
        assert isinstance(form, AssessmentForm)
        data = form.cleaned_data
        performance.record_assessment(
            signed_in_user(request),
            contract,
            period_start=data["period_start"],
            period_end=data["period_end"],
            ratings=form.ratings(),
            is_final=data["is_final"],
        )
        return "Assessment recorded and published in the contract performance notice."

    return _manager_page(
        request,
        reference,
        title="Record an assessment",
        intro="Rate each KPI over a period of at most 12 months. The ratings are published "
        "in the contract performance notice.",
        form_for=lambda contract, data: _assessment_form(request, contract, data),
        save=save,
        submit_label="Record the assessment",
    )


def _assessment_form(request: HttpRequest, contract: Contract, data: Any) -> AssessmentForm:
    """The assessment form, with the platform's figures for the KPIs measured from its records
    beside their ratings: over the period posted when it is a valid one, else the period asked
    for (``?period_start=2026-04-01&period_end=2027-03-31``), else the likely next one, which
    the form's dates then start from (issue 15 item 1)."""
    period = _asked_period(data if data is not None else request.GET)
    initial: dict[str, Any] = {}
    if data is None:
        period = period or performance.default_period(contract)
        if period is not None:
            initial = {"period_start": period[0], "period_end": period[1]}
    figures = None
    if period is not None:
        figures = PlatformFigures(
            period[0], period[1], performance_sources.figures_for(contract, *period)
        )
    return AssessmentForm(data, contract=contract, figures=figures, initial=initial)


def _asked_period(data: Any) -> tuple[date, date] | None:
    """The period in ``data`` (the form's day, month and year fields, or ISO dates), when both
    ends are dates and the end is not before the start."""
    ends = []
    for name in ("period_start", "period_end"):
        field = AssessmentForm.base_fields[name]
        text = data.get(name)
        try:
            if text:
                ends.append(date.fromisoformat(text))
            else:
                ends.append(field.clean(field.widget.value_from_datadict(data, {}, name)))
        except (ValueError, ValidationError, TypeError):
            return None
    if ends[0] is None or ends[1] is None or ends[1] < ends[0]:
        return None
    return ends[0], ends[1]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def failure_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a breach or performance failure and its penalty."""

    def save(contract: Contract, form: BaseForm) -> str:
        performance.record_failure(signed_in_user(request), contract, **form.cleaned_data)
        return "Performance failure recorded."

    return _manager_page(
        request,
        reference,
        title="Record a performance failure",
        form_for=lambda contract, data: FailureForm(data),
        save=save,
        submit_label="Record the failure",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a change to the contract (an extension is a change of term)."""

    def save(contract: Contract, form: BaseForm) -> str:
        data = form.cleaned_data
        lifecycle.record_change(
            signed_in_user(request),
            contract,
            data["kind"],
            description=data["description"],
            reason=data["reason"],
            new_annual_value=data.get("new_annual_value"),
            new_end_date=data.get("new_end_date"),
        )
        return "Change recorded and published in a contract change notice."

    return _manager_page(
        request,
        reference,
        title="Record a change to the contract",
        intro="A change of value, term, scope or supply chain, with its reason. An extension "
        "is a change of term. It is published in a contract change notice.",
        form_for=lambda contract, data: ChangeForm(data),
        save=save,
        submit_label="Record the change",
    )


@login_required
@require_POST
def activate(request: HttpRequest, reference: str) -> HttpResponse:
    """Mark a mobilising contract active."""
    contract = contract_or_404(reference)
    try:
        lifecycle.transition(signed_in_user(request), contract, Contract.Status.ACTIVE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The contract is active.")
    return redirect("contracts:performance", contract.reference)
