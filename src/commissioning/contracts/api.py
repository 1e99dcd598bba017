"""JSON API for contracts let by Payment by Results (PBR-1 .. PBR-6, SUP-1), at /api/contracts.

Reads are public (supply chains and payments are published to everyone, SUP-1): the list, one
contract with its parties and mechanism, its payment statement, its chain-risk table and its
working-capital stress test. Replacing the mechanism needs a signed-in session (401) and
:func:`commissioning.permissions.can_edit_contract` (403); it goes through the same service
as the web pages, so an invalid document is refused (422, every field path named) and nothing
is saved. Money is always a decimal string. Documented in ``docs/payments.md`` ("API").
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import permissions
from commissioning.api.errors import validation_errors
from commissioning.audit.versions import current_version
from commissioning.contracts import access, citations, services
from commissioning.contracts.forms import ContractEndInputForm
from commissioning.contracts.models import Contract
from commissioning.exercises.forms import form_errors
from commissioning.permissions import signed_in_user
from commissioning_analytics.cashflow.stress import FAN_PERCENTILES
from commissioning_analytics.cashflow.stress_inputs import Levers

router = Router(tags=["Contracts (Payment by Results)"])

INVALID = "Some of the values are not valid: see errors."
MAX_PAYMENT_TERMS_DAYS = 365


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in plain English.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages for each field that was not valid."
    )


class OrganisationRef(Schema):
    slug: str
    name: str
    url: str = Field(description="The organisation's page in the directory.")


class MechanismRef(Schema):
    id: str
    name: str


class ContractSummaryOut(Schema):
    reference: str = Field(examples=["PBR-DEMO-01"])
    title: str
    status: str
    commissioning_body: OrganisationRef
    prime: OrganisationRef
    start_date: str = Field(description="ISO date")
    end_date: str = Field(description="ISO date")
    annual_value: str = Field(description="Pounds per year, a decimal string.")
    mechanism: MechanismRef
    is_synthetic: bool = Field(description="Generated demo data, not a real contract.")
    url: str


class ContractPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[ContractSummaryOut]


class PartyOut(Schema):
    party_id: str = Field(description="The party's id in the mechanism and the statement.")
    role: str
    name: str
    organisation: OrganisationRef | None
    services: str
    promised_referrals_per_year: int | None
    promised_value_per_year: str | None = Field(description="Pounds, a decimal string.")


class LotOut(Schema):
    opportunity: str
    opportunity_title: str
    exercise: str
    number: int
    title: str


class ContractDetailOut(ContractSummaryOut):
    ended_on: str | None = Field(
        description="ISO date: the last day of an ended or terminated contract; null while active."
    )
    termination_reason: str = Field(description="Why it was terminated early; empty otherwise.")
    lot: LotOut
    parties: list[PartyOut] = Field(description="Every party: the supply chain as bid (SUP-1).")
    mechanism_document: dict[str, Any] = Field(
        description="The payment mechanism, format version 1 (docs/payments.md)."
    )
    version: str = Field(
        description="Send it back with a change to the mechanism: a change saved since is "
        "refused (409)."
    )


def _org(organisation: Any) -> dict[str, str]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "url": organisation.get_absolute_url(),
    }


def contract_summary(contract: Contract) -> dict[str, Any]:
    return {
        "reference": contract.reference,
        "title": contract.title,
        "status": contract.status,
        "commissioning_body": _org(contract.commissioning_body),
        "prime": _org(contract.prime),
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "annual_value": str(contract.annual_value),
        "mechanism": {
            "id": str(contract.mechanism.get("id", "")),
            "name": str(contract.mechanism.get("name", "")),
        },
        "is_synthetic": contract.is_synthetic,
        "url": contract.get_absolute_url(),
    }


def contract_detail(contract: Contract) -> dict[str, Any]:
    names = {p.get("id"): p.get("name", "") for p in contract.mechanism.get("parties", [])}
    lot = contract.lot
    return {
        **contract_summary(contract),
        "ended_on": contract.ended_on.isoformat() if contract.ended_on else None,
        "termination_reason": contract.termination_reason,
        "lot": {
            "opportunity": lot.opportunity.reference,
            "opportunity_title": lot.opportunity.title,
            "exercise": lot.opportunity.exercise.reference,
            "number": lot.number,
            "title": lot.title,
        },
        "parties": [
            {
                "party_id": party.party_id,
                "role": party.role,
                "name": names.get(party.party_id)
                or (party.organisation.name if party.organisation else party.party_id),
                "organisation": _org(party.organisation) if party.organisation else None,
                "services": party.services,
                "promised_referrals_per_year": party.promised_referrals_per_year,
                "promised_value_per_year": (
                    None
                    if party.promised_value_per_year is None
                    else str(party.promised_value_per_year)
                ),
            }
            for party in contract.parties.select_related("organisation")
        ],
        "mechanism_document": contract.mechanism,
        "version": current_version(contract),
    }


def _get(reference: str) -> Contract | None:
    try:
        return services.get_contract(reference)
    except Contract.DoesNotExist:
        return None


def _not_found(reference: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": f"No contract {reference}", "errors": {}})


def _invalid(errors: dict[str, list[str]], detail: str = INVALID) -> Status[dict[str, Any]]:
    return Status(422, {"detail": detail, "errors": errors})


@router.get(
    "",
    response={200: ContractPageOut},
    summary="List contracts",
    url_name="contract_list",
)
def list_contracts(
    request: HttpRequest,
    page: int = Query(1, ge=1),
    page_size: int = Query(settings.PAGE_SIZE, ge=1, le=100),
) -> Any:
    """Public. Newest first."""
    paginator = Paginator(services.visible_contracts(), page_size)
    items = paginator.page(page).object_list if page <= paginator.num_pages else []
    return {
        "count": paginator.count,
        "page": page,
        "page_size": page_size,
        "results": [contract_summary(c) for c in items],
    }


@router.get(
    "/{reference}",
    response={200: ContractDetailOut, 404: ErrorOut},
    summary="One contract with its parties and payment mechanism",
    url_name="contract_detail",
)
def get_contract(request: HttpRequest, reference: str) -> Any:
    """Public (SUP-1)."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    return Status(200, contract_detail(contract))


@router.get(
    "/{reference}/statement",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="The payment statement for the periods observed so far",
    url_name="contract_statement",
)
def get_statement(request: HttpRequest, reference: str) -> Any:
    """Public. ``statement`` has the shape of ``commissioning payments calculate --format json``
    (docs/payments-cli.md), amounts as strings, each period with its ``volumes`` and where each
    came from, and ``sources``; it is ``null`` when nothing is recorded or imported yet."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    computed = services.contract_statement(contract)
    if computed is None:
        detail = "Nothing has been recorded or imported for this contract yet, so nothing is due."
        return Status(200, {"contract": reference, "detail": detail, "statement": None})
    data = services.statement_data(computed)
    return Status(200, {"contract": reference, "detail": "", "statement": data})


@router.get(
    "/{reference}/risk",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Money and risk down the supply chain",
    url_name="contract_risk",
)
def get_risk(request: HttpRequest, reference: str) -> Any:
    """Public (PBR-4, PBR-6, SUP-3): ``ChainRisk.to_dict()`` (docs/chain-risk.md)."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    return Status(200, {"contract": reference, **services.risk_for(contract).to_dict()})


@router.get(
    "/{reference}/stress",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    summary="Working-capital stress test, as agreed and with what-if levers",
    url_name="contract_stress",
)
def get_stress(
    request: HttpRequest,
    reference: str,
    upfront_share: float | None = Query(None, description="Share paid up front, 0 to 1"),
    at_risk_share: float | None = Query(None, description="Share at risk, 0 to 1"),
    payment_terms_days: float | None = Query(None, description="Days to be paid, 0 to 365"),
    member: str = Query("", description="Party id whose fan chart to give (default: the prime)"),
) -> Any:
    """Public (PBR-5). Each lever applies to every chain member; the variant runs on the same
    random draws as the mechanism as agreed."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    errors: dict[str, list[str]] = {}
    for name, value, top in (
        ("upfront_share", upfront_share, 1.0),
        ("at_risk_share", at_risk_share, 1.0),
        ("payment_terms_days", payment_terms_days, float(MAX_PAYMENT_TERMS_DAYS)),
    ):
        if value is not None and (not math.isfinite(value) or not 0 <= value <= top):
            errors[name] = [f"must be a number from 0 to {top:g}"]
    documents = services.parsed(contract)
    chain = [p for p in documents.mechanism.parties if p.role.value in ("prime", "subcontractor")]
    prime = next(p.id for p in chain if p.role.value == "prime")
    chosen = member or prime
    if chosen not in {p.id for p in chain}:
        errors["member"] = [f"must be one of {', '.join(p.id for p in chain)}"]
    if not errors:  # the same check as the web form's, on shares already known to be 0–1
        own = services.lever_members(services.stress_mapping(contract))
        errors = services.lever_errors(own, upfront_share, at_risk_share)
    if errors:
        return _invalid(errors)
    levers = Levers(
        upfront_share=upfront_share,
        at_risk_share=at_risk_share,
        payment_terms_days=payment_terms_days,
    )
    result = services.stress_for(contract, levers)
    names = {p.id: p.name for p in chain}
    members = [
        {
            "party": base.name,
            "name": names.get(base.name, base.name),
            "reserves": round(base.reserves, 2),
            "ruin_probability": base.ruin_probability,
            "variant_ruin_probability": variant.ruin_probability,
            "change": variant.ruin_probability - base.ruin_probability,
        }
        for base, variant in zip(result.baseline.members, result.variant.members, strict=True)
    ]

    def fan(stress: Any) -> dict[str, list[float]]:
        rows = stress.member(chosen).fan.tolist()
        return {
            str(q): [round(v, 2) for v in row] for q, row in zip(FAN_PERCENTILES, rows, strict=True)
        }

    return Status(
        200,
        {
            "contract": reference,
            "paths": result.baseline.paths,
            "months": result.baseline.months,
            "seed": result.baseline.seed,
            "levers": levers.describe(),
            "members": members,
            "member": chosen,
            "fan": {"baseline": fan(result.baseline), "variant": fan(result.variant)},
        },
    )


@router.put(
    "/{reference}/mechanism",
    auth=django_auth,
    response={
        200: ContractDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Replace a contract's payment mechanism",
    url_name="contract_mechanism",
)
def put_mechanism(
    request: HttpRequest,
    reference: str,
    mechanism: Body[dict[str, Any]],
    version: str | None = Query(
        None,
        description="The version read with the contract: if it changed since, the change is "
        "refused (409) with what changed and by whom, and nothing is overwritten.",
    ),
) -> Any:
    """A commissioner of the contract's body (or a site administrator). The body is the whole
    mechanism document (format version 1). It is validated with the contract's observations
    and assumptions; if anything is not valid, nothing is saved and 422 names each field path
    (``observed.…`` or ``assumptions.…`` for stored documents the new mechanism no longer fits).
    With ``?version=`` (from ``GET /api/contracts/<ref>``), a contract changed since is refused
    with 409 and nothing is saved (issue 13 item 4).
    """
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    if not permissions.can_edit_contract(request.user, contract):
        detail = "Only commissioners of the contract's commissioning body can change it."
        return Status(403, {"detail": detail, "errors": {}})
    try:
        services.update_documents(
            signed_in_user(request),
            contract,
            mechanism=mechanism,
            observed=contract.observed,
            assumptions=contract.assumptions,
            version=version,
        )
    except services.ContractDataError as error:
        errors = _field_errors(error.errors)
        detail = "The mechanism is not valid; nothing was saved. Check: " + ", ".join(errors)
        return _invalid(errors, detail)
    return Status(200, contract_detail(services.get_contract(reference)))


class ContractEndIn(Schema):
    status: str = Field(
        description="``ended`` (its term is over) or ``terminated`` (early).",
        examples=["terminated"],
    )
    terminated_on: str | None = Field(
        None, description="For ``terminated``: the last day it ran, YYYY-MM-DD (required)."
    )
    reason: str = Field("", description="For ``terminated``: why it ended early (required).")


@router.post(
    "/{reference}/end",
    auth=django_auth,
    response={200: ContractDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="End a contract whose term is over, or terminate it early",
    url_name="contract_end",
)
def end_contract(request: HttpRequest, reference: str, payload: ContractEndIn) -> Any:
    """A commissioner of the contract's body (or a site administrator), as on the contract's
    page: ``ended`` on or after its end date; ``terminated`` before it, with the date (not in
    the future, not before it started) and the reason. Refused with 400 naming each field, and
    nothing written; a contract that has already ended or been terminated cannot change. The
    contract termination notice (UK11) is then published with its OCDS release package."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    if not access.can_end_contract(request.user, contract):
        detail = "Only commissioners of the contract's commissioning body can end it."
        return Status(403, {"detail": detail, "errors": {}})
    form = ContractEndInputForm(payload.dict(), contract=contract)
    if not form.is_valid():
        return Status(400, {"detail": INVALID, "errors": form_errors(form)})
    try:
        form.record(signed_in_user(request))
    except ValidationError as error:
        return Status(400, validation_errors(error))
    return Status(200, contract_detail(services.get_contract(reference)))


def _field_errors(by_document: dict[str, list[str]]) -> dict[str, list[str]]:
    """``{"mechanism": ["outcome_payments[0].tariff: must be …"]}`` → errors keyed by field path
    (the mechanism's paths as they are in the request body)."""
    errors: dict[str, list[str]] = {}
    for document, messages in by_document.items():
        for message in messages:
            path, _, text = message.partition(": ")
            if not text:
                path, text = "(document)", message
            key = path if document == "mechanism" else f"{document}.{path}"
            errors.setdefault(key, []).append(text)
    return errors


class CitationIn(Schema):
    measure: str = Field(description="The id of one of the mechanism's reoffending measures.")
    period: int = Field(description="The contract period whose result the study gives.")
    study: int = Field(description="The number of a published outcome study.")


class CitedStudyOut(Schema):
    id: int
    title: str
    organisation: str
    url: str = Field(description="The study's page.")


class CitationOut(Schema):
    measure: str
    period: int
    cohort: str
    cohort_size: int = Field(description="The matched cohort's size.")
    observed: str = Field(description="The matched cohort's figure in the measure's units.")
    reference: str | None = Field(
        description="The matched comparison's figure; null when the measure's baseline applies."
    )
    study: CitedStudyOut


class CitationsOut(Schema):
    contract: str
    citations: list[CitationOut]


def _citations(contract: Contract) -> dict[str, Any]:
    mechanism = services.parsed(contract).mechanism
    cited = citations.cited_results(contract, mechanism)
    return {"contract": contract.reference, "citations": [c.to_dict() for c in cited]}


@router.get(
    "/{reference}/citations",
    response={200: CitationsOut, 404: ErrorOut},
    summary="The published outcome studies the statement pays on",
    url_name="contract_citations",
)
def list_citations(request: HttpRequest, reference: str) -> Any:
    """Public: each cited study with the figures the statement takes from it (PBR-2)."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    return Status(200, _citations(contract))


@router.post(
    "/{reference}/citations",
    auth=django_auth,
    response={200: CitationsOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Cite a published outcome study as a measure's result in a period",
    url_name="contract_cite_study",
)
def cite_study(request: HttpRequest, reference: str, payload: CitationIn) -> Any:
    """A commissioner of the contract's body, as on the contract's page: the study must be
    published and be by the prime or a sub-contractor, and measure what the measure counts;
    otherwise 400 naming each field, and nothing written (PBR-2)."""
    contract = _get(reference)
    if contract is None:
        return _not_found(reference)
    try:
        citations.cite_study(
            signed_in_user(request), contract, payload.measure, payload.period, payload.study
        )
    except PermissionDenied as error:
        return Status(403, {"detail": str(error), "errors": {}})
    except ValidationError as error:
        return Status(400, validation_errors(error))
    return Status(200, _citations(contract))
