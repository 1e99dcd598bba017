"""The home page: what the platform is for, headline numbers and what the user can do.

The error pages are templates only (``templates/403.html``, ``404.html``, ``500.html``): Django's
default handlers render them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commissioning.web.services import headline_figures, user_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"figures": headline_figures(), "summary": user_summary(request.user)},
    )
