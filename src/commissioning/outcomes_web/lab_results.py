"""A study's headline in the Justice Data Lab's wording, from its stored result (OUT-1, issue 17).

A study measures one outcome. When that outcome is one of the Lab's headline measures computed
by the core (:mod:`commissioning_analytics.outcomes.measures`: ``reoffended`` is the one-year
proven reoffending rate, ``reoffences`` the frequency), the page leads with the Lab's wording;
for any other outcome there is no Lab headline and none is invented. The time to first
reoffence among those who reoffend is not computed by a study yet (its ``days_to_first`` counts
the whole follow-up year for those who do not reoffend), so it gets no headline either.
"""

from __future__ import annotations

from typing import Any

from commissioning_analytics.outcomes.lab_wording import (
    CAVEATS,
    LabWording,
    MeasureKind,
    MeasureResult,
    lab_wording,
)

LAB_MEASURES = {"reoffended": MeasureKind.RATE, "reoffences": MeasureKind.FREQUENCY}
"""The outcome columns that are the Lab's measures, by the core's names."""

__all__ = ["CAVEATS", "LAB_MEASURES", "MEASURE_NAMES", "lab_headlines"]

MEASURE_NAMES = {
    MeasureKind.RATE: "One-year proven reoffending rate",
    MeasureKind.FREQUENCY: "Proven reoffences per 100 people",
    MeasureKind.TIME_TO_FIRST: "Time to first proven reoffence",
}


def lab_headlines(result: dict[str, Any]) -> list[tuple[str, LabWording]]:
    """``(measure name, wording)`` for each Lab measure the stored ``result`` holds (the full
    or the published result: both carry the figures used here)."""
    kind = LAB_MEASURES.get(str(result.get("outcome")))
    cohort = result.get("n_matched_treated")
    if kind is None or not isinstance(cohort, int):
        return []
    if kind is MeasureKind.RATE and result.get("outcome_type") != "binary":
        return []
    figures: list[float] = []
    for key in ("treated_mean", "comparison_mean", "ci_low", "ci_high", "p_value"):
        value = result.get(key)
        if not isinstance(value, int | float):
            return []  # a figure the engine could not compute (stored as null): no headline
        figures.append(float(value))
    cohort_value, comparison_value, low, high, p_value = figures
    measure = MeasureResult(kind, cohort_value, comparison_value, low, high, p_value, cohort)
    return [(MEASURE_NAMES[kind], lab_wording(measure))]
