"""Pagination for long lists, with the other query parameters (filters) kept on every link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> dict[str, Any]:
    """Context for ``includes/pagination.html``: ``page_obj``, ``page_range`` and the query string
    without ``page``. An out-of-range or malformed page number shows the nearest valid page."""
    paginator = Paginator(items, per_page or settings.PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "page_obj": page_obj,
        "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=2)),
        "querystring_without_page": params.urlencode(),
    }
