"""The pages issue 21 names, each with its target: the public pages (p95 at 50 concurrent
clients) from real addresses of the loaded market and the demo's synthetic procurement and
contracts, so every page answers 200, and a bid and an evaluation signed in (p95 at 20 clients;
the statement and the referral list are in the delivery part). bench/run.py's directory part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: p95 targets in milliseconds (issue 21).
PAGE_TARGET_MS = 150.0
SEARCH_TARGET_MS = 100.0
SIGNED_IN_TARGET_MS = 300.0
SIGNED_IN_CONCURRENCY = 20


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
    """A new signed-in session for ``user``, as the cookie header value a load client sends; for
    a role that must use two-factor sign-in, the session has passed it with the user's
    authenticator (the demo users have one)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from commissioning.accounts import two_factor

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if two_factor.is_required(user):
        device = two_factor.authenticator(user)
        if device is None:
            raise RuntimeError(f"{user.username} must use two-factor sign-in and has no device")
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
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


def load_demo_records(seed: int) -> str:
    """The demo's synthetic contracts and procurement (opportunities at every stage, bids,
    evaluations, awards) on top of the market, so the detail pages, the bulk files and the
    signed-in pages have records; returns the printed line."""
    from commissioning.demo.contracts import load_demo_contracts
    from commissioning.demo.procurement import load_demo_procurement
    from commissioning.demo.services import create_demo_users

    create_demo_users()
    load_demo_contracts(seed=seed)
    made = load_demo_procurement(seed=seed)
    return (
        f"demo records (synthetic, seed {seed}): the demo contracts, {made['opportunities']} "
        f"opportunities, {made['bids']} bids, {made['evaluator_assignments']} evaluator "
        "assignments in evaluation"
    )


def signed_in_pages() -> dict[str, tuple[list[str], list[str]]]:
    """Label -> (paths, session cookies): the demo charity worker's bid and the demo evaluator's
    assignments (every opportunity they score), each client with a session of its own of the
    person who may see them. Call after :func:`load_demo_records`, before the server."""
    from commissioning.accounts.models import User
    from commissioning.bids.models import Bid
    from commissioning.evaluation.models import EvaluatorAssignment

    provider = User.objects.get(username="provider")
    evaluator = User.objects.get(username="evaluator")
    bids = Bid.objects.filter(created_by=provider).order_by("pk")
    assignments = EvaluatorAssignment.objects.filter(evaluator=evaluator).select_related(
        "criterion__opportunity"
    )
    return {
        "a bid /bids/<pk>/ (its bidder)": (
            [f"/bids/{bid.pk}/" for bid in bids],
            [session_cookie(provider) for _ in range(SIGNED_IN_CONCURRENCY)],
        ),
        "an evaluation /evaluation/<ref>/assignments/<pk>/": (
            [
                f"/evaluation/{a.criterion.opportunity.reference}/assignments/{a.pk}/"
                for a in assignments.order_by("pk")
            ],
            [session_cookie(evaluator) for _ in range(SIGNED_IN_CONCURRENCY)],
        ),
    }
