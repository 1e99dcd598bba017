"""How an outcome result is measured against its reference (PBR-2).

Reoffending measures improve when they fall: ``binary`` rates are in % of the cohort reconvicted,
``frequency`` in reconviction events per 100 people. The improvement is the reference less the
observed value in percentage points / events per 100, or that difference as a % of the reference
(``relative_percent``). An ``intermediate`` measure's result is the % of the cohort achieving it.
A ``quantity`` measure (PBR-2: custody bed nights, days in work …) is an average per person of
the cohort, in its own ``unit``; it improves when it falls, or when it rises if ``better`` is
``higher``, by the difference per person (``per_person``) or as a % of the reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from commissioning_analytics.payments.model import Measure
from commissioning_analytics.payments.observed import OutcomeResult

HUNDRED = Decimal(100)
ZERO = Decimal(0)

UNITS = {
    "percentage_points": " percentage points",
    "relative_percent": "%",
    "events_per_100": " events per 100",
    "per_person": " per person",
    None: "% achieving",
}

UNIT = {
    "percentage_points": "percentage point",
    "relative_percent": "1% of the reference",
    "events_per_100": "event per 100",
    "per_person": "unit per person",
    None: "percentage point of the cohort",
}
"""One unit of improvement, for "… per unit short" (sliding-scale clawbacks)."""


def reference_of(measure: Measure, result: OutcomeResult) -> Decimal:
    reference = result.reference if result.reference is not None else measure.baseline
    assert reference is not None  # guaranteed by observed-data validation
    return reference


def improvement(measure: Measure, result: OutcomeResult) -> Decimal:
    """The result's improvement in the measure's own units (not rounded)."""
    if measure.kind == "intermediate":
        return Decimal(sum(result.achieved.values())) * HUNDRED / result.cohort_size
    assert result.observed is not None
    reference = reference_of(measure, result)
    difference = reference - result.observed
    if measure.better == "higher":
        difference = -difference
    if measure.improvement == "relative_percent":
        return difference * HUNDRED / reference
    return difference


def units_improved(measure: Measure, result: OutcomeResult) -> Decimal:
    """People not reconvicted (binary) or reconviction events prevented (frequency) in the
    cohort: the difference from the reference per 100, times the cohort size, over 100; for a
    quantity, the units saved (or gained) by the whole cohort: the difference per person times
    the cohort size."""
    assert result.observed is not None
    difference = reference_of(measure, result) - result.observed
    if measure.kind == "quantity":
        sign = -1 if measure.better == "higher" else 1
        return sign * difference * result.cohort_size
    return difference * result.cohort_size / HUNDRED


def pooled(measure: Measure, results: Iterable[OutcomeResult]) -> OutcomeResult:
    """Several cohorts as one: observed and reference values weighted by cohort size; for an
    intermediate measure, the people achieving it added up by need group."""
    items = list(results)
    size = sum(r.cohort_size for r in items)
    if measure.kind == "intermediate":
        achieved: dict[str, int] = {}
        for r in items:
            for group, people in r.achieved.items():
                achieved[group] = achieved.get(group, 0) + people
        return OutcomeResult(measure.id, "all", size, achieved=achieved)
    observed = sum(((r.observed or ZERO) * r.cohort_size for r in items), ZERO) / size
    reference = sum((reference_of(measure, r) * r.cohort_size for r in items), ZERO) / size
    return OutcomeResult(measure.id, "all", size, observed, reference)


def describe(
    measure: Measure, result: OutcomeResult, value: Decimal, who: str | None = None
) -> str:
    """E.g. ``cohort 1: 142 vs 155 events per 100, improvement 8.4%``; ``who`` replaces
    ``cohort 1`` (e.g. for pooled cohorts)."""
    unit = UNITS[measure.improvement]
    if measure.improvement == "per_person":
        unit = f" {measure.unit}{unit}"
    shown = f"{value.quantize(Decimal('0.1'))}{unit}"
    who = who or f"cohort {result.cohort}"
    if measure.kind == "intermediate":
        achieved = sum(result.achieved.values())
        return f"{who}: {achieved} of {result.cohort_size} achieved ({shown})"
    reference = reference_of(measure, result)
    scale = {"frequency": " events per 100", "quantity": f" {measure.unit} per person"}.get(
        measure.kind, "%"
    )
    against = "matched comparison" if measure.comparison == "matched_comparison" else "baseline"
    return (
        f"{who}: {_num(result.observed)}{scale} vs "
        f"{against} {_num(reference)}{scale}, improvement {shown}"
    )


def _num(value: Decimal | None) -> str:
    assert value is not None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        value = value.quantize(Decimal("0.01"))
    return f"{value:f}"
