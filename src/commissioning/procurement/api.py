"""JSON API for opportunities (PRO-1 … PRO-5), at /api/opportunities. Their open data (OCDS
releases, LAW-1, LAW-2, PRO-9) is served beside it by :mod:`commissioning.opendata.api`.

Reads are public. A draft is seen only by its commissioners (404 for everyone else). Errors are
``{"detail", "errors"}``; money is a decimal string.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import validation_errors
from commissioning.audit.versions import StaleEdit, current_version
from commissioning.exercises.forms import form_errors
from commissioning.permissions import signed_in_user
from commissioning.procurement import access, services, services_editing, services_tupe
from commissioning.procurement.forms import OpportunityFilterForm
from commissioning.procurement.lifecycle import Status as OpportunityStatus
from commissioning.procurement.lifecycle import TransitionError, is_editable
from commissioning.procurement.models import Lot, Opportunity

router = Router(tags=["Opportunities"])

INVALID = "Some of the values are not valid: see errors."


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[dict[str, Any]]


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def opportunity_summary(opportunity: Opportunity) -> dict[str, Any]:
    body = opportunity.exercise.commissioning_body
    return {
        "reference": opportunity.reference,
        "title": opportunity.title,
        "status": opportunity.status,
        "status_label": opportunity.get_status_display(),
        "exercise": opportunity.exercise.reference,
        "commissioning_body": {"slug": body.slug, "name": body.name},
        "published_at": opportunity.published_at,
        "bid_deadline": opportunity.bid_deadline,
        "sme_suitable": opportunity.sme_suitable,
        "vcse_suitable": opportunity.vcse_suitable,
        "is_synthetic": opportunity.is_synthetic,
        "url": opportunity.get_absolute_url(),
    }


def opportunity_detail(opportunity: Opportunity) -> dict[str, Any]:
    cancelled = opportunity.status == "cancelled"
    return {
        **opportunity_summary(opportunity),
        "description": opportunity.description,
        "question_deadline": opportunity.question_deadline,
        "answers_by": opportunity.answers_by,
        "open_for_bids": services.is_open_for_bids(opportunity),
        "consortium_encouraged": opportunity.consortium_encouraged,
        "response_working_days": opportunity.response_working_days,
        "contact": {"name": opportunity.contact_name, "email": opportunity.contact_email},
        "barriers_considered": opportunity.barriers_considered,
        "not_divided_rationale": opportunity.not_divided_rationale,
        "budget_total": _money(opportunity.budget_total),
        "expected_service_users": opportunity.expected_service_users,
        "outcomes_sought": opportunity.outcomes_sought,
        # The groups of people served, in the alerts' vocabulary (directory cohorts).
        "people_served": [{"slug": c.slug, "name": c.name} for c in opportunity.cohorts.all()],
        # Staff expected to transfer and the estimate of the liability (PRO-10).
        "tupe": services_tupe.tupe_document(opportunity),
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "areas": [{"slug": a.slug, "name": a.name} for a in lot.areas.all()],
                "specialisms": [{"slug": s.slug, "name": s.name} for s in lot.specialisms.all()],
                "estimated_annual_value": _money(lot.estimated_annual_value),
                "duration_months": lot.duration_months,
                "payment_model_summary": lot.payment_model_summary,
                # The share of the fee paid on outcomes, as a number (PBR-1).
                "outcome_payment_percent": _money(lot.outcome_payment_percent),
                "outcome_payment_mode": lot.outcome_payment_mode,
                # The turnover condition with its justification beside it (PRO-2).
                "turnover_multiple": _money(lot.turnover_multiple),
                "turnover_justification": lot.turnover_justification,
                "minimum_reserves_months": _money(lot.minimum_reserves_months),
                "sme_suitable": lot.sme_suitable,
                "vcse_suitable": lot.vcse_suitable,
            }
            for lot in opportunity.lots.all()
        ],
        "criteria": [
            {"name": c.name, "kind": c.kind, "weight": str(c.weight), "guidance": c.guidance}
            for c in opportunity.criteria.all()
        ],
        "change_log": [
            {
                "field": change.field,
                "old_value": change.old_value,
                "new_value": change.new_value,
                "reason": change.reason,
                "automatic": change.automatic,
                "changed_at": change.changed_at,
            }
            for change in opportunity.date_changes.all()
        ],
        "cancellation": {
            "code": opportunity.cancellation_code,
            "label": opportunity.get_cancellation_code_display(),
            "reason": opportunity.cancellation_reason,
            "cancelled_at": opportunity.cancelled_at,
        }
        if cancelled
        else None,
    }


def _not_found(reference: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": f"No opportunity {reference}", "errors": {}})


def _visible(request: HttpRequest, reference: str) -> Opportunity | None:
    queryset = Opportunity.objects.filter(reference=reference)
    opportunity = (
        queryset.select_related("exercise__commissioning_body")
        .prefetch_related("lots__areas", "lots__specialisms", "criteria", "date_changes", "cohorts")
        .first()
    )
    if opportunity is None or not access.can_view_opportunity(request.user, opportunity):
        return None
    return opportunity


@router.get("", response={200: PageOut, 400: ErrorOut}, summary="List opportunities")
def list_opportunities(
    request: HttpRequest,
    status: str = "",
    area: str = Query("", description="Area slug"),
    q: str = Query("", description="Text in the reference, title or description"),
    page: int = Query(1, ge=1),
    page_size: int = Query(settings.PAGE_SIZE, ge=1, le=100),
) -> Any:
    """Public; drafts only for their commissioners. Newest first."""
    form = OpportunityFilterForm({"status": status, "area": area, "q": q})
    if not form.is_valid():
        return Status(400, {"detail": INVALID, "errors": form_errors(form)})
    paginator = Paginator(services.filter_opportunities(request.user, form.cleaned_data), page_size)
    items = paginator.page(page).object_list if page <= paginator.num_pages else []
    return Status(
        200,
        {
            "count": paginator.count,
            "page": page,
            "page_size": page_size,
            "results": [opportunity_summary(o) for o in items],
        },
    )


@router.get(
    "/{reference}",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="One opportunity: lots, criteria, timeline and change log",
    url_name="opportunity_detail",
)
def get_opportunity(request: HttpRequest, reference: str) -> Any:
    opportunity = _visible(request, reference)
    if opportunity is None:
        return _not_found(reference)
    return Status(200, opportunity_detail(opportunity))


NOT_PUBLISHED = "The opportunity cannot be published yet: see errors for each reason."


@router.post(
    "/{reference}/publish",
    auth=django_auth,
    response={200: dict[str, Any], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Publish a draft opportunity to tender (opens it for bids)",
    url_name="opportunity_publish",
)
def publish_opportunity(request: HttpRequest, reference: str) -> Any:
    """The exercise's commissioners publish the tender (UK4), through the same service and guards
    as the publish page (PRO-1 … PRO-5, CYC-3, EQU-1): lots with areas, a complete specification,
    criteria, the timeline, the point of contact, the record of barriers considered, the end of
    market engagement and the exercise's published equality impact assessment. A refused
    publication writes nothing and answers 409 listing every reason under ``errors.publish``
    (``errors.status`` when the opportunity is no longer a draft). Someone else is refused with
    403; a draft is 404 to anyone who may not see it."""
    opportunity = _visible(request, reference)
    if opportunity is None:
        return _not_found(reference)
    try:
        services.publish(signed_in_user(request), opportunity)
    except PermissionDenied:
        detail = "Only the exercise's commissioners can publish this opportunity."
        return Status(403, {"detail": detail, "errors": {}})
    except TransitionError as refused:
        detail = refused.reasons[0] if len(refused.reasons) == 1 else NOT_PUBLISHED
        errors = {refused.field: [str(reason) for reason in refused.reasons]}
        return Status(409, {"detail": str(detail), "errors": errors})
    return Status(200, opportunity_detail(opportunity))


class LotMechanismOut(Schema):
    lot: int = Field(description="The lot's number within the opportunity.")
    mechanism: dict[str, Any] | None = Field(
        description="The payment mechanism bids are priced on, format version 1 "
        "(docs/payments.md); its parties are placeholders the contract replaces with the "
        "winning bidder and its sub-contractors. Null when none was built."
    )
    version: str = Field(
        description="Send it back with a change to the mechanism: a mechanism saved since is "
        "refused (409)."
    )
    changeable: bool = Field(
        description="Whether the mechanism can still change: only while the opportunity is a draft."
    )


def _lot(request: HttpRequest, reference: str, number: int) -> Lot | None:
    opportunity = _visible(request, reference)
    if opportunity is None:
        return None
    return (
        Lot.objects.select_related("opportunity")
        .filter(opportunity=opportunity, number=number)
        .first()
    )


def _lot_mechanism(lot: Lot) -> dict[str, Any]:
    return {
        "lot": lot.number,
        "mechanism": lot.tendered_mechanism,
        "version": current_version(lot),
        "changeable": is_editable(OpportunityStatus(lot.opportunity.status)),
    }


def _no_lot(reference: str, number: int) -> Status[dict[str, Any]]:
    return Status(404, {"detail": f"No lot {number} in opportunity {reference}", "errors": {}})


@router.get(
    "/{reference}/lots/{number}/mechanism",
    response={200: LotMechanismOut, 404: ErrorOut},
    summary="A lot's payment mechanism as tendered",
    url_name="lot_mechanism",
)
def get_lot_mechanism(request: HttpRequest, reference: str, number: int) -> Any:
    """Public once the opportunity is published; a draft's only to its commissioners."""
    lot = _lot(request, reference, number)
    if lot is None:
        return _no_lot(reference, number)
    return Status(200, _lot_mechanism(lot))


@router.put(
    "/{reference}/lots/{number}/mechanism",
    auth=django_auth,
    response={
        200: LotMechanismOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Replace a lot's payment mechanism as tendered",
    url_name="lot_mechanism_put",
)
def put_lot_mechanism(
    request: HttpRequest,
    reference: str,
    number: int,
    mechanism: Body[dict[str, Any]],
    version: str | None = Query(
        None,
        description="The version read with the mechanism: if another mechanism was saved since, "
        "the change is refused (409) with who saved it, and nothing is overwritten.",
    ),
) -> Any:
    """The exercise's commissioners, while the opportunity is a draft, as on the builder's
    pages. The body is the whole mechanism document (format version 1), validated against the
    schema like a contract's: if it is not valid nothing is saved and 422 names each field
    path. A published opportunity's lot is refused with 409 (bids are priced on it), as is a
    save from an older ``version``."""
    lot = _lot(request, reference, number)
    if lot is None:
        return _no_lot(reference, number)
    actor = signed_in_user(request)
    try:
        services_editing.check_lot_mechanism_changeable(actor, lot)
    except PermissionDenied:
        detail = "Only the exercise's commissioners can change this opportunity."
        return Status(403, {"detail": detail, "errors": {}})
    except ValidationError as refused:
        return Status(409, validation_errors(refused))
    try:
        services_editing.save_lot_mechanism(actor, lot, mechanism, version)
    except ValidationError as invalid:
        body = validation_errors(invalid)
        body["detail"] = "The mechanism is not valid; nothing was saved. See errors."
        return Status(422, body)
    except StaleEdit as stale:
        return Status(
            409, {"detail": stale.message, "errors": {"version": [f"Now {stale.version}."]}}
        )
    lot.refresh_from_db()
    return Status(200, _lot_mechanism(lot))
