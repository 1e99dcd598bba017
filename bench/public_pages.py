"""The public pages issue 21 names, each with its target (p95 at 50 concurrent clients): real
addresses from the loaded market, so every page answers 200 (bench/run.py's directory part)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: p95 targets in milliseconds (issue 21).
PAGE_TARGET_MS = 150.0
SEARCH_TARGET_MS = 100.0


@contextmanager
def shared_cache(table: str = "bench_page_cache") -> Iterator[None]:
    """As deployed with several workers (docs/deployment.md, ``CACHE_BACKEND``): one cache they
    share, in the database. The page cache then reads its generation token and the page, with
    no aggregate per request (``kernel/pagecache.py``). Set for the servers started inside."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    shared = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    with override_settings(CACHES={"default": shared}):
        call_command("createcachetable", verbosity=0)
    connection.close()
    before = {name: os.environ.get(name) for name in ("CACHE_BACKEND", "CACHE_LOCATION")}
    os.environ.update(CACHE_BACKEND=shared["BACKEND"], CACHE_LOCATION=shared["LOCATION"])
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def session_cookie(user: Any) -> str:
    """A new signed-in session for ``user`` (no second factor: a role that needs none), as the
    cookie header value a load client sends."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _detail_paths(queryset: object, limit: int = 8) -> list[str]:
    return [record.get_absolute_url() for record in queryset[:limit]]  # type: ignore[index]


def public_pages(terms: list[str]) -> dict[str, tuple[list[str], float]]:
    """Label -> (paths, p95 target in ms). Call with the database open, before the server."""
    from django.urls import reverse

    from commissioning.contracts.services import visible_contracts
    from commissioning.directory.models import Organisation
    from commissioning.exercises.models import CommissioningExercise
    from commissioning.procurement.services import visible_opportunities

    providers = Organisation.objects.filter(is_commissioning_body=False).order_by("name")
    opportunities = visible_opportunities(None).order_by("reference")
    pages: dict[str, list[str]] = {
        "home /": ["/"],
        "directory page /directory/": ["/directory/"],
        "directory page, filtered + paged": [
            f"/directory/?area=london&page={p}" for p in range(1, 6)
        ]
        + [f"/directory/?specialism=accommodation&size=small&page={p}" for p in range(1, 4)],
        "directory profiles": _detail_paths(providers, 20),
        "exercises list": [reverse("exercises:list")],
        "exercise detail": _detail_paths(CommissioningExercise.objects.order_by("reference")),
        "opportunities list": [reverse("procurement:list")],
        "opportunity detail": _detail_paths(opportunities),
        "contracts list": [reverse("contracts:list")],
        "contract detail": _detail_paths(visible_contracts().order_by("reference")),
        "published outcome studies": [reverse("outcomes:published")],
        "open data /opendata/": [reverse("opendata:index")],
        "open data releases.json": [reverse("opendata:releases")],
        "open data records.json": [reverse("opendata:records")],
    }
    targets = {label: (paths, PAGE_TARGET_MS) for label, paths in pages.items() if paths}
    targets["directory search API /api/organisations?q="] = (
        [f"/api/organisations?q={t}" for t in terms],
        SEARCH_TARGET_MS,
    )
    return targets
