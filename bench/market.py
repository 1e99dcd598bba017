"""The market map at national scale (issue 19, MKT-1): the 10x synthetic market with five years
of contracts and payments, and the market map for England and Wales under load.

Target (on PostgreSQL, the shared 2-core machine): the market map p95 ≤ 300 ms at 20 concurrent
clients. Anonymous visitors are served the whole page from the page cache (``kernel/pagecache.py``:
a generation token and the page, two reads of the shared cache), and its figures are computed
once per state of the records they come from (the stewardship views' cache), so the load
measures the cached page; the first, uncached render of each page is timed and printed beside
it. The workers
share one cache (PostgreSQL's, ``DatabaseCache``), as a deployment with several workers must.

The contracts and payments are :mod:`delivery_records`' (clones of the demo contracts under the
market's synthetic bodies and primes, invoices and payments each month of five years, COPY on
PostgreSQL); referrals are not needed here and are not written. When the delivery part ran first
its records are used as they are; ``BENCH_MARKET_REUSE=1`` keeps the market and records an earlier
run left instead of loading the market again.

Run alone: ``BENCH_ONLY=market make bench`` (docs/benchmarks.md).
"""

from __future__ import annotations

import random
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date

from delivery_records import (
    SEED,
    YEARS,
    Built,
    build_contracts,
    build_invoices,
    delete_bench_records,
    existing,
)
from public_pages import session_cookie, shared_cache

CONCURRENCY = 20
TARGET_P95_MS = 300.0

#: The pages loaded: the national market by each of three measures, and a region.
PATHS = [
    "/market/",
    "/market/?place=area:england-and-wales&measure=hhi",
    "/market/?place=area:england-and-wales&measure=providers",
    "/market/?place=area:london-probation-region&measure=four_firm",
]


def build(today: date) -> Built:
    """Replace the benchmark's contracts, invoices and payments (no referrals)."""
    from django.db import connection, transaction

    rng = random.Random(f"{SEED}:delivery")
    made = Built(contracts=[], bodies=[])
    started = time.perf_counter()
    with transaction.atomic():
        delete_bench_records()
        made.contracts, made.bodies = build_contracts(rng, today)
        made.invoices, made.payments = build_invoices(made.contracts, rng, today)
    made.seconds["contracts and payments"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("invoices_invoice", "invoices_payment", "contracts_contract"):
                cursor.execute(f"ANALYZE {table}")
    return made


def first_renders(port: int) -> list[str]:
    """Each page's first (uncached) render, one request at a time."""
    lines = []
    for path in PATHS:
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=600) as response:
            response.read()
        lines.append(f"  first render {path}: {(time.perf_counter() - started) * 1000:.0f} ms")
    return lines


def main(serve: Callable[[], AbstractContextManager[int]], seconds: float) -> Iterator[str]:
    """Build the records, then load the market map under ``serve``; yields the printed lines."""
    from django.utils import timezone

    from commissioning.directory.models import Organisation

    today = timezone.localdate()
    # The delivery part, when it ran first, left the same contracts and payments (loading the
    # market drops them, so any found are this run's or a kept earlier run's).
    made = existing() or build(today)
    providers = Organisation.objects.filter(is_commissioning_body=False).count()
    yield (
        f"market map records (synthetic, seed {SEED}): {providers:,} providers, "
        f"{len(made.contracts)} contracts, {made.invoices:,} invoices, {made.payments:,} "
        f"payments over {YEARS} years; written in "
        + ", ".join(f"{k} {v:.1f} s" for k, v in made.seconds.items())
    )
    with shared_cache("bench_market_cache"):
        yield from _load(serve, seconds)


def _load(serve: Callable[[], AbstractContextManager[int]], seconds: float) -> Iterator[str]:
    from loadgen import run_load

    with serve() as port:
        yield from first_renders(port)
        run_load("warm-up", port, PATHS, concurrency=8, duration_s=3)
        result = run_load(
            "market map /market/ (national, three measures, a region)",
            port,
            PATHS,
            concurrency=CONCURRENCY,
            duration_s=seconds,
        )
        met = result.percentile(95) <= TARGET_P95_MS and not result.errors
        yield (
            f"load: {CONCURRENCY} concurrent clients, {seconds:g} s\n{result.summary()}  "
            f"(target p95 ≤ {TARGET_P95_MS:g} ms: {_met(met)})"
        )
        if result.errors:
            yield f"  statuses: {result.statuses}"
        # Signed-in visitors are never served the page cache's copy: their page is rendered
        # each time from the figures' own cache (keyed by the same data version).
        cookies = signed_in_cookies(CONCURRENCY)
        run_load("warm-up, signed in", port, PATHS, concurrency=8, duration_s=3, cookies=cookies)
        signed_in = run_load(
            "market map, signed in (a session each)",
            port,
            PATHS,
            concurrency=CONCURRENCY,
            duration_s=seconds,
            cookies=cookies,
        )
        met = signed_in.percentile(95) <= TARGET_P95_MS and not signed_in.errors
        yield f"{signed_in.summary()}  (target p95 ≤ {TARGET_P95_MS:g} ms: {_met(met)})"
        if signed_in.errors:
            yield f"  statuses: {signed_in.statuses}"


def signed_in_cookies(count: int) -> list[str]:
    """A session each for ``count`` clients of one signed-in provider (no second factor, no
    organisation: the market map is the same for everyone); the cookie header values."""
    from commissioning.accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench-market-viewer",
        defaults={"role": User.Role.PROVIDER, "email": "bench-market-viewer@example.invalid"},
    )
    return [session_cookie(user) for _ in range(count)]


def _met(met: bool) -> str:
    return "met" if met else "MISSED"
