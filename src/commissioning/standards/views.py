"""National standards pages (MKT-3): the public summary (each standard, every body's figures)
and the inspector's compliance report (each body, every standard), from the same
:func:`.queries.compliance`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.standards import access
from commissioning.standards.queries import compliance


@require_http_methods(["GET", "HEAD"])
def summary(request: HttpRequest) -> HttpResponse:
    report = compliance()
    context = {
        "report": report,
        "by_standard": report.by_standard(),
        "can_inspect": access.can_read_inspection_report(request.user),
        "crumbs": [("National standards", None)],
    }
    return render(request, "standards/summary.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def inspection(request: HttpRequest) -> HttpResponse:
    if not access.can_read_inspection_report(request.user):
        raise PermissionDenied("Only the inspectorate reads the compliance report.")
    context = {
        "report": compliance(),
        "crumbs": [
            ("National standards", reverse("standards:summary")),
            ("Compliance report", None),
        ],
    }
    return render(request, "standards/inspection.html", context)
