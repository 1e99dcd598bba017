"""The OCDS endpoints of the JSON API (LAW-1, LAW-2, LAW-4, PRO-9): an opportunity's contracting
process at /api/opportunities/{reference}/ocds (its record at .../ocds/record, its awards at
.../awards), a contract's UK7 at /api/contracts/{reference}/ocds and an exercise's planning
notices at /api/exercises/{reference}/ocds. Each router is mounted beside its record's own
(``api/urls.py``), under the same tag.

Public. A draft opportunity has no releases but its planned procurement notice (UK3) once that
is published; everything else of a draft is 404. A package is never empty (404 instead).
Errors are ``{"detail", "errors"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from commissioning.api.errors import ErrorOut
from commissioning.opendata import publication
from commissioning.opendata.ocds.common import JsonDict
from commissioning.opendata.ocds.packaging import build_record, record_package, release_package
from commissioning.procurement import access
from commissioning.procurement.models import Opportunity

opportunities_router = Router(tags=["Opportunities"])
contracts_router = Router(tags=["Contracts (Payment by Results)"])
exercises_router = Router(tags=["Commissioning exercises"])
payments_compliance_router = Router(tags=["Invoices and payments"])


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _not_found(detail: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": detail, "errors": {}})


def _releases(request: HttpRequest, releases: list[JsonDict]) -> Status[dict[str, Any]]:
    package = release_package(
        releases,
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=publication.PUBLISHER,
    )
    return Status(200, package)


def _visible(request: HttpRequest, reference: str) -> Opportunity | None:
    opportunity = publication.opportunity_with_releases(
        Opportunity.objects.filter(reference=reference)
    )
    if opportunity is None or not access.can_view_opportunity(request.user, opportunity):
        return None
    return opportunity


def _process_or_404(request: HttpRequest, reference: str) -> Any:
    opportunity = _visible(request, reference)
    if opportunity is None or opportunity.status == Opportunity.Status.DRAFT:
        # A draft is private, but its planned procurement notice (UK3), once published, is not.
        announced = Opportunity.objects.filter(
            reference=reference, status=Opportunity.Status.DRAFT, planned_notice_at__isnull=False
        )
        opportunity = publication.opportunity_with_releases(announced)
        if opportunity is None:
            return None, _not_found(f"No opportunity {reference}")
    releases = publication.process_releases(opportunity, _site(request))
    if not releases:
        return None, _not_found(f"{reference} was never published, so it has no open data releases")
    return releases, None


@opportunities_router.get(
    "/{reference}/ocds",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS release package: UK2 engagement, UK4 tender with enquiries, amendments, UK12 "
    "termination, UK6 awards, UK7 contracts",
    url_name="opportunity_ocds",
)
def get_opportunity_ocds(request: HttpRequest, reference: str) -> Any:
    releases, error = _process_or_404(request, reference)
    if error is not None:
        return error
    return _releases(request, releases)


@opportunities_router.get(
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
        return _not_found(f"No opportunity {reference}")
    releases = publication.award_releases(opportunity, _site(request))
    if not releases:
        return _not_found(
            f"No award of {reference} has been decided yet, so it has no award or contract notices"
        )
    return _releases(request, sorted(releases, key=lambda r: (r["date"], r["id"])))


@opportunities_router.get(
    "/{reference}/ocds/record",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS record package with the compiled release",
    url_name="opportunity_ocds_record",
)
def get_opportunity_record(request: HttpRequest, reference: str) -> Any:
    releases, error = _process_or_404(request, reference)
    if error is not None:
        return error
    package = record_package(
        [build_record(releases)],
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=publication.PUBLISHER,
    )
    return Status(200, package)


@contracts_router.get(
    "/{reference}/ocds",
    response={200: dict[str, Any], 404: ErrorOut, 409: ErrorOut},
    summary="OCDS release package with the UK7 contract details release, its UK8 contract payment "
    "notices (and the UK11 contract termination release once the contract has ended)",
    url_name="contract_ocds",
)
def get_contract_ocds(request: HttpRequest, reference: str) -> Any:
    try:
        releases = publication.contract_releases(reference, _site(request))
    except publication.ContractOcdsError as error:
        return Status(409, {"detail": str(error), "errors": {"kpis": [str(error)]}})
    if releases is None:
        return _not_found(f"No contract {reference}")
    return _releases(request, releases)


@exercises_router.get(
    "/{reference}/ocds",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS release package: UK1 pipeline and UK2 preliminary market engagement notices",
    url_name="exercise_ocds",
)
def get_exercise_ocds(request: HttpRequest, reference: str) -> Any:
    """Public. The planning notices of the exercise (LAW-1): UK1 once it has planned a
    procurement above the threshold, UK2 once it has published engagement; under each published
    opportunity's ocid, else the exercise's. 404 while it has published none (a package is never
    empty)."""
    releases = publication.exercise_releases(reference, _site(request))
    if releases is None:
        return _not_found(f"No commissioning exercise {reference}")
    if not releases:
        return _not_found(f"{reference} has published no pipeline or market engagement notice yet")
    return _releases(request, releases)


@payments_compliance_router.get(
    "/{slug}/ocds",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="OCDS release package: a commissioning body's UK17 payments compliance notices",
    url_name="payments_compliance_ocds",
)
def get_payments_compliance_ocds(request: HttpRequest, slug: str) -> Any:
    """Public. One UK17 release per six-month reporting period that has ended (LAW-3), under
    the body's own ocid; 404 until a period with invoices to the body has ended (a package is
    never empty)."""
    releases = publication.payments_compliance_releases(slug, _site(request))
    if releases is None:
        return _not_found(f"No commissioning body {slug}")
    if not releases:
        return _not_found(
            "No six-month reporting period with invoices to this body has ended yet, so it has "
            "no payments compliance notice"
        )
    return _releases(request, releases)
