"""The contract's model sub-contracts (SUP-3, SUP-1, PBR-6): a section listing the
sub-contractors, and for each a page and a PDF of its agreed terms in plain English. Thin: the
words and figures are :mod:`.subcontract`'s, who may see them :mod:`.access`'s."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.contracts import access, services
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.contracts.subcontract import (
    ModelSubcontract,
    model_subcontract,
    subcontractors,
)
from commissioning.contracts.subcontract_pdf import render_pdf

SECTION = "subcontracts"


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest, reference: str) -> HttpResponse:
    """Everyone sees which sub-contractors there are; each model sub-contract opens for its
    two parties and the contract's commissioners."""
    contract = contract_or_404(reference)
    rows = [
        {
            "name": sub.name,
            "url": reverse("contracts:subcontract", args=[contract.reference, sub.party_id])
            if access.can_see_model_subcontract(request.user, contract, sub.organisation_id)
            else None,
        }
        for sub in subcontractors(contract, services.parsed(contract).mechanism)
    ]
    context = section_context(request.user, contract, SECTION, rows=rows)
    return render(request, "contracts/subcontracts.html", context)


def _document(
    request: HttpRequest, reference: str, party_id: str
) -> tuple[Contract, ModelSubcontract]:
    """The contract and the model sub-contract, if the visitor may see it (else 403); 404 for
    a party that is not one of the contract's sub-contractors."""
    contract = contract_or_404(reference)
    mechanism = services.parsed(contract).mechanism
    sub = next((s for s in subcontractors(contract, mechanism) if s.party_id == party_id), None)
    if sub is None:
        raise Http404("No sub-contractor with that id in this contract")
    if not access.can_see_model_subcontract(request.user, contract, sub.organisation_id):
        raise PermissionDenied(
            "Only the prime, this sub-contractor and the contract's commissioners see its model "
            "sub-contract."
        )
    return contract, model_subcontract(contract, party_id)


@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, reference: str, party_id: str) -> HttpResponse:
    contract, document = _document(request, reference, party_id)
    context = section_context(
        request.user,
        contract,
        SECTION,
        section_label=f"Model sub-contract with {document.subcontractor}",
        document=document,
        pdf_url=reverse("contracts:subcontract-pdf", args=[contract.reference, party_id]),
        crumbs=[
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Model sub-contracts", reverse("contracts:subcontracts", args=[contract.reference])),
            (document.subcontractor, None),
        ],
    )
    return render(request, "contracts/subcontract.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def pdf(request: HttpRequest, reference: str, party_id: str) -> HttpResponse:
    _, document = _document(request, reference, party_id)
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
