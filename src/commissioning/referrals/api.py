"""JSON API for referrals (REF-1), at /api/referrals.

* ``GET /api/referrals`` — the referrals the caller may see (their organisations' and, for a
  contract's prime and commissioners, all of its), newest first, a page at a time.
* ``POST /api/referrals`` — refer a person under a contract (probation or the prime).
* ``POST /api/referrals/{reference}/events`` — the next step: accept, decline, start, engage,
  complete (the receiving organisation), withdraw (the referrer), disengage (the receiver).
* ``GET /api/referrals/counts/{contract}`` — public: the counts the contract page shows.

Writes go through :mod:`commissioning.referrals.services`, so they refuse what the pages refuse,
with the one error shape (400 naming the field, 403, 404 for a referral the caller may not see).
Every endpoint but the counts authenticates with :data:`referral_auth`: a signed-in session, or
an organisation's API token (a case-management system, docs/service-accounts.md), which acts for
its one organisation only: 403 for a referral that organisation is not a party to, 401 once the
token is revoked, and each write audited against the token.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning import idempotency
from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.contracts.models import Contract
from commissioning.permissions import member_organisations, signed_in_user
from commissioning.referrals import access, queries, services
from commissioning.referrals.lifecycle import ACTIONS, VERB, allowed_next, side_of
from commissioning.referrals.lifecycle import Status as ReferralStatus
from commissioning.referrals.models import Referral, ReferralEvent
from commissioning.service_accounts.auth import OrganisationToken, acting_token

router = Router(tags=["Referrals"])
NO_CONTRACT = "No contract with that reference"

referral_auth = [OrganisationToken(), django_auth]
"""How a caller of the referral writes and lists is authenticated: an organisation's API token
(first, so a request carrying one is decided by it) or a signed-in session."""


class EventOut(Schema):
    step: str = Field(
        description="referred, accepted, declined, started, engaged, completed, "
        "withdrawn or disengaged"
    )
    happened_on: date
    organisation: str = Field(description="Slug of the organisation that recorded it.")
    reason: str
    recorded_with_token: bool = Field(
        description="Recorded by a case-management system with its organisation's API token."
    )


class ReferralOut(Schema):
    reference: str
    contract: str
    provider: str = Field(description="Slug of the receiving organisation.")
    referrer: str = Field(description="Slug of the referring organisation.")
    person: str = Field(description="The person's pseudonymous reference (a keyed hash).")
    need_group: str
    status: str
    status_on: date
    referred_on: date
    is_synthetic: bool
    next_actions: list[str] = Field(description="The actions the caller may take next.")
    events: list[EventOut]


class ReferralPageOut(Page):
    results: list[ReferralOut]


class ReferralFilter(Schema):
    contract: str | None = Field(None, description="A contract's reference.")
    status: str | None = Field(None, description="One status.")


class ReferIn(Schema):
    contract: str = Field(description="The contract's reference.")
    provider: str = Field(description="Slug of the prime or sub-contractor referred to.")
    referrer: str | None = Field(
        None, description="Slug of the organisation you refer for (needed if you have several)."
    )
    case_reference: str = Field(
        description="Your case reference: only its keyed hash is kept. Never a name or a date."
    )
    need_group: str = Field("standard", description="One of the contract's need groups.")
    referred_on: date
    characteristics: dict[str, str] = Field(
        default_factory=dict,
        description="Optional protected characteristics, by name (age, disability, "
        "gender_reassignment, marriage_civil_partnership, pregnancy_maternity, race, "
        "religion_belief, sex, sexual_orientation); each allows prefer-not-to-say.",
    )


class EventIn(Schema):
    action: str = Field(
        description="accept, decline, start, engage, complete, withdraw or disengage"
    )
    happened_on: date
    reason: str = Field("", description="Needed to decline, withdraw or disengage.")


class QuarterOut(Schema):
    quarter: date = Field(description="The quarter's first day.")
    referred: int
    accepted: int
    started: int
    completed: int


class ProviderCountsOut(Schema):
    provider: str
    name: str
    quarters: list[QuarterOut]


class CountsOut(Schema):
    contract: str
    providers: list[ProviderCountsOut]


def _mine(request: HttpRequest) -> set[int]:
    """The ids of the organisations the caller acts for: a token's one, or the person's."""
    token = acting_token(request)
    if token is not None:
        return {token.organisation_id}
    return set(member_organisations(request.user).values_list("pk", flat=True))


def referral_out(
    request: HttpRequest, referral: Referral, mine: set[int] | None = None
) -> dict[str, Any]:
    """``mine``: the caller's organisations, where the caller has them already (a list)."""
    sides = access.sides(request.user, referral, mine if mine is not None else _mine(request))
    return {
        "reference": referral.reference,
        "contract": referral.contract.reference,
        "provider": referral.provider.slug,
        "referrer": referral.referrer.slug,
        "person": referral.person,
        "need_group": referral.need_group,
        "status": referral.status,
        "status_on": referral.status_on,
        "referred_on": referral.referred_on,
        "is_synthetic": referral.is_synthetic,
        "next_actions": [
            VERB[target] for target in allowed_next(referral.status) if side_of(target) in sides
        ],
        "events": [
            {
                "step": event.step,
                "happened_on": event.happened_on,
                "organisation": event.organisation.slug,
                "reason": event.reason,
                "recorded_with_token": event.recorded_with_token_id is not None,
            }
            for event in referral.events.all()
        ],
    }


@router.get(
    "",
    auth=referral_auth,
    response={200: ReferralPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="The referrals you may see",
)
def list_referrals(
    request: HttpRequest, filters: Query[ReferralFilter], pages: Query[PageQuery]
) -> Any:
    """With a token, the referrals its organisation is a party to (referrer, receiver or the
    contract's prime)."""
    contract = None
    if filters.contract:
        contract = Contract.objects.filter(reference=filters.contract).first()
        if contract is None:
            return error(
                422, "No such contract.", {"contract": ["No contract with that reference"]}
            )
    token = acting_token(request)
    if token is not None:
        referrals = access.organisation_referrals(token.organisation, contract)
    else:
        referrals = access.visible_referrals(request.user, contract)
    if filters.status:
        if filters.status not in ReferralStatus.values:
            return error(
                422,
                "No such status.",
                {"status": ["Use one of " + ", ".join(ReferralStatus.values)]},
            )
        referrals = referrals.filter(status=filters.status)
    referrals = (
        referrals.select_related("contract", "provider", "referrer")
        .prefetch_related("events__organisation")
        .order_by("-referred_on", "-pk")
    )
    page = page_of(referrals, pages)
    mine = _mine(request)
    page["results"] = [referral_out(request, referral, mine) for referral in page["results"]]
    return Status(200, page)


@router.post(
    "",
    auth=referral_auth,
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Refer a person under a contract",
)
def create_referral(request: HttpRequest, payload: ReferIn) -> Any:
    """For probation practitioners of the contract's commissioning body (or of a probation body
    serving its lot's area) and members of its prime, or the API token of such a body or of the
    prime, which refers for its own organisation only. Send an `Idempotency-Key` header to retry
    safely: a repeat answers with the referral already made."""
    contract = Contract.objects.filter(reference=payload.contract).first()
    if contract is None:
        return error(400, "No such contract.", {"contract": [NO_CONTRACT]})
    party = access.receiving_parties(contract).filter(organisation__slug=payload.provider).first()
    token = acting_token(request)
    actor: services.Actor = token if token is not None else signed_in_user(request)
    if token is not None and payload.referrer not in (None, "", token.organisation.slug):
        raise PermissionDenied("This API token refers only for its own organisation.")
    referrer_id = None
    if payload.referrer:
        if token is not None:
            referrers = access.organisation_referrers(token.organisation, contract)
        else:
            referrers = access.referring_organisations(request.user, contract)
        chosen = [o for o in referrers if o.slug == payload.referrer]
        referrer_id = chosen[0].pk if chosen else -1
    try:
        referral = services.refer(
            actor,
            contract,
            services.NewReferral(
                party_id=party.pk if party else None,
                referrer_id=referrer_id,
                case_reference=payload.case_reference,
                need_group=payload.need_group,
                referred_on=payload.referred_on,
                characteristics=payload.characteristics,
                submission_key=idempotency.header_key(request),
            ),
            source=ReferralEvent.Source.API,
        )
    except ValidationError as refused:
        if not hasattr(refused, "error_dict"):
            raise
        # The form's "service" is the API's provider (a slug).
        named = {API_NAMES.get(k, k): v for k, v in refused.message_dict.items()}
        raise ValidationError(named) from None
    return Status(201, referral_out(request, referral))


API_NAMES = {"party": "provider"}


@router.post(
    "/{reference}/events",
    auth=referral_auth,
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Record the next step of a referral",
)
def post_event(request: HttpRequest, reference: str, payload: EventIn) -> Any:
    """The receiving organisation accepts, declines, starts, engages, completes or records
    disengagement; the referrer withdraws. Each step is dated: not in the future and not before
    the step before. A token acts for its own organisation: 403 for a referral that organisation
    is not a party to."""
    token = acting_token(request)
    if token is not None:
        referral = access.referral_for_organisation(token.organisation, reference)
    else:
        referral = access.referral_or_404(request.user, reference)
    target = ACTIONS.get(payload.action)
    if target is None:
        return error(400, "No such action.", {"action": ["Use one of " + ", ".join(ACTIONS)]})
    services.move(
        token if token is not None else signed_in_user(request),
        referral,
        target,
        happened_on=payload.happened_on,
        reason=payload.reason,
        source=ReferralEvent.Source.API,
    )
    return Status(200, referral_out(request, referral))


@router.get(
    "/counts/{contract}",
    response={200: CountsOut, 404: ErrorOut},
    summary="Public counts of a contract's referrals by service and quarter",
)
def referral_counts(request: HttpRequest, contract: str) -> Any:
    """Referred, accepted, started and completed in each quarter, for the prime's and each
    sub-contractor's service; the public never sees the referrals themselves."""
    found = Contract.objects.filter(reference=contract).first()
    if found is None:
        raise Http404("No contract with that reference")
    providers = [
        {
            "provider": row.slug,
            "name": row.name,
            "quarters": [{"quarter": q.quarter, **q.counts} for q in row.quarters],
        }
        for row in queries.public_counts(found)
    ]
    return Status(200, {"contract": found.reference, "providers": providers})
