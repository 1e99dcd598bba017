"""Key-based caching of whole public pages for anonymous visitors (issue 21, speed).

A page is cached under a key of everything it shows: its address (path and query string), the
day (so that nothing dated "today" outlives its day) and a *data version* of the apps it reads.
Nothing expires by time alone, except a page that says when it will change by the clock
(:func:`cache_until`, for a deadline that passes).

The data version is a *generation token* kept in the cache: one ``get`` a request. Every
statement that writes a project table gives it a new random value: an execute wrapper on each
database connection sees the ``INSERT``, ``UPDATE`` and ``DELETE`` itself, so ``save()``,
``delete()``, many-to-many changes, ``QuerySet.update()``, ``bulk_create``, ``bulk_update`` and
raw SQL through Django all count, which save signals alone would not. The token changes when
the statement runs and again once its transaction commits, so a page rendered from the old data
between the two is not kept under the new key. A random token, not a counter, so that two
workers changing it at once can never land on an earlier value, and an evicted token is replaced
by a fresh one, never a reused one. One token for every page, not one per app: a page that
forgot to name an app it reads still cannot be stale. Django's own bookkeeping (sessions,
sign-in attempts, the cache table) and the sign-in time saved on each login are not project
data and leave the token alone, so signing in does not empty the cache.

What a connection wrapper cannot see — a write from outside Django (psql, another program), or
from a process whose cache is not this one — is caught by a check: the aggregate of the page's
apps' tables (per table the row count and the latest ``updated_at`` or highest key) is compared
with the last one seen, and a difference gives a new token. With a shared cache
(``CACHE_BACKEND``, as several workers need) the check runs at most every
:data:`CHECK_SECONDS` per process and page's apps, so a request costs two cache reads (the token
and the page); with
the per-process ``LocMemCache`` (the demo, the tests) another process's writes are invisible to
the tokens, so the check runs on every request, as before (``PAGE_CACHE_CHECK_SECONDS`` in the
settings overrides either).

Only anonymous ``GET``/``HEAD`` requests with no pending messages and no ``Authorization``
header are served from or stored in the cache, and a response is stored only when rendering it
used no CSRF token and set no cookie: nothing of who asks can be cached, and a signed-in page is
never served to anyone.

Each process also keeps the pages it served most recently in its own memory
(:data:`HOT_BYTES` at most, least recently used first out), under the same key: with a shared
cache a page then costs one cache read (the token), not two, and a large body (the bulk
open-data files) is not fetched and unpickled again on every request. The key holds the token,
so this copy is never staler than the shared one, and it keeps a page that changes by the clock
no longer than the cache would.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache as memoise
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

#: Pages live until a change gives them a new key; the timeout only frees memory.
PAGE_CACHE_SECONDS = 60 * 60
#: How often, at most, a process compares the tables' aggregate with a shared cache's tokens.
CHECK_SECONDS = 30.0
GENERATION_KEY = "pagecache:generation"
UNTIL_ATTRIBUTE = "page_cache_until"

View = Callable[..., HttpResponse]

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
#: The sign-in time Django saves on every login (``update_last_login``): shown on no page.
_LAST_LOGIN_ONLY = re.compile(r'\s*UPDATE\s+"accounts_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE')


_checked: dict[tuple[str, ...], float] = {}

#: Bytes of pages each process keeps in its own memory besides the cache.
HOT_BYTES = 48 * 1024 * 1024


class _HotPages:
    """The pages this process served last: key -> (content, content type, expiry on the
    ``time.time()`` clock), least recently used evicted first, within :data:`HOT_BYTES`."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[bytes, str, float]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page[2] <= time.time():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page[0], page[1]

    def put(self, key: str, content: bytes, content_type: str, seconds: float) -> None:
        if seconds <= 0 or len(content) > HOT_BYTES // 4:
            return
        with self._lock:
            self._drop(key)
            self._pages[key] = (content, content_type, time.time() + seconds)
            self._size += len(content)
            while self._size > HOT_BYTES:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0

    def _drop(self, key: str) -> None:
        page = self._pages.pop(key, None)
        if page is not None:
            self._size -= len(page[0])


hot_pages = _HotPages()


def _new_token() -> str:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    return token


def _bump_now() -> None:
    _new_token()


def bump(sender: Any = None, **_: Any) -> None:
    """Give every cached page a new key: now, and again once the transaction commits."""
    _new_token()
    transaction.on_commit(_bump_now)


@memoise
def _project_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for label in _project_apps()
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def _writes_project_table(sql: str) -> bool:
    if sql.lstrip()[:6].upper() not in ("INSERT", "UPDATE", "DELETE"):
        return False
    found = _WRITE.match(sql)
    if found is None or _LAST_LOGIN_ONLY.match(sql):
        return False
    return found.group(1) in _project_tables()


def _watch_writes(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _writes_project_table(sql):
        bump()
    return result


def _install(sender: Any = None, connection: Any = None, **_: Any) -> None:
    if connection is not None and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_signals() -> None:
    """Watch every database connection's writes (see the module's docstring)."""
    connection_created.connect(_install, dispatch_uid="pagecache-writes")


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


@memoise
def _project_apps() -> tuple[str, ...]:
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("commissioning.") and list(config.get_models())
    )


def _check_seconds() -> float:
    configured = getattr(settings, "PAGE_CACHE_CHECK_SECONDS", None)
    if configured is not None:
        return float(configured)
    per_process = "LocMemCache" in settings.CACHES["default"]["BACKEND"]
    return 0.0 if per_process else CHECK_SECONDS


def _check(labels: tuple[str, ...]) -> None:
    """Compare the tables' aggregate with the last one seen; new tokens when it differs."""
    now = time.monotonic()
    if now - _checked.get(labels, -1e18) < _check_seconds():
        return
    _checked[labels] = now
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(labels))
        state = hashlib.sha256(repr(cursor.fetchone()).encode()).hexdigest()
    key = "pagecache:aggregate:" + hashlib.sha256(",".join(labels).encode()).hexdigest()
    if cache.get(key) != state:
        _new_token()
        cache.set(key, state, None)


def data_version(app_labels: Iterable[str]) -> str:
    """What changes when any project record changes: the generation token, after checking the
    aggregate of these apps' tables (every project app's when ``app_labels`` is empty) when it
    is due."""
    _check(tuple(sorted(app_labels)) or _project_apps())
    token = cache.get(GENERATION_KEY)
    if token is None:  # first use, or evicted: a fresh token, never an old one
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY)
    return str(token)


def cache_until(response: HttpResponse, *moments: datetime | None) -> HttpResponse:
    """Keep ``response`` cached only until the first of ``moments`` still to come: a page that
    changes by the clock (a deadline passing) and not by a write."""
    now = timezone.now()
    upcoming = [moment for moment in moments if moment is not None and moment > now]
    if upcoming:
        setattr(response, UNTIL_ATTRIBUTE, min(upcoming))
    return response


def _cacheable_request(request: HttpRequest, anyone: bool) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.user.is_authenticated and not anyone:
        return False
    if "messages" in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_messages"))


def _cacheable_response(request: HttpRequest, response: Any) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def _seconds_to_keep(response: HttpResponse) -> int:
    until: datetime | None = getattr(response, UNTIL_ATTRIBUTE, None)
    if until is None:
        return PAGE_CACHE_SECONDS
    return min(PAGE_CACHE_SECONDS, int((until - timezone.now()).total_seconds()))


def page_key(request: HttpRequest, app_labels: Iterable[str]) -> str:
    query = request.META.get("QUERY_STRING", "")
    address = f"{request.path}?{query}|{request.headers.get('HX-Request', '')}"
    today = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{address}|{today}|{data_version(app_labels)}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


def _stored_page(key: str) -> tuple[bytes, str] | None:
    """The page stored under ``key``: this process's copy, or the shared cache's, which this
    process then keeps until the same expiry."""
    page = hot_pages.get(key)
    if page is None:
        shared = cache.get(key)  # (content, content type, expiry on time.time())
        if shared is not None:
            content, content_type, expires = shared
            hot_pages.put(key, content, content_type, expires - time.time())
            page = content, content_type
    return page


def public_page(*app_labels: str, anyone: bool = False) -> Callable[[View], View]:
    """Cache the view's page for anonymous visitors under its address and the data version of
    ``app_labels`` (the apps whose records the page shows; every project app if none). With
    ``anyone`` the response is served to signed-in users too: only for responses that carry
    nothing of who asks (the bulk open-data files). A view whose page changes by the clock
    says until when it holds with :func:`cache_until`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request, anyone):
                return view(request, *args, **kwargs)
            key = page_key(request, app_labels)
            stored = _stored_page(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if _cacheable_response(request, response):
                seconds = _seconds_to_keep(response)
                if seconds > 0:
                    content, content_type = response.content, response["Content-Type"]
                    cache.set(key, (content, content_type, time.time() + seconds), seconds)
                    hot_pages.put(key, content, content_type, seconds)
            return response

        return wrapped

    return decorate
