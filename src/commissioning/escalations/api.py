"""JSON API for escalations (REF-2), at /api/escalations. Nothing here is public.

* ``POST /api/escalations`` raises an escalation: a signed-in approved member of an organisation
  delivering under the contract, or that organisation's case-management system with its API
  token (``Authorization: Bearer cst_…``, docs/service-accounts.md), which acts for its own
  organisation only (403 for a contract it does not deliver under; 401 for a revoked token).
* ``GET /api/escalations`` lists what the caller may read; ``GET /api/escalations/{id}`` reads
  one (404 for anyone else, whether or not it exists).
* ``POST .../acknowledge`` and ``POST .../respond`` are probation's, with a signed-in session.

Every write goes through :mod:`commissioning.escalations.services`, the same rules as the web
pages: 403 with the reason, 400 naming each field, nothing half-written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import idempotency
from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.contracts.models import Contract
from commissioning.contracts.probation import probation_bodies_serving
from commissioning.directory.models import Organisation
from commissioning.escalations import access, queries, services, targets
from commissioning.escalations.models import Escalation
from commissioning.permissions import signed_in_user
from commissioning.service_accounts.auth import OrganisationToken, acting_token

router = Router(tags=["Escalations"])

CATEGORIES = ", ".join(f"`{value}` ({label})" for value, label in Escalation.Category.choices)
URGENCIES = ", ".join(f"`{value}` ({label})" for value, label in Escalation.Urgency.choices)


class RaiseIn(Schema):
    contract: str = Field(description="The contract's reference.", examples=["PBR-DEMO-01"])
    organisation: str | None = Field(
        None,
        description="The raising organisation's slug: needed only when a signed-in person "
        "speaks for more than one organisation under the contract. A token always acts for "
        "its own organisation.",
    )
    category: str = Field(description=f"What it is about: {CATEGORIES}.")
    urgency: str = Field(description=f"How urgent: {URGENCIES}.")
    what_happened: str = Field(
        description="What happened, in free text. Never names, dates of birth or addresses: "
        "refer to the person by your own case reference."
    )
    occurred_at: datetime = Field(description="When it happened: ISO 8601 with a time zone offset.")


class ListQuery(PageQuery):
    status: Literal["raised", "acknowledged", "responded"] | None = Field(
        None, description="Only those in this status (raised: waiting for acknowledgement)."
    )


class RespondIn(Schema):
    response: str = Field(description="Probation's response, which the provider reads.")


class StandingOut(Schema):
    target: str = Field(description="The target in words, e.g. 'within 2 working hours'.")
    due: datetime
    done_at: datetime | None
    within_target: bool | None = Field(
        description="True if answered in time, False if late (answered or not), None while "
        "not yet due."
    )
    text: str = Field(description="'Within target', 'Late by …', 'Overdue by …' or 'Not yet due'.")


class EscalationOut(Schema):
    id: int
    reference: str
    contract: str
    organisation: str = Field(description="The raising organisation's slug.")
    commissioning_body: str = Field(description="The slug of the contract's commissioning body.")
    probation_bodies: list[str] = Field(
        description="Slugs of the probation bodies serving the contract, whose practitioners "
        "acknowledge and respond."
    )
    category: str
    urgency: str
    status: str = Field(description="raised, acknowledged or responded")
    what_happened: str
    occurred_at: datetime
    raised_at: datetime
    raised_with_token: bool = Field(description="Raised by a case-management system's token.")
    acknowledgement: StandingOut
    response: StandingOut
    response_text: str
    is_synthetic: bool = Field(description="Generated demo data.")


class EscalationListOut(Page):
    results: list[EscalationOut]


def _standing(escalation: Escalation, step: str, now: datetime) -> dict[str, Any]:
    standing = targets.standing(escalation, step, now)
    within = None if standing.done_at is None and not standing.late else not standing.late
    return {
        "target": standing.target,
        "due": standing.due,
        "done_at": standing.done_at,
        "within_target": within,
        "text": standing.text,
    }


def escalation_out(
    escalation: Escalation, now: datetime, serving: dict[int, list[str]] | None = None
) -> dict[str, Any]:
    """``serving``: probation body slugs by contract id, filled as contracts are met."""
    serving = {} if serving is None else serving
    if escalation.contract_id not in serving:
        bodies = probation_bodies_serving(escalation.contract).order_by("slug")
        serving[escalation.contract_id] = list(bodies.values_list("slug", flat=True))
    return {
        "id": escalation.pk,
        "reference": escalation.reference,
        "contract": escalation.contract.reference,
        "organisation": escalation.organisation.slug,
        "commissioning_body": escalation.contract.commissioning_body.slug,
        "probation_bodies": serving[escalation.contract_id],
        "category": escalation.category,
        "urgency": escalation.urgency,
        "status": escalation.status,
        "what_happened": escalation.what_happened,
        "occurred_at": escalation.occurred_at,
        "raised_at": escalation.raised_at,
        "raised_with_token": escalation.raised_with_token_id is not None,
        "acknowledgement": _standing(escalation, "acknowledge", now),
        "response": _standing(escalation, "respond", now),
        "response_text": escalation.response,
        "is_synthetic": escalation.is_synthetic,
    }


def _readable(request: HttpRequest, escalation_id: int) -> Escalation:
    token = acting_token(request)
    if token is not None:
        return access.escalation_for_organisation(token.organisation, escalation_id)
    return access.escalation_for(request.user, escalation_id)


@router.post(
    "",
    auth=[OrganisationToken(), django_auth],
    response={201: EscalationOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="Raise an escalation with probation",
)
def raise_escalation(request: HttpRequest, payload: RaiseIn) -> Any:
    """For an approved member of an organisation delivering under the contract (its prime or a
    sub-contractor), or that organisation's API token. Acknowledgement and response are due by
    the targets for the urgency (working hours and days exclude England and Wales bank
    holidays). Send an `Idempotency-Key` header to retry safely."""
    contract = (
        Contract.objects.select_related("commissioning_body")
        .filter(reference=payload.contract)
        .first()
    )
    if contract is None:
        return error(400, "No such contract.", {"contract": ["No contract with that reference"]})
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            return error(400, "No such organisation.", {"organisation": ["No such organisation"]})
    occurred_at = payload.occurred_at
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        message = "Give the time with its time zone offset, e.g. 2027-03-01T14:30:00+00:00"
        return error(400, message, {"occurred_at": [message]})
    token = acting_token(request)
    escalation = services.raise_escalation(
        token if token is not None else signed_in_user(request),
        contract,
        organisation=organisation,
        category=payload.category,
        urgency=payload.urgency,
        what_happened=payload.what_happened,
        occurred_at=occurred_at,
        submission_key=idempotency.header_key(request),
    )
    return Status(201, escalation_out(escalation, timezone.now()))


@router.get(
    "",
    auth=[OrganisationToken(), django_auth],
    response={200: EscalationListOut, 422: ErrorOut, **WRITE_ERRORS},
    summary="The escalations you may read",
)
def list_escalations(request: HttpRequest, pages: Query[ListQuery]) -> Any:
    """Newest first: your organisations' own, and, for probation practitioners, those under the
    contracts their probation body serves. With a token, its organisation's own."""
    token = acting_token(request)
    if token is not None:
        escalations = queries.for_organisation(token.organisation)
    else:
        escalations = access.readable_escalations(request.user)
    if pages.status:
        escalations = escalations.filter(status=pages.status)
    escalations = escalations.select_related("contract__commissioning_body").order_by(
        "-raised_at", "-pk"
    )
    page = page_of(escalations, pages)
    now = timezone.now()
    serving: dict[int, list[str]] = {}
    page["results"] = [escalation_out(e, now, serving) for e in page["results"]]
    return Status(200, page)


@router.get(
    "/{escalation_id}",
    auth=[OrganisationToken(), django_auth],
    response={200: EscalationOut, **WRITE_ERRORS},
    summary="One escalation, with its standing against the targets",
)
def get_escalation(request: HttpRequest, escalation_id: int) -> Any:
    return Status(200, escalation_out(_readable(request, escalation_id), timezone.now()))


@router.post(
    "/{escalation_id}/acknowledge",
    auth=django_auth,
    response={200: EscalationOut, **WRITE_ERRORS},
    summary="Acknowledge an escalation (probation)",
)
def acknowledge(request: HttpRequest, escalation_id: int) -> Any:
    """For the probation practitioners of a probation body serving the contract."""
    escalation = services.acknowledge(
        signed_in_user(request), access.escalation_for(request.user, escalation_id)
    )
    return Status(200, escalation_out(escalation, timezone.now()))


@router.post(
    "/{escalation_id}/respond",
    auth=django_auth,
    response={200: EscalationOut, **WRITE_ERRORS},
    summary="Respond to an escalation (probation)",
)
def respond(request: HttpRequest, escalation_id: int, payload: RespondIn) -> Any:
    """For the probation practitioners of a probation body serving the contract; acknowledges it
    too if it was not yet."""
    escalation = services.respond(
        signed_in_user(request),
        access.escalation_for(request.user, escalation_id),
        payload.response,
    )
    return Status(200, escalation_out(escalation, timezone.now()))
