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

from commissioning.outcomes_web.formatting import count, difference, p_value, share
from commissioning_analytics.outcomes.lab_wording import (
    CAVEATS,
    LabWording,
    MeasureKind,
    MeasureResult,
    lab_wording,
    status_wording,
)

LAB_MEASURES = {"reoffended": MeasureKind.RATE, "reoffences": MeasureKind.FREQUENCY}
"""The outcome columns that are the Lab's measures, by the core's names."""

__all__ = ["CAVEATS", "LAB_MEASURES", "MEASURE_NAMES", "intermediate_findings", "lab_headlines"]

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


def intermediate_findings(result: dict[str, Any]) -> list[dict[str, str]]:
    """Each intermediate outcome the study evaluated (OUT-3), in the Lab's wording with its
    figures as the page shows them; a measure too few people have recorded gets its note in
    place of a headline. Works on the full and on the published result."""
    rows = []
    for row in result.get("intermediate") or []:
        keys = ("treated_mean", "comparison_mean", "ci_low", "ci_high", "p_value")
        figures = [row.get(key) for key in keys]
        recorded = row.get("n_recorded")
        headline = explanation = ""
        if all(isinstance(v, int | float) for v in figures) and isinstance(recorded, int):
            cohort, comparison, low, high, p = (float(v) for v in figures)
            wording = status_wording(row["label"], cohort, comparison, low, high, p, recorded)
            headline, explanation = wording.headline, wording.explanation
        low, high = row.get("ci_low"), row.get("ci_high")
        rows.append(
            {
                "measure": row["measure"],
                "name": str(row["label"]).capitalize(),
                "headline": headline,
                "explanation": explanation,
                "note": str(row.get("note") or "").capitalize(),
                "n_recorded": count(recorded),
                "treated_mean": share(row.get("treated_mean"), True),
                "comparison_mean": share(row.get("comparison_mean"), True),
                "effect": difference(row.get("effect"), True),
                "interval": (
                    f"{difference(low, True)} to {difference(high, True)}"
                    if low is not None and high is not None
                    else count(None)
                ),
                "p_value": p_value(row.get("p_value")),
            }
        )
    return rows
