"""Intermediate outcomes: accommodation, employment, education or training at set points after
the index date (OUT-3), evaluated by the same matching as proven reoffending.

The steward's extract holds them, where it holds them at all, as status columns: 1 (in
settled accommodation, in employment, in education or training at that point), 0 (not) or
blank (not recorded). :data:`INTERMEDIATE_MEASURES` names the columns read; an extract without
a column simply does not give that measure.

Each measure uses the matched sets of the main analysis, restricted to the pairs whose cohort
member and comparison person both have the status recorded; a cohort member whose matches are
partly unrecorded keeps the recorded ones, each weighted ``1 / (number recorded)``. With fewer
than 60 cohort members left there is no estimate (the cohort safeguard), only a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from commissioning_analytics.outcomes.effects import Effect, estimate_effect
from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.matching import MatchResult
from commissioning_analytics.outcomes.numbers import finite
from commissioning_analytics.outcomes.safeguards import MIN_COHORT

FloatArray = NDArray[np.float64]

INTERMEDIATE_MEASURES: dict[str, str] = {
    "accommodation_6w": "in settled accommodation 6 weeks after the index date",
    "accommodation_6m": "in settled accommodation 6 months after the index date",
    "employment_6w": "in employment 6 weeks after the index date",
    "employment_6m": "in employment 6 months after the index date",
    "education_6m": "in education or training 6 months after the index date",
}
"""Column name → what a 1 means (the label of the measure)."""


@dataclass(frozen=True)
class IntermediateResult:
    measure: str
    label: str
    n_recorded: int  # matched cohort members with the status recorded for them and a match
    effect: Effect | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON row; estimates are ``None`` when too few have the status recorded. The count
        is the analyst's own; suppression (OUT-4) is applied where results are published."""
        e = self.effect
        return {
            "measure": self.measure,
            "label": self.label,
            "n_recorded": self.n_recorded,
            "treated_mean": None if e is None else finite(e.treated_mean),
            "comparison_mean": None if e is None else finite(e.comparison_mean),
            "effect": None if e is None else finite(e.effect),
            "standard_error": None if e is None else finite(e.standard_error),
            "ci_low": None if e is None else finite(e.ci_low),
            "ci_high": None if e is None else finite(e.ci_high),
            "p_value": None if e is None else finite(e.p_value),
            "note": self.note,
        }


def held_measures(columns: ArrayLike) -> list[str]:
    """The intermediate measures an extract with these ``columns`` holds, in the set order."""
    present = set(np.asarray(columns).astype(str).tolist())
    return [name for name in INTERMEDIATE_MEASURES if name in present]


def status_values(values: ArrayLike, *, column: str, name: str) -> FloatArray:
    """``"1"``/``"0"``/blank as 1.0/0.0/NaN; anything else is refused with its row. A column
    already read as numbers (a status recorded for everyone is read as a covariate column)
    gives 1.0/0.0 as they are."""
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        numbers = array.astype(np.float64)
        text = np.where(np.isnan(numbers), "", np.char.mod("%g", numbers))
    else:
        text = np.char.strip(array.astype(str))
    result = np.full(text.shape, np.nan)
    result[text == "1"] = 1.0
    result[text == "0"] = 0.0
    bad = np.flatnonzero(np.isnan(result) & (text != ""))
    if bad.size:
        row = int(bad[0])
        raise InputError(
            f"{name}: row {row + 2}: column {column!r} has {str(text[row])!r}; "
            "it must be 1 (yes), 0 (no) or empty (not recorded)"
        )
    return result


def recorded_pairs(
    result: MatchResult, treated_values: FloatArray, pool_values: FloatArray
) -> MatchResult:
    """The pairs with both statuses recorded, each cohort member's weights made to add to 1."""
    keep = ~np.isnan(treated_values[result.treated]) & ~np.isnan(pool_values[result.comparison])
    treated, comparison = result.treated[keep], result.comparison[keep]
    matches = np.bincount(treated, minlength=result.n_treated)
    weight = 1.0 / matches[treated]
    return MatchResult(
        treated, comparison, weight, result.caliper_width, result.n_treated, result.n_pool
    )


def intermediate_effects(
    treated: Mapping[str, FloatArray], pool: Mapping[str, FloatArray], result: MatchResult
) -> list[IntermediateResult]:
    """One result per measure held by both ``treated`` and ``pool`` (values from
    :func:`status_values`, indexed as the matching's cohort and pool)."""
    rows = []
    for measure, label in INTERMEDIATE_MEASURES.items():
        if measure not in treated or measure not in pool:
            continue
        y_t, y_c = np.asarray(treated[measure]), np.asarray(pool[measure])
        pairs = recorded_pairs(result, y_t, y_c)
        n = pairs.n_matched_treated
        if n < MIN_COHORT:
            note = f"fewer than {MIN_COHORT} matched cohort members with this recorded"
            rows.append(IntermediateResult(measure, label, n, None, note))
            continue
        effect = estimate_effect(np.nan_to_num(y_t), np.nan_to_num(y_c), pairs)
        rows.append(IntermediateResult(measure, label, n, effect))
    return rows
