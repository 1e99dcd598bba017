"""Citing a published outcome study as a contract's observed outcome (PBR-2): the list of the
contract's citations, and for its commissioners the form that adds or replaces one. The rules
are :mod:`commissioning.contracts.citations`' (the API refuses what this form refuses)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.contracts import citations, services
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.kernel.forms import GovUKForm, apply_validation_error
from commissioning.permissions import signed_in_user


class CitationForm(GovUKForm):
    """Which measure, which period and which study (by its number)."""

    measure = forms.ChoiceField(
        label="Outcome measure",
        error_messages={
            "required": "Choose the outcome measure the study stands for",
            "invalid_choice": "Choose one of the mechanism's outcome measures",
        },
    )
    period = forms.IntegerField(
        label="Contract period",
        help_text="The period whose result the study gives, for example 6.",
        error_messages={
            "required": "Enter the contract period",
            "invalid": "Enter the contract period as a whole number, like 6",
        },
    )
    study = forms.IntegerField(
        label="Study number",
        help_text="The number in the published study's address: /outcomes/12/ is study 12.",
        error_messages={
            "required": "Enter the number of a published outcome study",
            "invalid": "Enter the study's number as a whole number, like 12",
        },
    )

    def __init__(self, *args: Any, measures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ChoiceField)
        measure.choices = measures
        self.fields["period"].widget.attrs["class"] = "govuk-input--width-4"
        self.fields["study"].widget.attrs["class"] = "govuk-input--width-5"


def _measures(contract: Contract) -> list[tuple[str, str]]:
    mechanism = services.parsed(contract).mechanism
    return [
        (m.id, m.description or m.id.replace("-", " ").capitalize())
        for m in mechanism.measures.values()
        if m.kind in citations.STUDY_OUTCOME_FOR_KIND
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def contract_citations(request: HttpRequest, reference: str) -> HttpResponse:
    """Everyone sees what the statement cites; the contract's commissioners cite a study."""
    contract = contract_or_404(reference)
    can_cite = permissions.can_edit_contract(request.user, contract)
    form = CitationForm(request.POST or None, measures=_measures(contract))
    if request.method == "POST":
        if not can_cite:
            raise PermissionDenied(citations.NOT_A_COMMISSIONER)
        if form.is_valid():
            try:
                citations.cite_study(
                    signed_in_user(request),
                    contract,
                    form.cleaned_data["measure"],
                    form.cleaned_data["period"],
                    form.cleaned_data["study"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "The study is cited: the statement now pays on it")
                return redirect("contracts:citations", reference=contract.reference)
    context = section_context(
        request.user,
        contract,
        "statements",
        form=form,
        can_cite=can_cite,
        cited=citations.cited_results(contract, services.parsed(contract).mechanism),
        citable=citations.citable_studies(contract) if can_cite else [],
        statements_url=reverse("contracts:statements", args=[contract.reference]),
    )
    status = 400 if form.errors else 200
    return render(request, "contracts/citations.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def citation_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    contract = contract_or_404(reference)
    try:
        citations.remove_citation(signed_in_user(request), contract, pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The study is no longer cited: the imported result applies")
    return redirect("contracts:citations", reference=contract.reference)
