"""`make bench`: the analytics core's benchmarks (bench/core.py), the outcome matching beside
causalml's run in its own environment (bench/peers.py), the demo's loading and replacing times
(bench/demo_loading.py), the directory page and directory search API under load, on
PostgreSQL, with the 10x market, then delivery at scale (bench/delivery.py: referrals, invoices,
the drafting targets and a contract's referral and statement pages under signed-in load), then
a study against a national extract of 2,000,000 people (bench/outcomes_extract.py, no database),
and the same extract loaded and studied through the platform (bench/outcomes_extract_web.py),
then the market map for England and Wales with five years of payments (bench/market.py).
``BENCH_ONLY=delivery`` (or any comma-separated parts) runs only those parts.

Prints p50/p95/p99 latency and requests/s at 50 concurrent clients for each target. Everything is
bounded: each target runs for BENCH_SECONDS (default 15 s) or 20,000 requests, on loopback only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
# The development settings (public keys, plain http): the bench serves on 127.0.0.1.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings_dev")

SEED = int(os.environ.get("BENCH_SEED", "2026"))
SCALE = float(os.environ.get("BENCH_SCALE", "10"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database() -> dict[str, int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print(f"warning: benchmarking on {connection.vendor}, not PostgreSQL", file=sys.stderr)
    call_command("migrate", verbosity=0)
    from commissioning.demo.services import load_market
    from commissioning_analytics.market.synthetic import generate_market

    started = time.perf_counter()
    market = generate_market(seed=SEED, scale=SCALE)
    generated = time.perf_counter()
    load_market(market, replace=True)
    loaded = time.perf_counter()
    from commissioning.directory.models import Organisation

    providers = Organisation.objects.filter(is_commissioning_body=False).count()
    print(
        f"market: seed {SEED}, scale {SCALE:g}: {providers:,} providers; "
        f"generated in {generated - started:.2f} s, loaded in {loaded - generated:.2f} s"
    )
    connection.close()
    return {"providers": providers}


def wait_until_up(port: int, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/directory/", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not come up")


def search_terms() -> list[str]:
    from commissioning.directory.models import Organisation

    names = Organisation.objects.filter(is_commissioning_body=False).values_list("name", flat=True)
    words = sorted({w.lower() for name in names[:400] for w in name.split() if len(w) > 4})
    return words[:40] or ["trust"]


@contextmanager
def gunicorn() -> Iterator[int]:
    """The project under gunicorn on a free loopback port, stopped on leaving."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), LOG_LEVEL="ERROR")
    server = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "commissioning.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            "--backlog=2048",
            # A busy shared machine can take over gunicorn's default 30 s to import the project
            # in four workers at once.
            "--timeout=120",
            "--log-level=warning",
        ],
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(port, timeout_s=180)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)


def core_and_peers() -> None:
    import tempfile

    import core
    import peers

    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        data = Path(tmp) / "matching.npz"  # the same logits for our matching and causalml's
        figures = core.main(peer_data=data)
        print()
        for line in peers.compare(data, figures.ours):
            print(line)
    print()


def directory_load() -> None:
    from django.db import connection
    from public_pages import (
        SIGNED_IN_CONCURRENCY,
        SIGNED_IN_TARGET_MS,
        load_demo_records,
        public_pages,
        shared_cache,
        signed_in_pages,
    )

    print(load_demo_records(SEED))
    targets = public_pages(search_terms())  # every public page issue 21 names, with targets
    signed_in = signed_in_pages()
    connection.close()
    with shared_cache(), gunicorn() as port:
        print(
            f"\nload: {CONCURRENCY} concurrent clients, {SECONDS:g} s per target, "
            f"gunicorn {WORKERS} sync workers sharing a cache in the database, PostgreSQL"
        )
        for label, (paths, target_ms) in targets.items():
            _load_and_print(label, port, paths, CONCURRENCY, target_ms)
        print(
            f"load: {SIGNED_IN_CONCURRENCY} concurrent signed-in clients (a session each), "
            f"{SECONDS:g} s per page"
        )
        for label, (paths, cookies) in signed_in.items():
            _load_and_print(label, port, paths, SIGNED_IN_CONCURRENCY, SIGNED_IN_TARGET_MS, cookies)
    from commissioning.demo.procurement import delete_demo_procurement

    delete_demo_procurement()  # the later parts start from the market and the demo contracts
    connection.close()


def _load_and_print(
    label: str,
    port: int,
    paths: list[str],
    concurrency: int,
    target_ms: float,
    cookies: list[str] | None = None,
) -> None:
    """A short warm-up, then ``concurrency`` clients for ``SECONDS``; prints the figures."""
    from loadgen import run_load

    run_load(label, port, paths[:3], concurrency=5, duration_s=2, cookies=cookies or ())
    result = run_load(
        label,
        port,
        paths,
        concurrency=concurrency,
        duration_s=SECONDS,
        cookies=cookies or (),
        target_ms=target_ms,
    )
    print(result.summary(), flush=True)
    if result.errors:
        print(f"  statuses: {result.statuses}")


def main() -> int:
    """Every part in turn, or only those ``BENCH_ONLY`` names (comma-separated: core, demo,
    directory, delivery, outcomes_extract, outcomes_extract_web, market; docs/benchmarks.md)."""
    parts = (
        "core",
        "demo",
        "directory",
        "delivery",
        "outcomes_extract",
        "outcomes_extract_web",
        "market",
    )
    only = [p.strip() for p in os.environ.get("BENCH_ONLY", "").split(",") if p.strip()]
    unknown = sorted(set(only) - set(parts))
    if unknown:
        print(f"BENCH_ONLY: unknown part(s) {', '.join(unknown)}; the parts: {', '.join(parts)}")
        return 2
    chosen = only or list(parts)
    if "core" in chosen:
        core_and_peers()
    reuse = os.environ.get("BENCH_DELIVERY_REUSE") or os.environ.get("BENCH_MARKET_REUSE")
    if set(chosen) <= {"delivery", "market"} and reuse:
        import django

        django.setup()  # the last run's market and records, kept: reloading the market drops them
    elif set(chosen) - {"core", "outcomes_extract", "outcomes_extract_web"}:
        prepare_database()
    if "demo" in chosen:
        import demo_loading

        for line in demo_loading.main():
            print(line)
    if "directory" in chosen:
        directory_load()
    if "delivery" in chosen:
        import delivery

        print()
        for line in delivery.main(gunicorn, SECONDS):
            print(line, flush=True)
    if "outcomes_extract" in chosen:
        import outcomes_extract

        print()
        for line in outcomes_extract.main():
            print(line, flush=True)
    if "outcomes_extract_web" in chosen:  # its own processes and SQLite database
        import outcomes_extract_web

        print()
        for line in outcomes_extract_web.main():
            print(line, flush=True)
    if "market" in chosen:
        import market

        print()
        for line in market.main(gunicorn, SECONDS):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
