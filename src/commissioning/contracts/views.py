"""Web pages for contracts (PBR-1 .. PBR-6, SUP-1, SUP-3): thin views over :mod:`.services`.

Contracts are public (SUP-1 publishes supply chains and payments); a contract has a page per
section, linked from each other: summary, mechanism, statements, money and risk down the chain,
and the working-capital stress test. Commissioners of the contract's body edit its documents.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.audit.versions import StaleEdit, page_status
from commissioning.contracts import access, charts, presentation, services
from commissioning.contracts.describe import describe_mechanism
from commissioning.contracts.forms import (
    ContractEndForm,
    ContractFilterForm,
    DocumentsForm,
    ExampleForm,
    LeverForm,
    document_text,
)
from commissioning.contracts.models import Contract
from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagecache import public_page
from commissioning.kernel.pagination import paginate
from commissioning.opendata import publication
from commissioning.permissions import signed_in_user
from commissioning_analytics.cashflow.stress_inputs import StressInputError
from commissioning_analytics.payments.loader import example_document

#: The apps whose records a contract's summary page shows (parties, award, notices).
PUBLIC_CONTRACT_APPS = ("contracts", "directory", "awards", "procurement")


def _page(request: HttpRequest, contract: Contract, section: str, **extra: Any) -> dict[str, Any]:
    return section_context(
        request.user,
        contract,
        section,
        can_end=contract.status == Contract.Status.ACTIVE
        and access.can_end_contract(request.user, contract),
        **extra,
    )


@require_http_methods(["GET", "HEAD"])
@public_page("contracts", "directory")
def contract_list(request: HttpRequest) -> HttpResponse:
    form = ContractFilterForm(request.GET)
    form.is_valid()  # invalid filters are reported and left out; the valid ones still apply
    page = paginate(request, services.filter_contracts(form.cleaned_data))
    for contract in page["page_obj"].object_list:
        contract.kind = presentation.mechanism_kind(contract.mechanism)
    context = {
        "form": form,
        "crumbs": [("Contracts", None)],
        "filtered": any(form.cleaned_data.values()),
        **page,
    }
    return render(request, "contracts/list.html", context)


@require_http_methods(["GET", "HEAD"])
@public_page(*PUBLIC_CONTRACT_APPS)
def contract_detail(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    documents = services.parsed(contract)
    rows = presentation.party_rows(
        documents.mechanism, contract.parties.select_related("organisation")
    )
    context = _page(
        request,
        contract,
        "detail",
        parties=rows,
        documents=documents,
        notice=publication.notice_status(contract),
    )
    return render(request, "contracts/detail.html", context)


@require_http_methods(["GET", "HEAD"])
def contract_mechanism(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    documents = services.parsed(contract)
    mechanism = documents.mechanism
    described = describe_mechanism(mechanism, documents.observed)
    context = _page(request, contract, "mechanism", mechanism=mechanism, described=described)
    return render(request, "contracts/mechanism.html", context)


@require_http_methods(["GET", "HEAD"])
def contract_mechanism_json(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    response = HttpResponse(
        json.dumps(contract.mechanism, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{contract.reference}-mechanism.json"'
    return response


def _statement_body(contract: Contract) -> str:
    """The statement part of the page, rendered: the same for everyone who may see the page."""
    computed = services.contract_statement(contract)
    context: dict[str, Any] = {"contract": contract, "statement": None}
    if computed is not None:
        mechanism, statement = computed.mechanism, computed.statement
        context["statement"] = statement
        context["periods"] = presentation.statement_periods(mechanism, computed.merged, statement)
        context["totals"] = presentation.statement_totals(mechanism, statement)
        context["sources"] = presentation.statement_sources(mechanism, computed.merged)
        context["cited"] = computed.cited  # PBR-2: results cited from published studies
    return render_to_string("contracts/_statement.html", context)


@require_http_methods(["GET", "HEAD"])
def contract_statements(request: HttpRequest, reference: str) -> HttpResponse:
    """The statement is computed and rendered once per state of the contract and its records
    (:func:`services.statement_cache_key`), after the contract was found for this visitor; the
    header and navigation, which depend on who asks, are rendered on every request."""
    contract = contract_or_404(reference)
    key = services.statement_cache_key(contract)
    body = cache.get(key)
    if body is None:
        body = _statement_body(contract)
        cache.set(key, body, services.STATEMENT_CACHE_SECONDS)
    statement_body: SafeString = mark_safe(body)  # rendered (and escaped) by the templates
    return render(
        request,
        "contracts/statements.html",
        _page(request, contract, "statements", statement_body=statement_body),
    )


@require_http_methods(["GET", "HEAD"])
def contract_risk(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    risk = services.risk_for(contract)
    context = _page(
        request,
        contract,
        "risk",
        rows=presentation.risk_rows(risk),
        summary=presentation.risk_summary(risk),
        flags=risk.flags,
    )
    return render(request, "contracts/risk.html", context)


@require_http_methods(["GET", "HEAD"])
def contract_stress(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    mapping = services.stress_mapping(contract)
    members = services.lever_members(mapping)
    names = {party: value[0] for party, value in members.items()}
    first = next(iter(members))
    form = LeverForm(request.GET or None, members=members, initial={"member": first})
    levers = None
    member = first
    if form.is_bound:
        if form.is_valid():
            levers = form.levers()
            member = form.cleaned_data["member"]
        elif request.GET.get("member") in members:
            member = request.GET["member"]
    try:
        result = services.stress_for(contract, levers)
    except StressInputError as error:  # the form checks the levers; a safety net
        form.add_error(None, str(error))
        levers, result = None, services.stress_for(contract)
    changed = levers is not None
    chosen = result.baseline.member(member)
    context = _page(
        request,
        contract,
        "stress",
        form=form,
        mapping=mapping,
        member_name=names[member],
        rows=presentation.stress_rows(result, names, changed),
        chart=charts.fan_chart(chosen, names[member]),
        table=charts.fan_table(chosen),
        variant_chart=charts.fan_chart(result.variant.member(member), names[member])
        if changed
        else None,
        levers=levers,
        result=result,
        paths=result.baseline.paths,
        seed=result.baseline.seed,
    )
    return render(request, "contracts/stress.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied("Only commissioners of the commissioning body can edit this.")
    example_form = ExampleForm(request.GET or None)
    initial = {name: document_text(getattr(contract, name)) for name in services.DOCUMENTS}
    if example_form.is_bound and example_form.is_valid():
        name = example_form.cleaned_data["example"]
        initial = {
            "mechanism": document_text(example_document(name)),
            "observed": document_text(example_document(f"{name}.observed")),
            "assumptions": "",
        }
    form = DocumentsForm(
        request.POST if request.method == "POST" else None, initial=initial, versioned=contract
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_documents(
                signed_in_user(request),
                contract,
                mechanism=data["mechanism"],
                observed=data.get("observed"),
                assumptions=data.get("assumptions"),
                version=form.edited_version(),
            )
        except StaleEdit as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"The documents of {contract.reference} were saved")
            return redirect(contract)
    context = {
        "contract": contract,
        "form": form,
        "example_form": example_form,
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("Edit documents", None),
        ],
    }
    return render(request, "contracts/edit.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contract_end(request: HttpRequest, reference: str) -> HttpResponse:
    """End a contract whose term is over, or terminate it early (its commissioners): one
    transaction, audited, shown on the contract's page and published as its contract
    termination notice (:mod:`commissioning.contracts.lifecycle`)."""
    contract = contract_or_404(reference)
    if not access.can_end_contract(request.user, contract):
        raise PermissionDenied("Only commissioners of the commissioning body can end it.")
    form = ContractEndForm(request.POST if request.method == "POST" else None, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            form.record(signed_in_user(request))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, presentation.ending_sentence(contract))
            return redirect(contract)
    context = {
        "contract": contract,
        "form": form,
        "crumbs": [
            ("Contracts", reverse("contracts:list")),
            (contract.reference, contract.get_absolute_url()),
            ("End or terminate", None),
        ],
    }
    return render(request, "contracts/end.html", context)
