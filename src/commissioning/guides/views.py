"""The guides' pages (issue 18): the list and each guide, with its contents list."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from commissioning.guides.content import BY_SLUG, GUIDES


@require_http_methods(["GET", "HEAD"])
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "guides/list.html", {"guides": GUIDES, "crumbs": [("Guides", None)]})


@require_http_methods(["GET", "HEAD"])
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = BY_SLUG.get(slug)
    if guide is None:
        raise Http404("No guide at this address")
    context = {
        "guide": guide,
        "others": [other for other in GUIDES if other is not guide],
        "crumbs": [("Guides", reverse("guides:list")), (guide.title, None)],
    }
    return render(request, "guides/guide.html", context)
