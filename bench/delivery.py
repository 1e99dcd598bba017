"""Delivery at scale (issue 14, "Speed"): 200 contracts over five years with about 1,000,000
referral events and 100,000 invoices with their payments, all synthetic and seeded; then the
drafting targets and the contract pages under load, each printed beside its target.

Targets (on PostgreSQL, the 2-core machine):

* drafting every contract's quarterly return (SUP-1), every bid-candy flag (SUP-2) and every
  commissioning body's payments-compliance figures for one half-year (LAW-3) together ≤ 5 s;
* a contract's referral list and statement pages p95 ≤ 300 ms at 20 concurrent signed-in
  clients.

The records are written by :mod:`delivery_records`. Then every contract's quarterly return and
bid-candy flags are drafted, with every body's payments compliance, against the drafting target,
and the two pages are loaded.

Run alone: ``BENCH_ONLY=delivery make bench`` (docs/benchmarks.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from delivery_records import SEED, YEARS, build, existing
from public_pages import session_cookie

CONCURRENCY = 20
USERNAME = "bench-prime-member"

TARGET_DRAFTING_S = 5.0
TARGET_P95_MS = 300.0


def _draft_returns(contracts: list[Any], quarter: date) -> Any:
    """Every contract's quarterly supply-chain return for ``quarter``, drafted from the records
    (SUP-1): one call for all running contracts, as the daily command makes it."""
    from commissioning.supply_returns.services import draft_quarter

    return draft_quarter(quarter)


def _bid_candy_flags(contracts: list[Any], quarter: date) -> Any:
    """Every contract's bid-candy flags (SUP-2): promised against received for each named
    sub-contractor, quarter by quarter, up to the end of ``quarter``."""
    from commissioning.delivery_checks.services import promises_kept

    after = quarter + timedelta(days=100)
    return [promises_kept(contract, after.replace(day=1)) for contract in contracts]


#: What the drafting target times beside payments compliance: (label, function of the contracts
#: and the quarter's first day).
HOOKS: dict[str, Callable[[list[Any], date], Any]] = {
    "quarterly returns, every contract": _draft_returns,
    "bid-candy flags, every contract": _bid_candy_flags,
}

# ---------------------------------------------------------------- drafting


def _half_year(today: date) -> Any:
    """The last complete six-month reporting period before ``today``."""
    from commissioning_analytics.cashflow.prompt_payment import ReportingPeriod

    current = ReportingPeriod.containing(today)
    return ReportingPeriod.containing(current.first_day - timedelta(days=1))


def time_compliance(today: date) -> tuple[float, int]:
    """Every commissioning body's payments-compliance figures for one half-year."""
    from commissioning.invoices import compliance

    period = _half_year(today)
    started = time.perf_counter()
    figures = compliance.bodies_figures(period)
    return time.perf_counter() - started, len(figures)


def _hook(label: str, contracts: list[Any], quarter: date) -> tuple[float, str]:
    """Seconds the drafting of ``label`` took, and the function that did it."""
    function = HOOKS[label]
    started = time.perf_counter()
    function(contracts, quarter)
    return time.perf_counter() - started, function.__name__.lstrip("_")


# ---------------------------------------------------------------- load


def signed_in_cookie(contract: Any) -> str:
    """A session for a member of the contract's prime (provider role: no second factor), who
    sees every referral under it; returns the cookie header value."""
    from django.utils import timezone

    from commissioning.accounts.models import Membership, User

    user, _ = User.objects.get_or_create(
        username=USERNAME,
        defaults={"role": User.Role.PROVIDER, "email": "bench-prime-member@example.invalid"},
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.update_or_create(
        user=user,
        organisation_id=contract.prime_id,
        defaults={"status": Membership.Status.APPROVED, "decided_at": timezone.now()},
    )
    return session_cookie(user)


def load_lines(contracts: list[Any], port: int, seconds: float) -> list[str]:
    from loadgen import run_load

    chosen = contracts[:: max(1, len(contracts) // 10)][:10]
    for contract in chosen[1:]:
        signed_in_cookie(contract)  # the same member of each chosen contract's prime
    cookies = [signed_in_cookie(chosen[0]) for _ in range(CONCURRENCY)]
    lines = [
        f"load: {CONCURRENCY} concurrent signed-in clients (a prime's member, a session each), "
        f"{seconds:g} s per page, {len(chosen)} contracts in turn"
    ]
    for label, suffix in (("referral list", "referrals"), ("statements", "statements")):
        paths = [f"/contracts/{c.reference}/{suffix}/" for c in chosen]
        run_load(label, port, paths[:3], concurrency=5, duration_s=2, cookies=cookies)
        result = run_load(
            f"{label} /contracts/<ref>/{suffix}/",
            port,
            paths,
            concurrency=CONCURRENCY,
            duration_s=seconds,
            cookies=cookies,
        )
        p95 = result.percentile(95)
        met = p95 <= TARGET_P95_MS and not result.errors
        lines.append(f"{result.summary()}  (target p95 ≤ {TARGET_P95_MS:g} ms: {_met(met)})")
        if result.errors:
            lines.append(f"  statuses: {result.statuses}")
    return lines


def _met(met: bool) -> str:
    return "met" if met else "MISSED"


def main(serve: Callable[[], AbstractContextManager[int]], seconds: float) -> Iterator[str]:
    """Build the records, time the drafting, load the pages under ``serve`` (a context giving
    the port of a running server); yields the printed lines as they come."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    made = existing() if os.environ.get("BENCH_DELIVERY_REUSE") else None
    made = made or build(today)
    yield (
        f"delivery records (synthetic, seed {SEED}): {len(made.contracts)} contracts, "
        f"{made.referrals:,} referrals, {made.events:,} referral events, "
        f"{made.invoices:,} invoices, {made.payments:,} payments over {YEARS} years; written in "
        + ", ".join(f"{k} {v:.1f} s" for k, v in made.seconds.items())
    )
    last_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    quarter = date(last_quarter.year, 3 * ((last_quarter.month - 1) // 3) + 1, 1)
    total = 0.0
    for label in HOOKS:
        seconds_taken, where = _hook(label, made.contracts, quarter)
        total += seconds_taken
        yield f"{label}: {seconds_taken:.2f} s ({where})"
    compliance_s, bodies = time_compliance(today)
    total += compliance_s
    yield f"payments compliance, every body ({bodies}), one half-year: {compliance_s:.2f} s"
    yield (
        f"drafting together: {total:.2f} s (target ≤ {TARGET_DRAFTING_S:g} s: "
        f"{_met(total <= TARGET_DRAFTING_S)})"
    )
    connection.close()
    with serve() as port:
        yield from load_lines(made.contracts, port, seconds)
