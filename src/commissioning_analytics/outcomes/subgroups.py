"""Results by area or by protected characteristic (OUT-2, EQU-2), with the same safeguards.

A subgroup's result uses the matched sets of the cohort members in it: the same comparison
people, with the same weights, as in the whole-cohort analysis, so each subgroup is compared
with people similar to its own members. A subgroup with fewer than 60 matched cohort members
gets no estimate (its counts would also fall under the suppression rule soon after).

**Disparity flag**: a subgroup is flagged when its effect differs from the effect for the rest
of the matched cohort, ``z = (τ_g − τ_rest) / √(SE_g² + SE_rest²)``, two-sided p < 0.05. Without
replacement the two estimates use disjoint people and are independent; with replacement they
may share comparison people, and the test is then approximate. The rest must also have at
least 60 matched members: otherwise there is no test (with a note), so that the result of a
group too small to be shown cannot be read off the test against its complement (OUT-4). A flag
is a prompt to look, not a finding: with many subgroups some differences arise by chance.

**Age bands** (:func:`age_bands`, OUT-3): the Justice Data Lab's young adults, 18–20 and 21–24,
then 25 and over, from the age at the index date; younger people are "under 18" and a missing
or non-numeric age is "not recorded". Each band is a subgroup like any other, with the same
60-person rule, and its counts are suppressed on publication like the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from commissioning_analytics.outcomes.effects import Effect, estimate_effect
from commissioning_analytics.outcomes.matching import MatchResult
from commissioning_analytics.outcomes.numbers import finite
from commissioning_analytics.outcomes.safeguards import MIN_COHORT

SIGNIFICANCE = 0.05
AGE_BANDS = (("18-20", 18, 20), ("21-24", 21, 24), ("25+", 25, None))
"""(label, lowest age, highest age or ``None``), ages in whole years at the index date."""
UNDER_18 = "under 18"
AGE_NOT_RECORDED = "not recorded"
AGE_BAND_VARIABLE = "age band"


@dataclass(frozen=True)
class SubgroupResult:
    group: str
    n_cohort: int
    n_matched: int
    effect: Effect | None
    disparity_p_value: float | None
    note: str = ""

    @property
    def disparity(self) -> bool:
        return self.disparity_p_value is not None and self.disparity_p_value < SIGNIFICANCE

    def to_dict(self, variable: str) -> dict[str, Any]:
        """The JSON row: estimates are ``None`` when the subgroup is too small. Counts are
        the analyst's own; suppression (OUT-4) is applied where results are published."""
        e = self.effect
        return {
            "variable": variable,
            "group": self.group,
            "n_cohort": self.n_cohort,
            "n_matched": self.n_matched,
            "treated_mean": None if e is None else finite(e.treated_mean),
            "comparison_mean": None if e is None else finite(e.comparison_mean),
            "effect": None if e is None else finite(e.effect),
            "ci_low": None if e is None else finite(e.ci_low),
            "ci_high": None if e is None else finite(e.ci_high),
            "p_value": None if e is None else finite(e.p_value),
            "disparity": self.disparity,
            "disparity_p_value": (
                None if self.disparity_p_value is None else finite(self.disparity_p_value)
            ),
            "note": self.note,
        }


def restrict(result: MatchResult, members: NDArray[np.bool_]) -> MatchResult:
    """The pairs whose cohort member is flagged in ``members`` (weights unchanged)."""
    keep = members[result.treated]
    return MatchResult(
        result.treated[keep],
        result.comparison[keep],
        result.weight[keep],
        result.caliper_width,
        result.n_treated,
        result.n_pool,
    )


def _difference_p(a: Effect, b: Effect) -> float:
    se = math.hypot(a.standard_error, b.standard_error)
    if se == 0:
        return 1.0 if a.effect == b.effect else 0.0
    return float(math.erfc(abs(a.effect - b.effect) / se / math.sqrt(2)))


def age_bands(ages: NDArray[np.float64]) -> NDArray[np.str_]:
    """The age band of each person (:data:`AGE_BANDS`); fractional ages count whole years."""
    years = np.floor(np.asarray(ages, dtype=np.float64))
    labels = np.full(years.shape, AGE_NOT_RECORDED, dtype=object)
    labels[years < AGE_BANDS[0][1]] = UNDER_18
    for label, lowest, highest in AGE_BANDS:
        inside = years >= lowest if highest is None else (years >= lowest) & (years <= highest)
        labels[inside] = label
    return np.asarray(labels.astype(str))


def age_band_results(
    ages: NDArray[np.float64],
    treated_outcome: NDArray[np.float64],
    pool_outcome: NDArray[np.float64],
    result: MatchResult,
) -> list[SubgroupResult]:
    """Results by age band of the cohort members (:func:`subgroup_results` on the bands)."""
    return subgroup_results(age_bands(ages), treated_outcome, pool_outcome, result)


def subgroup_results(
    labels: NDArray[np.str_],
    treated_outcome: NDArray[np.float64],
    pool_outcome: NDArray[np.float64],
    result: MatchResult,
) -> list[SubgroupResult]:
    """One result per distinct label of the cohort members, in label order."""
    labels = np.asarray(labels)
    if labels.shape != (result.n_treated,):
        raise ValueError("one subgroup label is needed for each cohort member")
    matched = result.treated_matched()
    rows = []
    for group in np.unique(labels):
        members = labels == group
        n_matched = int(np.count_nonzero(members & matched))
        rest_matched = int(np.count_nonzero(~members & matched))
        if n_matched < MIN_COHORT:
            note = f"fewer than {MIN_COHORT} matched cohort members: no estimate"
            rows.append(SubgroupResult(str(group), int(members.sum()), n_matched, None, None, note))
            continue
        effect = estimate_effect(treated_outcome, pool_outcome, restrict(result, members))
        p_value = None
        note = ""
        if rest_matched >= MIN_COHORT:
            rest = estimate_effect(treated_outcome, pool_outcome, restrict(result, ~members))
            p_value = _difference_p(effect, rest)
        else:
            note = f"fewer than {MIN_COHORT} other matched cohort members: no disparity test"
        rows.append(
            SubgroupResult(str(group), int(members.sum()), n_matched, effect, p_value, note)
        )
    return rows
