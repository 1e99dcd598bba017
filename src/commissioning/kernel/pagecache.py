"""Key-based caching of whole public pages for anonymous visitors (issue 21, speed).

A page is cached under a key of everything it shows: its address (path and query string) and
a *data version* of the apps it reads. The version is one aggregate query (per table: the row
count and the latest ``updated_at``, or the highest primary key where a table has none) plus a
generation counter that every save, delete and many-to-many change bumps. So a change made
through the service gives the page a new key at once: the page is never stale, and nothing
expires by time alone. Keep the cache shared between processes (``CACHE_BACKEND``) in
production so that the generation counter is seen by every worker.

Only anonymous ``GET``/``HEAD`` requests with no pending messages are served from or stored
in the cache, and a response is stored only when rendering it used no CSRF token and set no
cookie: nothing of who asks can be cached, and a signed-in page is never served to anyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as memoise
from functools import wraps
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

#: Pages live until a change gives them a new key; the timeout only frees memory.
PAGE_CACHE_SECONDS = 60 * 60
GENERATION_KEY = "pagecache:generation"

View = Callable[..., HttpResponse]


def _bump_now() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def bump(sender: Any = None, **_: Any) -> None:
    """Give every cached page a new key: now, and again once the transaction commits (so a
    page rendered from the old data between the two is not kept under the new key). Only the
    project's own records count: sessions and sign-in bookkeeping never show on a page."""
    if sender is not None and not getattr(sender, "__module__", "").startswith("commissioning."):
        return
    _bump_now()
    transaction.on_commit(_bump_now)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(bump, dispatch_uid=f"pagecache-{id(signal)}")


_INTEGER_KEYS = frozenset(
    {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}
)


@memoise
def _version_sql(app_labels: tuple[str, ...]) -> str:
    parts = []
    quote = connection.ops.quote_name
    for label in app_labels:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = quote(model._meta.db_table)
            field_names = {field.name for field in model._meta.concrete_fields}
            key = model._meta.pk.column or "id"
            if "updated_at" in field_names:
                latest = quote("updated_at")
            elif model._meta.pk.get_internal_type() in _INTEGER_KEYS:
                latest = quote(key)
            else:  # a UUID or text key: PostgreSQL has no MAX of a UUID
                latest = f"CAST({quote(key)} AS TEXT)"
            parts.append(f"(SELECT COUNT(*) FROM {table})")
            parts.append(f"(SELECT MAX({latest}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def _project_apps() -> tuple[str, ...]:
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("commissioning.") and list(config.get_models())
    )


def data_version(app_labels: Iterable[str]) -> str:
    """One query's worth of what changes when any row of these apps' tables changes (every
    project app's when ``app_labels`` is empty)."""
    labels = tuple(sorted(app_labels)) or _project_apps()
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(labels))
        row = cursor.fetchone()
    return f"{cache.get(GENERATION_KEY, 0)}:{row}"


def _cacheable_request(request: HttpRequest, anyone: bool) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated and not anyone:
        return False
    if "messages" in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_messages"))


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def page_key(request: HttpRequest, app_labels: Iterable[str]) -> str:
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.path}?{query}|{request.headers.get('HX-Request', '')}"
    digest = hashlib.sha256(f"{address}|{data_version(app_labels)}".encode()).hexdigest()
    return f"pagecache:{digest}"


def public_page(*app_labels: str, anyone: bool = False) -> Callable[[View], View]:
    """Cache the view's page for anonymous visitors under its address and the data version of
    ``app_labels`` (the apps whose records the page shows; every project app if none). With
    ``anyone`` the response is served to signed-in users too: only for responses that carry
    nothing of who asks (the bulk open-data files)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request, anyone):
                return view(request, *args, **kwargs)
            key = page_key(request, app_labels)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if _cacheable_response(request, response):
                cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorate
