"""JSON API for grant rounds (CYC-6), mounted at /api/grants.

Published rounds are public; a signed-in member reads their organisations' applications and
applies through the same service as the web form, so the API refuses what the form refuses
(400 ``{"detail", "errors"}``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.directory.models import Organisation
from commissioning.grants import access, services
from commissioning.grants.models import GrantApplication, GrantRound
from commissioning.permissions import signed_in_user

router = Router(tags=["Grant rounds"])


class CriterionOut(Schema):
    title: str
    description: str
    max_score: int


class RoundOut(Schema):
    reference: str
    title: str
    status: str
    funder: str
    exercise: str
    purpose: str
    eligibility: str
    amount_available: Decimal
    minimum_grant: Decimal
    maximum_grant: Decimal
    short_form_limit: Decimal = Field(
        description="Applications for this much or less answer only the short form."
    )
    opens_on: date
    closes_on: date
    decision_by: date
    criteria: list[CriterionOut]
    is_synthetic: bool
    url: str


class RoundListOut(Page):
    results: list[RoundOut]


class ApplicationOut(Schema):
    id: int
    round: str
    organisation: str
    title: str
    activity: str
    beneficiaries: str
    amount_requested: Decimal
    difference: str
    budget_breakdown: str
    delivery_plan: str
    risks: str
    status: str
    submitted_at: datetime | None
    amount_awarded: Decimal | None
    feedback: str = Field(description="The panel's feedback, once the round is decided.")


class ApplicationListOut(Page):
    results: list[ApplicationOut]


class ApplicationIn(Schema):
    organisation: str = Field(description="The applying organisation's slug.")
    title: str = ""
    activity: str = ""
    beneficiaries: str = ""
    amount_requested: str = Field("", description="In pounds, for example 4500 or 4500.50.")
    difference: str = ""
    budget_breakdown: str = ""
    delivery_plan: str = ""
    risks: str = ""
    submit: bool = Field(False, description="Send the application (false saves a draft).")


def round_out(grant_round: GrantRound) -> dict[str, Any]:
    return {
        "reference": grant_round.reference,
        "title": grant_round.title,
        "status": grant_round.status,
        "funder": grant_round.funder.name,
        "exercise": grant_round.exercise.reference,
        "purpose": grant_round.purpose,
        "eligibility": grant_round.eligibility,
        "amount_available": grant_round.amount_available,
        "minimum_grant": grant_round.minimum_grant,
        "maximum_grant": grant_round.maximum_grant,
        "short_form_limit": grant_round.short_form_limit,
        "opens_on": grant_round.opens_on,
        "closes_on": grant_round.closes_on,
        "decision_by": grant_round.decision_by,
        "criteria": [
            {"title": c.title, "description": c.description, "max_score": c.max_score}
            for c in grant_round.criteria.all()
        ],
        "is_synthetic": grant_round.is_synthetic,
        "url": grant_round.get_absolute_url(),
    }


def application_out(application: GrantApplication) -> dict[str, Any]:
    decided = application.status in (
        GrantApplication.Status.AWARDED,
        GrantApplication.Status.NOT_AWARDED,
    )
    return {
        "id": application.pk,
        "round": application.grant_round.reference,
        "organisation": application.organisation.slug,
        **{field: getattr(application, field) for field in services.SHORT_FIELDS},
        **{field: getattr(application, field) for field in services.LONG_FIELDS},
        "status": application.status,
        "submitted_at": application.submitted_at,
        "amount_awarded": application.amount_awarded,
        "feedback": application.feedback if decided else "",
    }


@router.get(
    "/rounds", response={200: RoundListOut, 422: ErrorOut}, summary="Published grant rounds"
)
def list_rounds(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    """Every published round (open, closed or decided), newest first."""
    page = page_of(services.open_rounds().prefetch_related("criteria"), pages)
    page["results"] = [round_out(r) for r in page["results"]]
    return Status(200, page)


@router.get(
    "/rounds/{reference}", response={200: RoundOut, 404: ErrorOut}, summary="One grant round"
)
def get_round(request: HttpRequest, reference: str) -> Any:
    grant_round = services.open_rounds().filter(reference=reference).first()
    if grant_round is None:
        return error(404, "No published grant round with that reference.")
    return Status(200, round_out(grant_round))


@router.get(
    "/applications",
    auth=django_auth,
    response={200: ApplicationListOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Your organisations' grant applications",
)
def list_applications(request: HttpRequest, pages: Query[PageQuery]) -> Any:
    applications = services.applications_of(signed_in_user(request)).order_by("-created_at", "-pk")
    page = page_of(applications, pages)
    page["results"] = [application_out(a) for a in page["results"]]
    return Status(200, page)


@router.post(
    "/rounds/{reference}/applications",
    auth=django_auth,
    response={200: ApplicationOut, **WRITE_ERRORS},
    summary="Save or send your organisation's application",
)
def apply(request: HttpRequest, reference: str, payload: ApplicationIn) -> Any:
    """The short form's five answers; above the round's short-form limit, also
    `budget_breakdown`, `delivery_plan` and `risks`. With `submit` the application is sent."""
    grant_round = services.open_rounds().filter(reference=reference).first()
    if grant_round is None:
        return error(404, "No published grant round with that reference.")
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    actor = signed_in_user(request)
    if organisation is None or not access.can_apply_for(actor, organisation):
        message = "Apply for an organisation you are an approved member of"
        return error(400, "No such organisation.", {"organisation": [message]})
    values = payload.dict()
    application = services.save_application(
        actor, grant_round, organisation, values, submit=payload.submit
    )
    return Status(200, application_out(application))
