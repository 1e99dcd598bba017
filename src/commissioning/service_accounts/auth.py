"""``OrganisationToken()``: django-ninja authentication by an organisation's API token, for the
case-management systems that act for one organisation (REF-1, REF-2; docs/service-accounts.md).

Use it beside session authentication, token first::

    @router.post("/things", auth=[OrganisationToken(), django_auth], ...)

A request with ``Authorization: Bearer cst_…`` is authenticated by the token alone:
``request.auth`` is the :class:`~commissioning.service_accounts.models.OrganisationToken`, and
:func:`acting_organisation` names the one organisation it acts for (``request.user`` stays
anonymous). An unknown or revoked token is refused with 401 at once, never passed on to the
session. Without the header the next method (the session) is tried. Endpoints audit each write
made with a token through :func:`commissioning.service_accounts.services.record_write`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from commissioning.service_accounts import services
from commissioning.service_accounts.models import OrganisationToken as TokenRecord

DESCRIPTION = (
    "An organisation's API token (`Authorization: Bearer cst_…`), made by the organisation's "
    "administrators on its API tokens page. It acts for that one organisation only; a revoked "
    "or unknown token is refused with 401."
)


class TokenRefused(AuthenticationError):
    """401 with the reason the token was refused."""

    def __init__(self, detail: str) -> None:
        super().__init__(401, detail)
        self.detail = detail


class OrganisationToken(HttpBearer):
    openapi_description = DESCRIPTION

    def authenticate(self, request: HttpRequest, token: str) -> TokenRecord:
        try:
            found = services.token_for(token)
        except services.TokenProblem as problem:
            raise TokenRefused(str(problem)) from None
        request.acting_organisation = found.organisation  # type: ignore[attr-defined]
        return found


def acting_token(request: HttpRequest) -> TokenRecord | None:
    """The token the request was authenticated by, if it was."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, TokenRecord) else None


def acting_organisation(request: HttpRequest) -> Any | None:
    """The organisation a token-authenticated request acts for (None for a session)."""
    token = acting_token(request)
    return token.organisation if token is not None else None
