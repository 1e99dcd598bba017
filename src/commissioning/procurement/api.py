"""JSON API for opportunities (PRO-1 … PRO-5, PRO-9) and their open data (LAW-1, LAW-2), at
/api/opportunities (with the awards' UK6 and UK7 releases at /api/opportunities/{reference}/awards);
plus the UK7 release of a contract at /api/contracts/{reference}/ocds.

Reads are public. A draft is seen only by its commissioners (404 for everyone else) and never
has OCDS releases. Errors are ``{"detail", "errors"}``; money is a decimal string.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from commissioning.awards import ocds as award_ocds
from commissioning.contracts import ocds as contract_ocds
from commissioning.exercises.forms import form_errors
from commissioning.opendata import planning as engagement_ocds
from commissioning.opendata.packaging import build_record, record_package, release_package
from commissioning.procurement import access, services
from commissioning.procurement import ocds as opportunity_ocds
from commissioning.procurement.forms import OpportunityFilterForm
from commissioning.procurement.models import Opportunity

router = Router(tags=["Opportunities"])
contracts_router = Router(tags=["Contracts (Payment by Results)"])

PUBLISHER = "Commissioning platform"
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
    queryset = opportunity_ocds.with_ocds_relations(Opportunity.objects.filter(reference=reference))
    opportunity = queryset.first()
    if opportunity is None or not access.can_view_opportunity(request.user, opportunity):
        return None
    return opportunity


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def award_releases(opportunity: Opportunity, site: str) -> list[dict[str, Any]]:
    """UK6 releases of the opportunity's awarded lots and UK7 releases of their contracts;
    plus UK7 releases of any contract of its lots not made through an award decision."""
    awards = award_ocds.published_awards().filter(lot__opportunity=opportunity)
    others = contract_ocds.published_contracts().filter(
        lot__opportunity=opportunity, award__isnull=True
    )
    return award_ocds.releases_of(awards, site) + contract_ocds.releases_of(others, site)


def process_releases(opportunity: Opportunity, site: str) -> list[dict[str, Any]]:
    """Every release of the opportunity's contracting process (one ocid), oldest first: UK2
    engagement, UK4 tender (with its enquiries), amendments, UK12, UK6 awards, UK7 contracts."""
    releases = opportunity_ocds.releases_for(opportunity, site)
    if not releases:
        return []
    releases = (
        engagement_ocds.releases_for_opportunity(opportunity, site)
        + releases
        + award_releases(opportunity, site)
    )
    return sorted(releases, key=lambda r: (r["date"], r["id"]))


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


def _releases_or_404(request: HttpRequest, reference: str) -> Any:
    opportunity = _visible(request, reference)
    if opportunity is None or opportunity.status == Opportunity.Status.DRAFT:
        # A draft is private, but its planned procurement notice (UK3), once published, is not.
        announced = Opportunity.objects.filter(
            reference=reference, status=Opportunity.Status.DRAFT, planned_notice_at__isnull=False
        )
        opportunity = opportunity_ocds.with_ocds_relations(announced).first()
        if opportunity is None:
            return None, _not_found(reference)
    releases = process_releases(opportunity, _site(request))
    if not releases:
        detail = f"{reference} was never published, so it has no open data releases"
        return None, Status(404, {"detail": detail, "errors": {}})
    return releases, None


@router.get(
    "/{reference}/ocds",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS release package: UK2 engagement, UK4 tender with enquiries, amendments, UK12 "
    "termination, UK6 awards, UK7 contracts",
    url_name="opportunity_ocds",
)
def get_opportunity_ocds(request: HttpRequest, reference: str) -> Any:
    releases, error = _releases_or_404(request, reference)
    if error is not None:
        return error
    package = release_package(
        releases,
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return Status(200, package)


@router.get(
    "/{reference}/awards",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS release package of the awards: UK6 contract award, UK7 contract details",
    url_name="opportunity_awards",
)
def get_opportunity_awards(request: HttpRequest, reference: str) -> Any:
    """The UK6 release of each lot awarded (winner, standstill, bid statistics with final-stage
    SME and VCSE bids, award criteria, supply chain) and the UK7 release of each contract
    created (suppliers' SME/VCSE status, KPIs over £5m). 404 until an award is decided (an
    empty package is not valid OCDS); a lot with no qualifying bid has no award release."""
    opportunity = _visible(request, reference)
    if opportunity is None or opportunity.status == Opportunity.Status.DRAFT:
        return _not_found(reference)
    releases = award_releases(opportunity, _site(request))
    if not releases:
        detail = (
            f"No award of {reference} has been decided yet, so it has no award or contract notices"
        )
        return Status(404, {"detail": detail, "errors": {}})
    package = release_package(
        sorted(releases, key=lambda r: (r["date"], r["id"])),
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return Status(200, package)


@router.get(
    "/{reference}/ocds/record",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS record package with the compiled release",
    url_name="opportunity_ocds_record",
)
def get_opportunity_record(request: HttpRequest, reference: str) -> Any:
    releases, error = _releases_or_404(request, reference)
    if error is not None:
        return error
    package = record_package(
        [build_record(releases)],
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return Status(200, package)


@contracts_router.get(
    "/{reference}/ocds",
    response={200: dict[str, Any], 404: ErrorOut, 409: ErrorOut},
    summary="OCDS release package with the UK7 contract details release",
    url_name="contract_ocds",
)
def get_contract_ocds(request: HttpRequest, reference: str) -> Any:
    contract = contract_ocds.published_contracts().filter(reference=reference).first()
    if contract is None:
        return Status(404, {"detail": f"No contract {reference}", "errors": {}})
    award = award_ocds.published_awards().filter(contract=contract).first()
    try:
        if award is not None:
            release = award_ocds.contract_release(award, _site(request))
        else:
            release = contract_ocds.contract_release(contract, _site(request))
    except contract_ocds.ContractOcdsError as error:
        return Status(409, {"detail": str(error), "errors": {"kpis": [str(error)]}})
    package = release_package(
        [release],
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return Status(200, package)
