"""Fair comparisons of proven reoffending across police force areas (issue 17, OUT-2).

The page and its CSV show, for the current version of the steward's national extract, each
area's crude rate beside the rate expected for its people and its deprivation and employment
(:func:`commissioning_analytics.outcomes.area_comparison.compare_extract_areas`). Only area
aggregates leave the extract, and only to signed-in commissioners, providers and stewards: the
extract is the steward's, not open data. The comparison is computed once per version and
cached under a key of that version, so loading a new version changes it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from commissioning import permissions
from commissioning.accounts.models import User
from commissioning.outcomes_web import extracts
from commissioning.outcomes_web.models import NationalExtract
from commissioning.permissions import Visitor
from commissioning_analytics.outcomes.area_comparison import AreaComparison, compare_extract_areas
from commissioning_analytics.outcomes.safeguards import publish_count

AREA = "area"
DEPRIVATION = "area_deprivation"
EMPLOYMENT = "area_employment"
ALLOWED_ROLES = (User.Role.COMMISSIONER, User.Role.PROVIDER, User.Role.STEWARD)
NOT_ALLOWED = "Only commissioners, providers and data stewards can see the area comparison"
CSV_HEADER = (
    "area",
    "people",
    "reoffended",
    "crude_rate",
    "expected_rate",
    "ratio",
    "ratio_low",
    "ratio_high",
    "adjusted_rate",
    "adjusted_low",
    "adjusted_high",
    "flag",
)


def may_see_areas(user: Visitor) -> bool:
    """Signed-in commissioners, providers, stewards and site administrators (OUT-2)."""
    if not permissions.is_active_user(user):
        return False
    return permissions.is_site_admin(user) or user.role in ALLOWED_ROLES


def cache_key(extract: NationalExtract) -> str:
    return f"outcomes-area-comparison:v{extract.version}:{extract.content_hash[:16]}"


def missing_columns(extract: NationalExtract) -> list[str]:
    """The columns the comparison needs that this version lacks."""
    wanted = [(AREA, extract.text_columns), (DEPRIVATION, extract.covariates)]
    wanted.append((EMPLOYMENT, extract.covariates))
    return [name for name, held in wanted if name not in held]


def compute(extract: NationalExtract) -> AreaComparison:
    """The comparison for ``extract``, adjusted for its other numeric columns and the areas'
    deprivation and employment."""
    covariates = [c for c in extract.covariates if c not in (DEPRIVATION, EMPLOYMENT)]
    return compare_extract_areas(extracts.loaded_extract(extract), covariates=covariates)


def comparison_for(extract: NationalExtract) -> AreaComparison:
    """Computed once per version; later requests read the cache."""
    key = cache_key(extract)
    found = cache.get(key)
    if isinstance(found, AreaComparison):
        return found
    result = compute(extract)
    cache.set(key, result, timeout=None)
    return result


@dataclass(frozen=True)
class AreaRow:
    """One area as published: counts under 5 suppressed, rates as percentages."""

    area: str
    people: int | str
    reoffended: int | str
    crude_rate: str
    expected_rate: str
    ratio: str
    ratio_low: str
    ratio_high: str
    adjusted_rate: str
    adjusted_low: str
    adjusted_high: str
    flag: str


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def published_rows(result: AreaComparison) -> list[AreaRow]:
    rows = []
    for area in sorted(result.areas, key=lambda a: a.area):
        suppressed = isinstance(publish_count(area.observed), str)
        rows.append(
            AreaRow(
                area=area.area,
                people=publish_count(area.people),
                reoffended=publish_count(area.observed),
                crude_rate="" if suppressed else _percent(area.observed_rate),
                expected_rate=_percent(area.expected_rate),
                ratio=_ratio(area.ratio),
                ratio_low=_ratio(area.ratio_low),
                ratio_high=_ratio(area.ratio_high),
                adjusted_rate=_percent(area.adjusted_rate),
                adjusted_low=_percent(area.adjusted_low),
                adjusted_high=_percent(area.adjusted_high),
                flag=area.flag,
            )
        )
    return rows


def _require_viewer(request: HttpRequest) -> None:
    if not may_see_areas(request.user):
        raise PermissionDenied(NOT_ALLOWED)


@login_required
@require_http_methods(["GET", "HEAD"])
def area_comparison(request: HttpRequest) -> HttpResponse:
    """The fair comparison page, or why there is none (no extract, no area columns)."""
    _require_viewer(request)
    extract = extracts.current_extract()
    context: dict[str, object] = {
        "crumbs": [("Outcome studies", "/outcomes/"), ("Reoffending by area", None)],
        "extract": extract,
    }
    if extract is not None:
        missing = missing_columns(extract)
        context["missing"] = missing
        if not missing:
            result = comparison_for(extract)
            context["national_rate"] = _percent(result.national_rate)
            context["rows"] = published_rows(result)
    return render(request, "outcomes_web/areas.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def area_comparison_csv(request: HttpRequest) -> HttpResponse:
    """The page's table as CSV, the same rows and suppression."""
    _require_viewer(request)
    extract = extracts.current_extract()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    if extract is not None and not missing_columns(extract):
        response["Content-Disposition"] = (
            f'attachment; filename="reoffending-by-area-v{extract.version}.csv"'
        )
        for row in published_rows(comparison_for(extract)):
            writer.writerow([getattr(row, name) for name in CSV_HEADER])
    return response
