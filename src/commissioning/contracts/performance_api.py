"""JSON API for a contract's KPIs, assessments, performance failures and changes (LAW-4, LAW-1
UK9 and UK10; issue 15), at /api/contracts/{reference}/…. Reads are public; writes need a
signed-in session (401) of one of the contract's commissioners (403) and go through the same
services as the pages (:mod:`.performance`, :mod:`.lifecycle`), so they refuse the same things
with the same words (400 ``{detail, errors}``) and write nothing then."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import validation_errors
from commissioning.contracts import lifecycle, performance, performance_sources, services
from commissioning.contracts.models import Contract
from commissioning.permissions import signed_in_user

router = Router(tags=["Contracts: performance"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class KpiIn(Schema):
    name: str
    measure: str
    target: str
    frequency: str
    data_source: str


class RatingIn(Schema):
    kpi: int
    rating: str
    result: str = Field(
        "",
        description="The result in the period. Left blank for a KPI measured from the "
        "platform's records, it is the figure the platform computed for the period.",
    )
    comment: str = ""


class AssessmentIn(Schema):
    period_start: date
    period_end: date
    is_final: bool = False
    ratings: list[RatingIn]


class FailureIn(Schema):
    requirement: str
    description: str
    decided_on: date
    penalty_type: str
    penalty_value: Decimal | None = None


class ChangeIn(Schema):
    kind: str
    description: str
    reason: str
    new_annual_value: Decimal | None = None
    new_end_date: date | None = None


WRITE = {201: dict[str, Any], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def performance_out(contract: Contract) -> dict[str, Any]:
    """The contract's state, KPIs, assessments, failures and changes, as its page shows them."""
    return {
        "reference": contract.reference,
        "status": contract.status,
        "no_kpis_rationale": contract.no_kpis_rationale,
        "kpis": [
            {
                "id": kpi.pk,
                "name": kpi.name,
                "measure": kpi.measure,
                "target": kpi.target,
                "frequency": kpi.frequency,
                "data_source": kpi.data_source,
                "platform_figures": performance_sources.has_figure(kpi.data_source),
            }
            for kpi in contract.kpis.all()
        ],
        "assessments": [
            {
                "id": assessment.pk,
                "period_start": assessment.period_start.isoformat(),
                "period_end": assessment.period_end.isoformat(),
                "is_final": assessment.is_final,
                "ratings": [
                    {"kpi": r.kpi_id, "rating": r.rating, "result": r.result, "comment": r.comment}
                    for r in assessment.ratings.all()
                ],
            }
            for assessment in contract.assessments.prefetch_related("ratings")
        ],
        "performance_failures": [
            {
                "id": failure.pk,
                "requirement": failure.requirement,
                "description": failure.description,
                "decided_on": failure.decided_on.isoformat(),
                "penalty_type": failure.penalty_type,
                "penalty_value": (
                    None if failure.penalty_value is None else str(failure.penalty_value)
                ),
            }
            for failure in contract.performance_failures.all()
        ],
        "changes": [
            {
                "id": change.pk,
                "kind": change.kind,
                "description": change.description,
                "reason": change.reason,
                "new_annual_value": (
                    None if change.new_annual_value is None else str(change.new_annual_value)
                ),
                "new_end_date": change.new_end_date.isoformat() if change.new_end_date else None,
            }
            for change in contract.changes.all()
        ],
    }


def _write(reference: str, write: Any) -> Any:
    try:
        contract = services.get_contract(reference)
    except Contract.DoesNotExist:
        return Status(404, {"detail": f"No contract with the reference {reference}", "errors": {}})
    try:
        write(contract)
    except PermissionDenied as error:
        return Status(403, {"detail": str(error), "errors": {}})
    except ValidationError as error:
        return Status(400, validation_errors(error))
    return Status(201, performance_out(services.get_contract(reference)))


@router.get("/{reference}/performance", response={200: dict[str, Any], 404: ErrorOut})
def get_performance(request: HttpRequest, reference: str) -> Any:
    """The contract's state, KPIs, assessments, performance failures and changes."""
    try:
        return performance_out(services.get_contract(reference))
    except Contract.DoesNotExist:
        return Status(404, {"detail": f"No contract with the reference {reference}", "errors": {}})


@router.get(
    "/{reference}/kpi-figures",
    response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut},
)
def get_kpi_figures(
    request: HttpRequest, reference: str, period_start: date, period_end: date
) -> Any:
    """The figures the platform computed from its own records (referrals completed, outcome
    results, days to pay sub-contractors, invoices paid within 30 days) for each KPI measured
    from them, over a period: what an assessment's results are prefilled with."""
    try:
        contract = services.get_contract(reference)
    except Contract.DoesNotExist:
        return Status(404, {"detail": f"No contract with the reference {reference}", "errors": {}})
    if period_end < period_start:
        message = "The end of the period must be after its start"
        return Status(400, {"detail": message, "errors": {"period_end": [message]}})
    figures = performance_sources.figures_for(contract, period_start, period_end)
    return {
        "reference": contract.reference,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "figures": [
            {"kpi": kpi.pk, "data_source": kpi.data_source, "figure": figures[kpi.pk]}
            for kpi in contract.kpis.all()
            if kpi.pk in figures
        ],
    }


@router.post("/{reference}/kpis", auth=django_auth, response=WRITE)
def add_kpi(request: HttpRequest, reference: str, payload: KpiIn) -> Any:
    """Add a KPI (the contract's commissioners)."""
    user = signed_in_user(request)
    return _write(reference, lambda c: performance.save_kpi(user, c, **payload.dict()))


@router.post("/{reference}/assessments", auth=django_auth, response=WRITE)
def add_assessment(request: HttpRequest, reference: str, payload: AssessmentIn) -> Any:
    """Rate every KPI over a period of at most 12 months; publishes a contract performance
    notice."""
    user = signed_in_user(request)
    ratings = [
        performance.RatingInput(r.kpi, r.rating, r.result, r.comment) for r in payload.ratings
    ]
    return _write(
        reference,
        lambda c: performance.record_assessment(
            user,
            c,
            period_start=payload.period_start,
            period_end=payload.period_end,
            ratings=ratings,
            is_final=payload.is_final,
        ),
    )


@router.post("/{reference}/failures", auth=django_auth, response=WRITE)
def add_failure(request: HttpRequest, reference: str, payload: FailureIn) -> Any:
    """Record a breach or performance failure and how its penalty was decided."""
    user = signed_in_user(request)
    return _write(reference, lambda c: performance.record_failure(user, c, **payload.dict()))


@router.post("/{reference}/changes", auth=django_auth, response=WRITE)
def add_change(request: HttpRequest, reference: str, payload: ChangeIn) -> Any:
    """Record a change (value, term, scope or supply chain; an extension is a change of term)
    with its reason; publishes a contract change notice."""
    user = signed_in_user(request)
    data = payload.dict()
    kind = data.pop("kind")
    return _write(reference, lambda c: lifecycle.record_change(user, c, kind, **data))
