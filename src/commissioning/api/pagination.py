"""The one way every list of the JSON API pages (issue 11 item 24a).

A list takes ``?page=`` (from 1) and ``?page_size=`` (1 to :data:`MAX_PAGE_SIZE`, default
``settings.PAGE_SIZE``) and answers ``{"count", "page", "page_size", "results": [...]}``: ``count``
is how many items there are across all pages; a page past the last has no results. A list about
one thing (an opportunity's questions, a lot's interests, a conversation's messages) keeps that
thing's own fields beside these four. Out-of-range values are a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from ninja import Field, Schema

MAX_PAGE_SIZE = 100

PAGINATION_DOC = (
    "Every list pages the same way: `?page=` (from 1) and `?page_size=` (1 to "
    f"{MAX_PAGE_SIZE}, default {settings.PAGE_SIZE}); the answer has `count` (items across all "
    "pages), `page`, `page_size` and `results`. A page past the last has no results."
)


class PageQuery(Schema):
    """The query parameters of every list."""

    page: int = Field(1, ge=1, description="Which page, from 1.")
    page_size: int = Field(
        settings.PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items a page, at most 100."
    )


class Page(Schema):
    """The fields every list answers with, beside its ``results``."""

    count: int = Field(description="How many items there are, across all pages.")
    page: int
    page_size: int


def page_of(items: Any, query: PageQuery) -> dict[str, Any]:
    """``{"count", "page", "page_size", "results"}`` for one page of ``items`` (a queryset in a
    fixed order, or a list); ``results`` holds the items themselves, for the caller to shape."""
    paginator = Paginator(items, query.page_size)
    results = (
        list(paginator.page(query.page).object_list) if query.page <= paginator.num_pages else []
    )
    return {
        "count": paginator.count,
        "page": query.page,
        "page_size": query.page_size,
        "results": results,
    }


def last_page(count: int, page_size: int = settings.PAGE_SIZE) -> PageQuery:
    """The page that holds the newest of ``count`` items listed oldest first."""
    return PageQuery(page=max(1, -(-count // page_size)), page_size=page_size)
