"""A contract's "Social value" section (EVA-3, LAW-1): public pledged-against-delivered figures,
the commissioners' form to record a commitment and review a figure, the prime's form to report a
quarter. Thin: the rules are :mod:`.services`' and :mod:`.access`'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.kernel.forms import apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.social_value import access, services
from commissioning.social_value.forms import CommitmentForm, ReportForm, ReviewForm
from commissioning.social_value.models import QuarterlyReport

SECTION = "social_value:contract"


@require_http_methods(["GET", "HEAD"])
def contract_section(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    context = section_context(
        request.user,
        contract,
        SECTION,
        tables=services.pledged_against_delivered(contract),
        can_manage=access.can_manage(request.user, contract),
        can_report=access.can_report(request.user, contract),
        sees_notes=access.sees_notes(request.user, contract),
    )
    return render(request, "social_value/contract.html", context)


def _form_page(
    request: HttpRequest, contract: Contract, form: BaseForm, title: str, submit_label: str
) -> HttpResponse:
    section_url = reverse(SECTION, args=[contract.reference])
    return render(
        request,
        "contracts/performance_form.html",
        {
            "contract": contract,
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "cancel_url": section_url,
            "crumbs": [
                ("Contracts", reverse("contracts:list")),
                (contract.reference, contract.get_absolute_url()),
                ("Social value", section_url),
                (title, None),
            ],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_commitment(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    if not access.can_manage(request.user, contract):
        raise PermissionDenied("Only the contract's commissioners record its social value.")
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_commitment(signed_in_user(request), contract, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Commitment recorded.")
            return redirect(SECTION, contract.reference)
    return _form_page(request, contract, form, "Record a social value commitment", "Record it")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_quarter(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    if not access.can_report(request.user, contract):
        raise PermissionDenied("Only the prime contractor reports its social value.")
    commitments = list(contract.social_value_commitments.all())
    if not commitments:
        messages.info(request, "There are no social value commitments to report on yet.")
        return redirect(SECTION, contract.reference)
    form = ReportForm(
        request.POST or None,
        commitments=commitments,
        quarters=services.contract_quarters(contract),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                signed_in_user(request),
                form.commitment(),
                form.cleaned_data["quarter"],
                form.cleaned_data["delivered"],
                form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Quarter reported.")
            return redirect(SECTION, contract.reference)
    return _form_page(request, contract, form, "Report a quarter's social value", "Send the figure")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_report(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    contract = contract_or_404(reference)
    report = (
        QuarterlyReport.objects.select_related("commitment__contract")
        .filter(pk=pk, commitment__contract=contract)
        .first()
    )
    if report is None:
        raise Http404("No such report on this contract")
    if not access.can_manage(request.user, contract):
        raise PermissionDenied("Only the contract's commissioners review its social value.")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review(
                signed_in_user(request),
                report,
                form.cleaned_data["decision"],
                form.cleaned_data["question"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(SECTION, contract.reference)
    return _form_page(request, contract, form, "Review a reported figure", "Record the decision")
