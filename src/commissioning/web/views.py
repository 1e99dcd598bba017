"""The home page: what the platform is for, headline numbers and what the user can do; and
"Your contracts", composed from the feature apps (:mod:`.your_contracts`).

The error pages are templates only (``templates/403.html``, ``404.html``, ``500.html``): Django's
default handlers render them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.organisation_search import ORGANISATION_SETS, suggest
from commissioning.kernel.health import health
from commissioning.kernel.pagecache import public_page
from commissioning.permissions import signed_in_user
from commissioning.web.services import headline_figures, user_summary
from commissioning.web.your_contracts import your_contracts

#: The apps whose records the home page shows to a visitor (headline figures).
HOME_APPS = ("directory", "exercises", "accounts")


@public_page(*HOME_APPS)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"figures": headline_figures(), "summary": user_summary(request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def your_contracts_page(request: HttpRequest) -> HttpResponse:
    """Each contract the user's organisations are in, with what waits for them (issue 14)."""
    context = {
        "organisations": your_contracts(signed_in_user(request), timezone.localdate()),
        "crumbs": [("Your contracts", None)],
    }
    return render(request, "web/your_contracts.html", context)


@require_GET
def organisation_suggest(request: HttpRequest) -> JsonResponse:
    """Names for the organisation autocomplete: ``?set=providers|public-bodies&q=text``.

    The directory is public, so this is too; it answers at most a handful of names."""
    set_name = request.GET.get("set", "")
    if set_name not in ORGANISATION_SETS:
        known = ", ".join(ORGANISATION_SETS)
        return JsonResponse(
            {"detail": f"Unknown set of organisations: use one of {known}", "errors": {}},
            status=400,
        )
    return JsonResponse({"results": suggest(set_name, request.GET.get("q", ""))})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database and the task queue are fine,
    503 naming each check that failed (docs/deployment.md)."""
    checks = health()
    failed = [check.name for check in checks if not check.ok]
    body = {
        "status": "unavailable" if failed else "ok",
        "failed": failed,
        "checks": {
            check.name: {"ok": check.ok, "detail": check.detail, **check.figures}
            for check in checks
        },
    }
    return JsonResponse(body, status=503 if failed else 200)
