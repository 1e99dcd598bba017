"""JSON API for partner finding and messaging (PRO-6, PRO-11).

``interest_router`` (at /api/opportunities/{reference}/lots/{number}/...):

* ``GET .../interests`` — public: the "looking for partners" list of a lot, as the caller may
  see it (never another organisation's private interest; the exercise's commissioners see all),
  filtered by role, specialism and cohort;
* ``PUT .../interest`` — register or change an organisation's interest (role, note, privacy);
* ``DELETE .../interest`` — withdraw it.

The messages API is :mod:`commissioning.partnering.api_messages`.

Writes and messages need a signed-in session (401); the rules are those of
:mod:`commissioning.partnering.access`, applied by the same services as the pages (403, or 400
naming the field).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS, ErrorOut, error
from commissioning.api.pagination import Page, PageQuery, page_of
from commissioning.directory.models import Organisation
from commissioning.partnering import access, services
from commissioning.permissions import signed_in_user
from commissioning.procurement.models import Interest, Lot

interest_router = Router(tags=["Partner finding"])


class OrganisationRef(Schema):
    slug: str
    name: str
    url: str


class InterestOut(Schema):
    organisation: OrganisationRef
    role: str = Field(description="prime, subcontractor or consortium_member")
    role_label: str
    note: str
    is_private: bool = Field(description="Seen only by the organisation and the commissioners.")
    specialisms: list[str]
    areas: list[str]
    registered_at: datetime


class InterestListOut(Page):
    opportunity: str
    lot: int
    lot_title: str
    open_for_bids: bool
    results: list[InterestOut]


class InterestIn(Schema):
    role: str = Field(description="prime, subcontractor or consortium_member")
    note: str = ""
    is_private: bool = False
    organisation: str | None = Field(
        None, description="Slug of your organisation (needed if you belong to several)."
    )


class LotRef(Schema):
    opportunity: str
    number: int


def org_ref(organisation: Organisation) -> dict[str, str]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "url": organisation.get_absolute_url(),
    }


def lot_for(request: HttpRequest, reference: str, number: int) -> Lot:
    lot = (
        Lot.objects.select_related("opportunity__exercise")
        .filter(opportunity__reference=reference, number=number)
        .first()
    )
    if lot is None or not access.can_view_lot(request.user, lot):
        raise Http404(f"No lot {number} in {reference}")
    return lot


def _interest_out(interest: Interest) -> dict[str, Any]:
    organisation = interest.organisation
    return {
        "organisation": org_ref(organisation),
        "role": interest.role,
        "role_label": interest.get_role_display(),
        "note": interest.note,
        "is_private": interest.is_private,
        "specialisms": [s.name for s in organisation.specialisms.all()],
        "areas": [a.name for a in organisation.areas.all()],
        "registered_at": interest.created_at,
    }


@interest_router.get(
    "/{reference}/lots/{number}/interests",
    response={200: InterestListOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Organisations interested in a lot (looking for partners)",
    url_name="lot_interests",
)
def list_interests(
    request: HttpRequest,
    reference: str,
    number: int,
    pages: Query[PageQuery],
    role: str = Query("", description="prime, subcontractor or consortium_member"),
    specialism: str = Query("", description="Specialism slug"),
    cohort: str = Query("", description="Cohort slug"),
) -> Any:
    """Public for a published opportunity: interests that are not private, plus your own
    organisations'; the exercise's commissioners see every interest. By role, then name."""
    lot = lot_for(request, reference, number)
    if role and role not in Interest.Role.values:
        return error(400, "Unknown role.", {"role": ["Select prime, subcontractor or consortium"]})
    filters = services.PartnerFilters(role=role, specialism=specialism, cohort=cohort)
    page = page_of(services.looking_for_partners(request.user, lot, filters), pages)
    page["results"] = [_interest_out(i) for i in page["results"]]
    return Status(
        200,
        {
            "opportunity": lot.opportunity.reference,
            "lot": lot.number,
            "lot_title": lot.title,
            "open_for_bids": services.is_open(lot),
            **page,
        },
    )


def own_organisation(slug: str | None, choices: list[Organisation]) -> Organisation:
    """The organisation named by ``slug`` among ``choices`` (or the only one)."""
    if not choices:
        raise PermissionDenied("You are not an approved member of a provider organisation.")
    if not slug:
        if len(choices) == 1:
            return choices[0]
        raise MissingOrganisation("Select your organisation")
    chosen = next((org for org in choices if org.slug == slug), None)
    if chosen is None:
        raise MissingOrganisation("Select one of your organisations")
    return chosen


class MissingOrganisation(Exception):
    pass


@interest_router.put(
    "/{reference}/lots/{number}/interest",
    auth=django_auth,
    response={200: InterestOut, **WRITE_ERRORS},
    summary="Register or change your organisation's interest in a lot",
)
def register_interest(
    request: HttpRequest, reference: str, number: int, payload: InterestIn
) -> Any:
    """For approved members of a provider organisation that may bid (not the commissioning body
    or its partners, PRO-11), while the opportunity is open for bids."""
    lot = lot_for(request, reference, number)
    if not services.is_open(lot):
        raise PermissionDenied("Interest can only be registered while the opportunity is open.")
    choices = access.interest_organisations(request.user, lot)
    try:
        organisation = own_organisation(payload.organisation, choices)
    except MissingOrganisation as problem:
        return error(400, str(problem), {"organisation": [str(problem)]})
    interest = services.register_interest(
        signed_in_user(request),
        lot,
        organisation=organisation,
        role=payload.role,
        note=payload.note,
        is_private=payload.is_private,
    )
    return Status(200, _interest_out(interest))


@interest_router.delete(
    "/{reference}/lots/{number}/interest",
    auth=django_auth,
    response={204: None, **WRITE_ERRORS},
    summary="Withdraw your organisation's interest in a lot",
)
def withdraw_interest(
    request: HttpRequest,
    reference: str,
    number: int,
    organisation: str = Query("", description="Slug (if you belong to several interested ones)"),
) -> Any:
    lot = lot_for(request, reference, number)
    own = services.own_interests(request.user, lot)
    if organisation:
        own = [i for i in own if i.organisation.slug == organisation]
    if not own:
        raise PermissionDenied("Your organisation has no interest in this lot to withdraw.")
    if len(own) > 1:
        message = "Select which of your organisations withdraws"
        return error(400, message, {"organisation": [message]})
    services.withdraw_interest(signed_in_user(request), own[0])
    return Status(204, None)


# ---------------------------------------------------------------- messages
