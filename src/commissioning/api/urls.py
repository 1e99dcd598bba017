"""The JSON API (django-ninja) with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each feature contributes a router from its own ``api.py``; reads are public, writes need a
signed-in user who passes the rules in :mod:`commissioning.permissions` and the apps' ``access``
modules. Every 4xx error has one shape: ``{"detail": ..., "errors": {field: [message, ...]}}``.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from commissioning.accounts import throttling
from commissioning.api.body import (
    NOT_AN_OBJECT,
    BodyRefused,
    StrictJSONParser,
    refuse_unusable_path_text,
)
from commissioning.api.errors import ERRORS_DOC, validation_errors
from commissioning.api.pagination import PAGINATION_DOC
from commissioning.audit.versions import StaleEdit
from commissioning.bids.api import router as bids_router
from commissioning.clarifications.api import router as clarifications_router
from commissioning.contracts.api import router as contracts_router
from commissioning.contracts.performance_api import router as contract_performance_router
from commissioning.delivery_checks.api import router as delivery_checks_router
from commissioning.directory.api import router as directory_router
from commissioning.equality.api import router as equality_router
from commissioning.escalations.api import router as escalations_router
from commissioning.exercises.api import router as exercises_router
from commissioning.grants.api import router as grants_router
from commissioning.invoices.api import compliance_router as payments_compliance_router
from commissioning.invoices.api import router as invoices_router
from commissioning.invoices.api import vcs_share_router
from commissioning.monitoring.api import router as monitoring_router
from commissioning.opendata import api as opendata_api
from commissioning.outcomes_web.api import router as outcome_studies_router
from commissioning.partnering.api import interest_router
from commissioning.partnering.api_messages import messages_router
from commissioning.procurement import api as procurement_api
from commissioning.referrals.api import router as referrals_router
from commissioning.reviews.api import router as reviews_router
from commissioning.ringfences.api import router as ringfences_router
from commissioning.service_accounts.auth import TokenRefused
from commissioning.service_accounts.docs import TOKENS_DOC
from commissioning.supplier_information.api import router as supplier_information_router
from commissioning.supply_returns.api import router as supply_returns_router

request_logger = logging.getLogger("django.request")

api = NinjaAPI(
    title="Commissioning API",
    version="1",
    description=(
        "Open data and write access for the Commissioning platform: the provider directory "
        "(MKT-1), commissioning exercises (CYC-1), opportunities with their clarification "
        "questions (PRO-4) and expressions of interest (PRO-6), messages between organisations "
        "(PRO-6), bidders' own bids (PRO-7, PRO-8: sealed until the deadline) and contracts paid "
        "by results (PBR-1 .. PBR-6, SUP-1), escalations from providers to probation (REF-2), "
        "and outcome studies with their published results (OUT-1, OUT-4).\n\n"
        f"{PAGINATION_DOC}\n\n{ERRORS_DOC}\n\n{TOKENS_DOC}"
    ),
    urls_namespace="api",
    parser=StrictJSONParser(),
)
api.add_decorator(refuse_unusable_path_text, mode="view")
api.add_decorator(throttling.throttle_api_writes, mode="view")
api.add_router("/organisations", directory_router)
api.add_router("/exercises", exercises_router)
api.add_router("/exercises", opendata_api.exercises_router)
api.add_router("/exercises", equality_router)
api.add_router("/exercises", reviews_router)
api.add_router("/contracts", contracts_router)
api.add_router("/contracts", contract_performance_router)
api.add_router("/opportunities", procurement_api.router)
api.add_router("/opportunities", opendata_api.opportunities_router)
api.add_router("/opportunities", clarifications_router)
api.add_router("/opportunities", interest_router)
api.add_router("/contracts", opendata_api.contracts_router)
api.add_router("/messages", messages_router)
api.add_router("/bids", bids_router)
api.add_router("/supplier-information", supplier_information_router)
api.add_router("/escalations", escalations_router)
api.add_router("/contracts", invoices_router)
api.add_router("/contracts", delivery_checks_router)
api.add_router("/payments-compliance", payments_compliance_router)
api.add_router("/payments-compliance", opendata_api.payments_compliance_router)
api.add_router("/vcs-share", vcs_share_router)
api.add_router("/referrals", referrals_router)
api.add_router("/contracts", supply_returns_router)
api.add_router("/outcome-studies", outcome_studies_router)
api.add_router("/grants", grants_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/ring-fences", ringfences_router)


@api.exception_handler(ValidationError)
def schema_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema errors (wrong types, missing fields) take the same shape as our own validation
    errors: ``{"detail": ..., "errors": {field: [message, ...]}}``, naming each field."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = tuple(error.get("loc", ()))
        if len(loc) == 2 and loc[0] == "body" and error.get("type") == "missing":
            # No body at all: nothing names the endpoint's own parameter.
            content = {"detail": NOT_AN_OBJECT, "errors": {"__all__": [NOT_AN_OBJECT]}}
            return api.create_response(request, content, status=422)
        location = _field_path(loc)
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg")))
    detail = "Check these fields: " + ", ".join(errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


_LOCATION_ROOTS = {"body", "query", "path", "form", "header", "cookie"}


def _field_path(loc: Any) -> list[str]:
    """The field's path without where it came from: ``("query", "page")`` is ``page``;
    ``("body", "payload", "body")`` (the ``body`` field of the JSON payload) is ``body``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATION_ROOTS:
        root, parts = parts[0], parts[1:]
        if root in {"body", "form"} and len(parts) > 1:
            parts = parts[1:]  # the endpoint's parameter name (``payload``)
    return parts


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "Sign in first: this needs a signed-in session."
    return api.create_response(request, {"detail": detail, "errors": {}}, status=401)


@api.exception_handler(TokenRefused)
def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    """An organisation's API token that is unknown or revoked: 401 with the reason."""
    return api.create_response(request, {"detail": exc.detail, "errors": {}}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own errors; a body refused by :mod:`commissioning.api.body` says why."""
    cause = exc.__cause__
    if isinstance(cause, BodyRefused):
        content = {"detail": cause.detail, "errors": cause.errors}
        return api.create_response(request, content, status=cause.status)
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=exc.status_code)


@api.exception_handler(BodyRefused)
def refused(request: HttpRequest, exc: BodyRefused) -> HttpResponse:
    """A query string refused by :mod:`commissioning.api.body` (bodies arrive as HttpError)."""
    content = {"detail": exc.detail, "errors": exc.errors}
    return api.create_response(request, content, status=exc.status)


@api.exception_handler(StaleEdit)
def stale_edit(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
    """An edit made from a version that has since changed (issue 13): nothing was saved; 409
    with what changed and the version to start again from, for every endpoint that checks one."""
    content = {"detail": exc.message, "errors": {"version": [f"Now {exc.version}."]}}
    return api.create_response(request, content, status=409)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    detail = str(exc) or "Not found"
    return api.create_response(request, {"detail": detail, "errors": {}}, status=404)


@api.exception_handler(Ratelimited)
def throttled(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    """Too many requests (issue 13): 429 in the one shape, before PermissionDenied's 403."""
    return throttling.throttled(request, exc)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """A service's or an access rule's refusal, raised inside an endpoint: 403 with its reason."""
    detail = str(exc) or "You do not have permission to do that."
    return api.create_response(request, {"detail": detail, "errors": {}}, status=403)


@api.exception_handler(DjangoValidationError)
def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service's ValidationError (the same rules as the web pages): 400 naming the fields."""
    return api.create_response(request, validation_errors(exc), status=400)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A fault of ours is still JSON in the one shape, never the site's HTML page: logged like
    Django logs any 500, and signalled so that the test client re-raises it."""
    request_logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
    )
    got_request_exception.send(sender=None, request=request)
    content = {"detail": "Something went wrong on our side. Try again later.", "errors": {}}
    return api.create_response(request, content, status=500)
