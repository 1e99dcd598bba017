"""Benchmarks of the framework-free analytics core (no database, no server).

Each prints its figure against the issue's target; timings are the best of a few runs of the
same work, on the same synthetic data, so a one-off hiccup of the 2-core machine does not count.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from decimal import Decimal

from commissioning_analytics.lots.accessibility import accessibility_report
from commissioning_analytics.lots.conditions import LotSpec
from commissioning_analytics.lots.market import market_columns_from_synthetic
from commissioning_analytics.market.geography import AREAS, SPECIALISMS
from commissioning_analytics.market.synthetic import generate_market
from commissioning_analytics.payments import calculate, parse_mechanism, parse_observed
from commissioning_analytics.payments.loader import example_document


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def payments_calculation(contracts: int = 1000, periods: int = 20) -> str:
    """Issue 5: payment calculation for 1,000 contracts x 20 periods, target <= 2 s."""
    document = copy.deepcopy(example_document("illustrative-supply-chain"))
    document["volume_fees"] = [{"id": "attach", "event": "attachment", "tariff": "400.00"}]
    document["supply_chain"][0]["volume_fee_share"] = "0.5"
    mechanism = parse_mechanism(document)
    observed_periods = []
    for n in range(1, periods + 1):
        period: dict[str, object] = {
            "period": n,
            "start": "2026-01-01",
            "end": "2026-01-28",
            "volumes": [{"event": "attachment", "count": 10 + n}],
            "outcomes": [
                {
                    "measure": "binary-reconviction",
                    "cohort": f"c{n}",
                    "cohort_size": 400,
                    "observed": "41.5",
                    "reference": "45.0",
                }
            ],
        }
        observed_periods.append(period)
    observed = parse_observed(
        {"format_version": 1, "mechanism": mechanism.id, "periods": observed_periods}, mechanism
    )
    lines = len(calculate(mechanism, observed).lines)
    seconds = best_of(2, lambda: [calculate(mechanism, observed) for _ in range(contracts)])
    return (
        f"payments: {contracts:,} contracts x {periods} periods ({lines * contracts:,} lines) "
        f"in {seconds:.2f} s (target <= 2 s)"
    )


def lot_accessibility(lots_count: int = 50) -> str:
    """Issue 3: the lot accessibility report on the 10x market (17,000+ providers)."""
    columns = market_columns_from_synthetic(generate_market(2026, 10.0))
    regions = [area.slug for area in AREAS if area.kind == "probation_region"]
    specialisms = [specialism.slug for specialism in SPECIALISMS]
    lots = [
        LotSpec(
            f"Lot {i}",
            (regions[i % len(regions)],) if i % 2 else ("england-and-wales",),
            Decimal(100_000 + 50_000 * i),
            36,
            tuple(specialisms[i % 16 : i % 16 + 1 + i % 3]),
            Decimal(i % 4) if i % 4 else None,
            Decimal(3) if i % 2 else None,
        )
        for i in range(lots_count)
    ]
    seconds = best_of(3, lambda: accessibility_report(columns, lots))
    return (
        f"lot accessibility: {len(columns):,} providers x {lots_count} lots with split "
        f"suggestions in {seconds:.2f} s"
    )


def main() -> None:
    print("analytics core")
    for benchmark in (payments_calculation, lot_accessibility):
        print("  " + benchmark())


if __name__ == "__main__":
    main()
