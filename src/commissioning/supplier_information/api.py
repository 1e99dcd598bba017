"""JSON API for core supplier information (LAW-5), at /api/supplier-information. Signed-in only
(401); never public.

* ``GET /api/supplier-information/organisations/{slug}`` — the organisation's current version,
  to its approved members only (403 for everyone else; 404 if it has none yet).
* ``GET /api/supplier-information/share-codes/{code}`` — the current version behind a live share
  code, to a commissioner of the body it was made out to (403 for anyone who is not a
  commissioner; 404, saying nothing more, for an unknown, revoked or someone else's code).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from commissioning.api.errors import WRITE_ERRORS
from commissioning.directory.models import Organisation
from commissioning.supplier_information import access, grounds, services
from commissioning.supplier_information.models import SupplierInformationVersion

router = Router(tags=["Core supplier information (never public)"])


class ConnectedPersonOut(Schema):
    name: str
    role: str
    control: str = Field(description="How they control or influence the organisation.")


class DeclarationOut(Schema):
    ground: str = Field(description="The ground's key, e.g. fraud_theft.")
    label: str
    mandatory: bool = Field(description="A mandatory (true) or discretionary (false) ground.")
    applies: bool
    details: str


class VersionOut(Schema):
    organisation: str = Field(description="The organisation's slug.")
    version: int = Field(description="Numbered from 1; each save makes a new version.")
    created_at: datetime
    legal_name: str
    legal_form: str
    charity_number: str
    company_number: str
    ppon: str = Field(description="Public Procurement Organisation Number, if any.")
    registered_address: str
    accounts_year_end: date
    turnover: str = Field(description="Income in the latest accounts, pounds to the penny.")
    reserves: str = Field(description="Unrestricted reserves at that year end.")
    connected_persons: list[ConnectedPersonOut]
    declarations: list[DeclarationOut]


def version_out(version: SupplierInformationVersion) -> dict[str, Any]:
    declared = version.declarations or {}
    return {
        "organisation": version.organisation.slug,
        "version": version.number,
        "created_at": version.created_at,
        "legal_name": version.legal_name,
        "legal_form": version.legal_form,
        "charity_number": version.charity_number,
        "company_number": version.company_number,
        "ppon": version.ppon,
        "registered_address": version.registered_address,
        "accounts_year_end": version.accounts_year_end,
        "turnover": str(version.turnover),
        "reserves": str(version.reserves),
        "connected_persons": [
            {"name": p["name"], "role": p["role"], "control": p.get("control", "")}
            for p in version.connected_persons
        ],
        "declarations": [
            {
                "ground": ground.key,
                "label": ground.label,
                "mandatory": ground.mandatory,
                "applies": bool(declared.get(ground.key, {}).get("applies")),
                "details": declared.get(ground.key, {}).get("details", ""),
            }
            for ground in grounds.ALL
        ],
    }


@router.get(
    "/organisations/{slug}",
    auth=django_auth,
    response={200: VersionOut, **WRITE_ERRORS},
    summary="Your organisation's current core supplier information (members only)",
)
def current_for_organisation(request: HttpRequest, slug: str) -> Any:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not access.can_read_own(request.user, organisation):
        raise PermissionDenied("Only this organisation's members can read its core information.")
    version = services.current_version(organisation)
    if version is None:
        raise Http404("This organisation has not recorded its core supplier information yet.")
    return Status(200, version_out(version))


@router.get(
    "/share-codes/{code}",
    auth=django_auth,
    response={200: VersionOut, **WRITE_ERRORS},
    summary="The core supplier information behind a share code (commissioners only)",
)
def by_share_code(request: HttpRequest, code: str) -> Any:
    try:
        version = services.version_for_code(request.user, code)
    except ValidationError:
        raise Http404(services.NOT_FOUND) from None
    return Status(200, version_out(version))
