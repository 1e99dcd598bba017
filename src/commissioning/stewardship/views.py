"""Public market stewardship pages (MKT-1, MKT-2, EQU-3). Thin: figures come from
:mod:`.services`. Each page's body is rendered once per state of the records it is computed from
and the options chosen (:func:`queries.version`), never per visitor, so a cached page is never
stale; the header and navigation, which depend on who asks, are rendered on every request."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from commissioning.contracts.sections import contract_or_404, section_context
from commissioning.kernel.pagecache import public_page
from commissioning.stewardship import queries, services
from commissioning.stewardship.forms import MarketForm

OPTIONS = ("place", "measure", "year")
FOOTPRINT_SECTION = "stewardship:footprint"

Built = dict[str, Any]


def _cached(
    page: str, request: HttpRequest, build: Callable[[], dict[str, Built]], part: str = "page"
) -> Built:
    """The ``part`` ("page" or "csv") of ``build()`` for this page and these options, computed
    once per state of the records (:func:`queries.version`). The parts are kept apart so that
    showing the page never reads the CSVs' text."""
    options = {name: request.GET.get(name, "")[:100] for name in OPTIONS}
    today = timezone.localdate()
    digest = hashlib.sha256(json.dumps([page, options]).encode()).hexdigest()[:24]
    key = f"stewardship:{page}:{digest}:{queries.version(today)}"
    found: Built | None = cache.get(f"{key}:{part}")
    if found is None:
        built = build()
        cache.set_many(
            {f"{key}:{name}": value for name, value in built.items()}, queries.CACHE_SECONDS
        )
        found = built[part]
    return found


def _market(request: HttpRequest) -> dict[str, Built]:
    today = timezone.localdate()
    records = queries.records(today)
    within = queries.area_descendants()
    years = services.years_of(records)
    form = MarketForm(request.GET, years=years)
    place_key, measure_key, year = services.NATIONAL_PLACE, "money", None
    if form.is_valid():
        place_key = form.cleaned_data["place"] or place_key
        measure_key = form.cleaned_data["measure"] or measure_key
        year = form.cleaned_data["year"]
    year = year or services.latest_year(records)
    place = services.resolve_place(place_key, within) or services.resolve_place(
        services.NATIONAL_PLACE, within
    )
    assert place is not None  # the national market resolves with or without its area
    measure = services.MEASURES_BY_KEY[measure_key]
    found = services.market(place.scope, records.providers, records.contracts, records.flows)
    tiles, legend = services.tile_map(records, within, place, measure, year)
    rows = services.provider_rows(found, year)
    chosen = {"place": place.key, "measure": measure.key, "year": year or ""}
    context = {
        "form": form,
        "place": place,
        "measure": measure,
        "year": year,
        "market": found,
        "tiles": tiles,
        "legend": legend,
        "map_width": services.tiles.COLUMNS * (services.TILE_SIZE + services.TILE_GAP),
        "map_height": services.tiles.ROWS * (services.TILE_SIZE + services.TILE_GAP),
        "tile_size": services.TILE_SIZE,
        "rows": rows[: services.PROVIDERS_SHOWN],
        "provider_count": len(rows),
        "years": years,
        "year_rows": services.year_rows(found),
        "uses_year": measure.key in services.YEARLY_MEASURES,
        "query": "&".join(f"{k}={v}" for k, v in chosen.items()),
    }
    csv_texts = {
        "tiles": services.tiles_csv(tiles, measure),
        "concentration": services.concentration_csv(found),
        "providers": services.providers_csv(rows, years),
    }
    return {
        "page": {
            "title": f"Market map: {place.label}",
            "status": 400 if form.errors else 200,
            "body": render_to_string("stewardship/_market.html", context),
        },
        "csv": {**csv_texts, "place": place.key},
    }


@require_http_methods(["GET", "HEAD"])
@public_page(*queries.SOURCE_APPS)  # the whole page, for anonymous visitors
def market_map(request: HttpRequest) -> HttpResponse:
    built = _cached("market", request, lambda: _market(request))
    return render(
        request,
        "stewardship/page.html",
        {
            "title": built["title"],
            "body": mark_safe(built["body"]),  # rendered (and escaped) by the templates
            "crumbs": [("Market map", None)],
        },
        status=built["status"],
    )


CSV_FILES = {
    "tiles": "police-force-areas",
    "concentration": "concentration",
    "providers": "providers",
}


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_http_methods(["GET", "HEAD"])
def market_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The figures of one of the market map's tables, for the options chosen."""
    if table not in CSV_FILES:
        return HttpResponse("No such table", status=404, content_type="text/plain")
    built = _cached("market", request, lambda: _market(request), "csv")
    slug = built["place"].partition(":")[2]
    return _csv(built[table], f"market-{slug}-{CSV_FILES[table]}")


def _health() -> dict[str, Built]:
    records = queries.records(timezone.localdate())
    years, groups = services.health(records)
    context = {"years": years, "groups": services.health_rows(years, groups)}
    return {
        "page": {"body": render_to_string("stewardship/_specialists.html", context)},
        "csv": {"text": services.health_csv(years, groups)},
    }


@require_http_methods(["GET", "HEAD"])
def specialists(request: HttpRequest) -> HttpResponse:
    built = _cached("specialists", request, _health)
    return render(
        request,
        "stewardship/page.html",
        {
            "title": "Specialist organisations’ health",
            "body": mark_safe(built["body"]),  # rendered (and escaped) by the templates
            "crumbs": [
                ("Market map", reverse("stewardship:market")),
                ("Specialist organisations", None),
            ],
        },
    )


@require_http_methods(["GET", "HEAD"])
def specialists_csv(request: HttpRequest) -> HttpResponse:
    built = _cached("specialists", request, _health, "csv")
    return _csv(built["text"], "specialist-organisations")


def _footprint(reference: str) -> dict[str, Built]:
    contract = contract_or_404(reference)
    records = queries.records(timezone.localdate())
    areas, rows = services.footprint_rows(contract, records, timezone.localdate())
    return {
        "page": {
            "body": render_to_string(
                "stewardship/_footprint.html",
                {
                    "contract": contract,
                    "areas": areas,
                    "rows": services.footprint_display(rows),
                },
            ),
        },
        "csv": {"text": services.footprint_csv(rows)},
    }


@require_http_methods(["GET", "HEAD"])
def footprint(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    built = _cached(f"footprint:{contract.pk}", request, lambda: _footprint(reference))
    context = section_context(
        request.user, contract, FOOTPRINT_SECTION, body=mark_safe(built["body"])
    )
    return render(request, "stewardship/footprint.html", context)


@require_http_methods(["GET", "HEAD"])
def footprint_csv(request: HttpRequest, reference: str) -> HttpResponse:
    contract = contract_or_404(reference)
    built = _cached(f"footprint:{contract.pk}", request, lambda: _footprint(reference), "csv")
    return _csv(built["text"], f"{contract.reference}-local-market")
