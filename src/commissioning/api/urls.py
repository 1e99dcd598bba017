"""The JSON API (django-ninja) with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each feature contributes a router from its own ``api.py``; reads are public, writes need a
signed-in user who passes the rules in :mod:`commissioning.permissions`.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from commissioning.contracts.api import router as contracts_router
from commissioning.directory.api import router as directory_router
from commissioning.exercises.api import router as exercises_router
from commissioning.procurement import api as procurement_api

api = NinjaAPI(
    title="Commissioning API",
    version="1",
    description=(
        "Open data and write access for the Commissioning platform: the provider directory "
        "(MKT-1), commissioning exercises (CYC-1) and contracts paid by results (PBR-1 .. PBR-6, "
        "SUP-1)."
    ),
    urls_namespace="api",
)
api.add_router("/organisations", directory_router)
api.add_router("/exercises", exercises_router)
api.add_router("/contracts", contracts_router)
api.add_router("/opportunities", procurement_api.router)
api.add_router("/contracts", procurement_api.contracts_router)


@api.exception_handler(ValidationError)
def schema_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema errors (wrong types, missing fields) take the same shape as our own validation
    errors: ``{"detail": ..., "errors": {field: [message, ...]}}``, naming each field."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in _LOCATION_ROOTS]
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg")))
    detail = "Check these fields: " + ", ".join(errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


_LOCATION_ROOTS = {"body", "query", "path", "payload", "form", "header", "cookie"}
