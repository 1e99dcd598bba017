"""Bulk OCDS downloads (PRO-9, LAW-1, LAW-2): a page explaining them, a release package of
every published release (UK2 engagement, UK4 tenders with enquiries, UK12, UK6 awards, UK7
contracts), and a record package (one record per ocid). Public, generated on request with a
fixed number of queries (prefetched), and cached under the data version of every app until
something changes (issue 21)."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from commissioning.kernel.pagecache import public_page
from commissioning.opendata.ocds.packaging import build_record, record_package, release_package
from commissioning.opendata.publication import PUBLISHER, all_releases

TEMPLATE = Path(__file__).parent / "templates" / "opendata" / "index.html"


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


#: An empty package is not valid OCDS (a package holds at least one release or record).
NOTHING_PUBLISHED = "Nothing has been published yet, so there is no open data to download"


def _nothing_published() -> JsonResponse:
    return JsonResponse({"detail": NOTHING_PUBLISHED, "errors": {}}, status=404)


@public_page(anyone=True)  # built once per state of the data, not per request
def releases_json(request: HttpRequest) -> JsonResponse:
    releases = all_releases(_site(request))
    if not releases:
        return _nothing_published()
    package = release_package(
        releases,
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


@public_page(anyone=True)
def records_json(request: HttpRequest) -> JsonResponse:
    by_ocid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for release in all_releases(_site(request)):
        by_ocid[release["ocid"]].append(release)
    if not by_ocid:
        return _nothing_published()
    package = record_package(
        [build_record(releases) for releases in by_ocid.values()],
        uri=request.build_absolute_uri(),
        published_date=timezone.now(),
        publisher_name=PUBLISHER,
    )
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


@cache
def _template() -> Any:
    return engines["django"].from_string(TEMPLATE.read_text(encoding="utf-8"))


@public_page()
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "crumbs": [("Open data", None)],
        "releases_url": reverse("opendata:releases"),
        "records_url": reverse("opendata:records"),
        "grants_json_url": reverse("grants:giving360_json"),
        "grants_csv_url": reverse("grants:giving360_csv"),
    }
    return HttpResponse(_template().render(context, request))
