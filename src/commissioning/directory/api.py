"""The provider directory's JSON API (MKT-1), mounted at /api/organisations.

Reads are public. ``PATCH`` needs a signed-in session (and the CSRF token, as for any form) and
the same permission as the web page; it goes through the web form's validation and the same
service, so the API can never store what the page would refuse. Filter values the directory does
not know are answered with 400 and ``{"detail", "errors": {parameter: [message]}}``; profile
changes that fail validation with 422 in the same shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Status
from ninja.responses import NinjaJSONEncoder
from ninja.security import django_auth

from commissioning import permissions
from commissioning.audit.versions import current_version
from commissioning.directory import queries, services
from commissioning.directory.filters import DirectoryFilterForm
from commissioning.directory.forms import OrganisationProfileForm, form_data
from commissioning.directory.models import (
    INVOLVEMENT_METHODS,
    LED_BY_FIELDS,
    SIZE_BAND_CHOICES,
    Organisation,
)
from commissioning.directory.queries import Lookups, Row
from commissioning.directory.schemas import (
    DirectoryQuery,
    ErrorOut,
    LookupsOut,
    OrganisationDetail,
    OrganisationPage,
    OrganisationPatch,
)
from commissioning.kernel.pagecache import public_page
from commissioning.permissions import signed_in_user

router = Router(tags=["Provider directory"])

_READ_ONLY = frozenset(
    ("name", "slug", "charity_number", "company_number", "is_prime", "is_commissioning_body",
     "commissioning_tier", "public_body_kind", "is_synthetic", "size_band")
)  # fmt: skip


def _named(items: Any) -> list[dict[str, str]]:
    return [{"slug": item.slug, "name": item.name} for item in items]


def _summary(row: Row) -> dict[str, Any]:
    organisation = row.organisation
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "org_type": organisation.org_type,
        "org_type_label": organisation.get_org_type_display(),
        "is_commissioning_body": organisation.is_commissioning_body,
        "commissioning_tier": organisation.commissioning_tier,
        "is_prime": organisation.is_prime,
        "size_band": organisation.size_band,
        "size_band_label": organisation.get_size_band_display(),
        "areas": _named(row.areas),
        "specialisms": _named(row.specialisms),
        "cohorts": _named(row.cohorts),
        "led_by": [name for name in LED_BY_FIELDS if getattr(organisation, name)],
        "is_synthetic": organisation.is_synthetic,
        "url": organisation.get_absolute_url(),
    }


def _detail(organisation: Organisation) -> dict[str, Any]:
    return {
        **_summary(Row.of(organisation)),
        **{
            name: getattr(organisation, name)
            for name in (
                "public_body_kind", "description", "annual_income", "reserves_months",
                "charity_number", "company_number", "website", "contact_name", "contact_email",
                "contact_phone", "involvement_methods", "involvement_description",
                "updated_at",
            )
        },
        "version": current_version(organisation),
    }  # fmt: skip


def _get(slug: str) -> Organisation | None:
    try:
        return queries.organisation_for_profile(slug)
    except Organisation.DoesNotExist:
        return None


def _not_found(slug: str) -> Status[dict[str, Any]]:
    return Status(404, {"detail": f"No organisation has the slug “{slug}”.", "errors": {}})


@router.get(
    "",
    response={200: OrganisationPage, 400: ErrorOut},
    summary="List and search organisations",
    description="Providers by default, ordered by name, with the web directory's filters.",
)
def list_organisations(request: HttpRequest, params: Query[DirectoryQuery]) -> Any:
    return _organisations_page(request, params)


@public_page("directory")  # anonymous calls answered once per address and state of the data
def _organisations_page(request: HttpRequest, params: DirectoryQuery) -> Any:
    form = DirectoryFilterForm(params.model_dump(exclude={"page", "page_size"}))
    if not form.is_valid():
        names = ", ".join(form.errors)
        return Status(400, {"detail": f"Invalid filter: {names}", "errors": form.error_dict()})
    queryset = queries.search_organisations(form.filters())
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    page = queries.list_rows(queryset)[start : start + params.page_size] if start < count else []
    body = {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [_summary(row) for row in queries.with_relations(page, form.lookups)],
    }
    # Already in the documented shape (a test checks it against OrganisationPage), so it skips
    # ninja's re-validation of every row: the busiest endpoint stays cheap.
    return JsonResponse(body, encoder=NinjaJSONEncoder)


@router.get(
    "/lookups",
    response=LookupsOut,
    summary="Values the filters and profile fields accept",
)
def lookups(request: HttpRequest) -> Any:
    tables = Lookups.load()
    slugs = {area.pk: area.slug for area in tables.areas}
    return {
        "areas": [
            {"slug": a.slug, "name": a.name, "kind": a.kind, "parent": slugs.get(a.parent_id or 0)}
            for a in tables.areas
        ],
        "specialisms": _named(tables.specialisms),
        "cohorts": _named(tables.cohorts),
        "size_bands": [{"value": v, "label": label} for v, label in SIZE_BAND_CHOICES],
        "led_by": [{"value": v, "label": label} for v, label in LED_BY_FIELDS.items()],
        "org_types": [{"value": v, "label": label} for v, label in Organisation.OrgType.choices],
        "involvement_methods": [
            {"value": v, "label": label} for v, label in INVOLVEMENT_METHODS.items()
        ],
    }


@router.get(
    "/{slug}",
    response={200: OrganisationDetail, 404: ErrorOut},
    summary="One organisation's profile",
)
def get_organisation(request: HttpRequest, slug: str) -> Any:
    organisation = _get(slug)
    if organisation is None:
        return _not_found(slug)
    return Status(200, _detail(organisation))


def _sent_fields(request: HttpRequest) -> set[str]:
    """The names in the JSON body: the schema alone would silently drop unknown ones."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return set()
    return {str(name) for name in body} if isinstance(body, dict) else set()


def _as_form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


@router.patch(
    "/{slug}",
    auth=django_auth,
    response={
        200: OrganisationDetail,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Change an organisation's profile (its approved members and site administrators)",
)
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationPatch) -> Any:
    organisation = _get(slug)
    if organisation is None:
        return _not_found(slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        return Status(
            403,
            {
                "detail": "Only approved members of this organisation can change its profile.",
                "errors": {},
            },
        )

    refused = {
        name: [
            "Only site administrators can change this."
            if name in _READ_ONLY
            else "This is not a field of an organisation's profile."
        ]
        for name in _sent_fields(request) - set(OrganisationPatch.model_fields)
    }
    if refused:
        return Status(422, {"detail": "The profile was not changed.", "errors": refused})

    data = form_data(organisation)
    supplied = payload.model_dump(exclude_unset=True)
    data.update({name: _as_form_value(value) for name, value in supplied.items()})
    form = OrganisationProfileForm(data=data, instance=organisation)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return Status(422, {"detail": "The profile was not changed.", "errors": errors})

    services.update_organisation(
        signed_in_user(request), organisation, form.service_data(), form.edited_version()
    )
    return Status(200, _detail(queries.organisation_for_profile(organisation.slug)))
