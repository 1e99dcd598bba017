"""Throttling: the sign-in lockout (django-axes) and the per-address limits on anonymous forms
(django-ratelimit), with one answer for people (a page) and one for the API (JSON), both 429.

The lockout never says whether the account exists: a username that belongs to nobody is
locked out after the same number of failures, with the same page and the same cool-off.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit import UNSAFE
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

FIRST_COOL_OFF = timedelta(minutes=15)
LONGEST_COOL_OFF = timedelta(hours=24)
BACK_OFF_WINDOW = timedelta(hours=24)

REGISTRATION_RATE = "10/h"
"""Registrations from one address in an hour: a team registering together fits, a script not."""
EMAIL_LINK_RATE = "5/h"
"""Requests for a password reset or a new confirmation link from one address in an hour."""
ANONYMOUS_RESPONSE_RATE = "10/h"
"""Signed-out consultation responses from one address in an hour (a family, a drop-in)."""

THROTTLED = "There have been too many attempts from your network. Wait an hour, then try again."

API_THROTTLED = "Too many changes in a minute. Wait a minute, then try again."


def _minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 120 and minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def lockout_message(delta: timedelta) -> str:
    return (
        "You've tried to sign in too many times with a wrong username or password. "
        f"Wait {_minutes(delta)}, then try again."
    )


def _address(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def recent_failures(request: HttpRequest) -> int:
    """Failed sign-ins in the last day for this request's username or from its address (the
    larger of the two: each is locked out on its own)."""
    since = timezone.now() - BACK_OFF_WINDOW
    recent = AccessFailureLog.objects.filter(attempt_time__gte=since)
    counts = []
    username = get_client_username(request, getattr(request, "axes_credentials", None))
    if username:
        counts.append(recent.filter(username=username).count())
    address = _address(request)
    if address:
        counts.append(recent.filter(ip_address=address).count())
    return max(counts, default=0)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """Axes' cool-off (AXES_COOLOFF_TIME): 15 minutes at the first lockout, doubled for every
    further AXES_FAILURE_LIMIT failures in the last day, at most a day."""
    if request is None:
        return FIRST_COOL_OFF
    lockouts = recent_failures(request) // settings.AXES_FAILURE_LIMIT
    longer = FIRST_COOL_OFF * (2 ** max(0, min(lockouts - 1, 8)))
    return min(longer, LONGEST_COOL_OFF)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _refusal(
    request: HttpRequest, template: str, title: str, detail: str, retry_after: int
) -> HttpResponse:
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"detail": detail, "errors": {}}, status=429)
    else:
        context = {"title": title, "detail": detail, "crumbs": [(title, None)]}
        response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page (or JSON), 429, saying how long to wait."""
    delay = cool_off(request)
    message = lockout_message(delay)
    return _refusal(
        request, "accounts/locked_out.html", "Sign-in locked", message, int(delay.total_seconds())
    )


def throttled(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: a form sent too often from one address."""
    return _refusal(request, "throttled.html", "Too many attempts", THROTTLED, 60 * 60)


def per_address(rate: str, *, signed_out_only: bool = False) -> Any:
    """Limit POSTs of a view to ``rate`` from each address (all of them, or only signed-out
    people's); over the limit, :func:`throttled` answers."""

    def limit(group: str, request: HttpRequest) -> str | None:
        if signed_out_only and request.user.is_authenticated:
            return None
        return rate

    return ratelimit(key="ip", rate=limit, method="POST", block=True)


API_WRITE_RATE = "60/m"
"""API writes (POST, PUT, PATCH, DELETE) by one signed-in person, or from one address."""


def throttle_api_writes(run: Any) -> Any:
    """Wraps every API operation (a django-ninja "view" decorator): writes over
    :data:`API_WRITE_RATE` answer 429 in the API's ``{detail, errors}`` shape."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_ratelimited(
            request,
            group="api.write",
            key="user_or_ip",
            rate=API_WRITE_RATE,
            method=UNSAFE,
            increment=True,
        ):
            return _refusal(request, "throttled.html", "Too many requests", API_THROTTLED, 60)
        response: HttpResponse = run(request, *args, **kwargs)
        return response

    return checked
