"""Nothing that identifies a reporter reaches the application on the anonymous route (SUP-5).

:class:`AnonymousRouteMiddleware` runs first. For every request under ``/concerns/`` it

* drops every cookie but the CSRF token before anything reads them, so a signed-in person's
  session is neither read nor written (``request.session`` is empty, ``request.user`` anonymous)
  and nothing links them to what they report;
* removes the client's address, user agent and forwarding headers from the request, after
  turning the address into :data:`RATE_KEY_ATTRIBUTE`: a keyed hash of the address and the hour,
  kept only in memory for the rate limits (their cache holds a hash of that hash, for an hour);
* answers with ``Cache-Control: no-store`` and sends no cookie but the CSRF token (the site's
  ``Referrer-Policy: same-origin`` stays: ``no-referrer`` would make browsers send
  ``Origin: null``, which the CSRF check refuses).

:class:`AnonymousRouteLogFilter` withholds the path, the request and its arguments from every log
record about the route, and :class:`GunicornLogger` writes no access-log line for it
(docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ANONYMOUS_PREFIX = "/concerns/"
RATE_KEY_ATTRIBUTE = "concerns_rate_key"
IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_VIA",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_DNT",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)
WITHHELD = "[a request on the anonymous concerns route: details withheld]"


def is_anonymous_route(path: str) -> bool:
    return path.startswith(ANONYMOUS_PREFIX)


def rate_key(address: str) -> str:
    """A keyed hash of the address and the hour: counts requests without keeping the address."""
    hour = int(time.time() // 3600)
    message = f"{address}|{hour}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class AnonymousRouteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous_route(request.path_info):
            return self.get_response(request)
        meta = request.META
        setattr(request, RATE_KEY_ATTRIBUTE, rate_key(str(meta.get("REMOTE_ADDR", ""))))
        for name in IDENTIFYING_META:
            meta.pop(name, None)
        meta["REMOTE_ADDR"] = "0.0.0.0"
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME) if "HTTP_COOKIE" in meta else None
        meta.pop("HTTP_COOKIE", None)
        request.COOKIES = {settings.CSRF_COOKIE_NAME: csrf} if csrf else {}
        if csrf:
            meta["HTTP_COOKIE"] = f"{settings.CSRF_COOKIE_NAME}={csrf}"
        response = self.get_response(request)
        for name in list(response.cookies):
            if name != settings.CSRF_COOKIE_NAME:
                del response.cookies[name]
        response["Cache-Control"] = "no-store"
        return response


def rate_limit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key on the anonymous route."""
    return str(getattr(request, RATE_KEY_ATTRIBUTE, "anonymous"))


class AnonymousRouteLogFilter(logging.Filter):
    """Rewrites any log record about the anonymous route: no path, request, address or
    arguments survive (the record itself stays, so errors are still seen)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or ""
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            text = str(record.msg)
        if is_anonymous_route(path) or ANONYMOUS_PREFIX in text:
            record.msg, record.args = WITHHELD, ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
            for name in ("request", "status_code", "server_time"):
                if hasattr(record, name):
                    delattr(record, name)
        return True


def _gunicorn_logger() -> Any:
    try:
        from gunicorn.glogging import Logger
    except ImportError:  # pragma: no cover - gunicorn is not needed in development
        return object
    return Logger


class GunicornLogger(_gunicorn_logger()):  # type: ignore[misc]
    """gunicorn's ``--logger-class``: the access log skips the anonymous route entirely."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        paths = (str(environ.get("PATH_INFO", "")), str(environ.get("RAW_URI", "")))
        if any(is_anonymous_route(path) for path in paths):
            return
        super().access(resp, req, environ, request_time)
