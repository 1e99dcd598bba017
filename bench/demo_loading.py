"""How long the demo's synthetic records take to load and to replace (`make bench`).

These were once timed assertions inside the integration tests, where a busy CI machine made them
fail at random; a speed target is a benchmark's figure, printed beside its target, not a test.
Runs on the benchmark's database after the market is loaded: the demo users, the contracts, the
procurement story and the outcome studies, each loaded and then replaced once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: Targets in seconds on this 2-core machine (the figures the old assertions held).
TARGETS = {
    "demo contracts, replaced": 2.0,
    "demo procurement, replaced": 8.0,
    "demo outcome studies": 60.0,
}


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> list[str]:
    """Load each part of the demo, replace it, and return one printed line per figure."""
    from commissioning.demo.contracts import load_demo_contracts
    from commissioning.demo.outcome_studies import load_demo_studies
    from commissioning.demo.procurement import delete_demo_procurement, load_demo_procurement
    from commissioning.demo.services import create_demo_users

    create_demo_users()
    figures = {
        "demo contracts, first load": _timed(lambda: load_demo_contracts(seed=2026)),
        "demo contracts, replaced": _timed(lambda: load_demo_contracts(seed=2026)),
        "demo procurement, first load": _timed(lambda: load_demo_procurement(seed=2026)),
        "demo procurement, replaced": _timed(lambda: load_demo_procurement(seed=2026)),
        "demo outcome studies": _timed(lambda: load_demo_studies(seed=2026)),
    }
    delete_demo_procurement()
    lines = []
    for label, seconds in figures.items():
        target = TARGETS.get(label)
        verdict = "" if target is None else f" (target ≤ {target:g} s: {_met(seconds, target)})"
        lines.append(f"{label}: {seconds:.2f} s{verdict}")
    return lines


def _met(seconds: float, target: float) -> str:
    return "met" if seconds <= target else "MISSED"
