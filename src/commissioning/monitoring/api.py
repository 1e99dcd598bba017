"""JSON API for monitoring returns (SUP-7): report once, read by each funder in its parts.

* ``GET /api/monitoring/returns``: every return you may read, newest quarter first: your
  organisations' own (drafts too, every part) and those you fund (sent, only the parts your
  contract or grant needs, counts below 5 by characteristic suppressed).
* ``GET /api/monitoring/returns/{return_id}``: one of them (404 when you may read none of it).
* ``POST /api/monitoring/returns``: save an organisation's return for a quarter, and with
  ``submit`` send it. The same service as the form, so the same rules and messages: 403 who,
  400 what (by field, nothing written).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.directory.models import Organisation
from commissioning.monitoring import access, presentation, services
from commissioning.monitoring.models import MonitoringReturn
from commissioning.permissions import Visitor, signed_in_user

router = Router(tags=["Monitoring returns"])


class CountOut(Schema):
    group: str
    count: str = Field(description='A whole number, or "fewer than 5" when shown to a funder.')


class CharacteristicOut(Schema):
    characteristic: str
    groups: list[CountOut]


class CaseStudyOut(Schema):
    title: str
    story: str


class ReturnOut(Schema):
    id: int
    organisation: str
    organisation_slug: str
    quarter: str = Field(description="Like 2026Q3.")
    label: str
    status: str = Field(description="draft, submitted or corrected")
    submitted_at: str | None
    is_synthetic: bool
    parts: list[str] = Field(
        description="The parts you see: people, breakdown, outputs, outcomes, case_studies."
    )
    people_served: int | None = Field(description="null when not a part you see (or not given).")
    breakdown: list[CharacteristicOut]
    outputs: str | None
    outcomes: str | None
    case_studies: list[CaseStudyOut]
    corrections: int = Field(description="How many times it was corrected after it was sent.")


class ReturnListOut(Page):
    results: list[ReturnOut]


class CaseStudyIn(Schema):
    title: str
    story: str
    consent_confirmed: bool = Field(
        False, description="The person agreed to their story being shared (required)."
    )


class ReturnIn(Schema):
    organisation: str = Field(description="The organisation's slug.")
    quarter: str = Field(description="Like 2026Q3.")
    people_served: int | None = None
    breakdown: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Counts by characteristic (age, sex, ethnicity) and group, each optional: "
        '{"age": {"18_24": 12}}.',
    )
    outputs: str = ""
    outcomes: str = ""
    case_studies: list[CaseStudyIn] = Field(default_factory=list)
    submit: bool = Field(False, description="Send the return after saving it.")


def return_out(
    user: Visitor, monitoring_return: MonitoringReturn, parts: list[str]
) -> dict[str, Any]:
    owner = access.can_write(user, monitoring_return.organisation_id)
    shown = presentation.shown(monitoring_return, parts, owner=owner)
    return {
        "id": monitoring_return.pk,
        "organisation": monitoring_return.organisation.name,
        "organisation_slug": monitoring_return.organisation.slug,
        "quarter": shown.quarter,
        "label": shown.label,
        "status": monitoring_return.status,
        "submitted_at": monitoring_return.submitted_at.isoformat()
        if monitoring_return.submitted_at
        else None,
        "is_synthetic": monitoring_return.is_synthetic,
        "parts": parts,
        "people_served": shown.people_served,
        "breakdown": [
            {
                "characteristic": row.label,
                "groups": [{"group": g.label, "count": g.count} for g in row.groups],
            }
            for row in shown.breakdown
        ],
        "outputs": shown.outputs,
        "outcomes": shown.outcomes,
        "case_studies": [{"title": t, "story": s} for t, s in shown.case_studies],
        "corrections": monitoring_return.corrections.count(),
    }


@router.get(
    "/returns",
    auth=django_auth,
    response={200: ReturnListOut, 401: ErrorOut, 422: ErrorOut},
    summary="Monitoring returns you may read",
)
def list_returns(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    """Your organisations' returns and, in the parts you are entitled to, those you fund."""
    user = signed_in_user(request)
    page = page_of(access.readable_returns(user), pages)
    page["results"] = [return_out(user, r, parts) for r, parts in page["results"]]
    return Status(200, page)


@router.get(
    "/returns/{return_id}",
    auth=django_auth,
    response={200: ReturnOut, 401: ErrorOut, 404: ErrorOut},
    summary="One monitoring return, in the parts you may read",
)
def get_return(request: HttpRequest, return_id: int) -> Any:
    user = signed_in_user(request)
    monitoring_return, parts = access.return_or_404(user, return_id)
    return Status(200, return_out(user, monitoring_return, parts))


@router.post(
    "/returns",
    auth=django_auth,
    response={200: ReturnOut, **WRITE_ERRORS},
    summary="Save (and send) an organisation's monitoring return for a quarter",
)
def save_return(request: HttpRequest, payload: ReturnIn) -> Any:
    """One return a quarter for every funder; sending needs the quarter to have ended, people
    served, outputs and outcomes, and consent for every case study."""
    user = signed_in_user(request)
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    if organisation is None:
        raise Http404("No such organisation")
    if not access.can_write(user, organisation.pk):
        raise PermissionDenied("Only the organisation's approved members write its returns.")
    saved = services.save_document(user, organisation, payload.dict(exclude={"organisation"}))
    return Status(200, return_out(user, saved, access.visible_parts(user, saved)))
