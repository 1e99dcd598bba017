"""Requests for a host this site does not serve (``ALLOWED_HOSTS``) are refused with 400 before
any other middleware runs.

Django raises ``DisallowedHost`` from the first ``request.get_host()`` (CommonMiddleware), and its
400 page is then rendered through the site's context processors, which need the signed-in user
that AuthenticationMiddleware never set: the 400 became a 500. Here the API gets its one error
shape (:mod:`commissioning.api.errors`) and a page gets a short page that needs nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

#: Where Django itself reports a disallowed host.
security_log = logging.getLogger("django.security.DisallowedHost")

UNKNOWN_HOST = "This site does not serve the host named in the request."

_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>There is a problem with your request</title></head><body>"
    "<h1>There is a problem with your request</h1>"
    f"<p>{UNKNOWN_HOST} Check the web address.</p></body></html>"
)


class RefuseUnknownHostMiddleware:
    """First in ``MIDDLEWARE``: a 400 for an unknown ``Host`` header, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost as refused:
            security_log.warning(str(refused))
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": UNKNOWN_HOST, "errors": {}}, status=400)
            return HttpResponseBadRequest(_PAGE)
        return self.get_response(request)
