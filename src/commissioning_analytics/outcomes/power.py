"""The minimum detectable effect of a yes/no outcome measure (PBR-2, OUT-1; seed 003 §14.5).

Before a payment is tied to a change in a reoffending rate, the commissioner should know the
smallest change the expected cohort could reliably show. For a difference in two proportions
(cohort of ``n`` people against a comparison group of ``k·n``), two-sided significance level
α and power 1−β, at a baseline rate ``p``::

    MDE = (z_{1−α/2} + z_{1−β}) · sqrt(p(1−p) · (1/n + 1/(k·n))) · sqrt(design_effect)

the normal approximation with the variance taken at the baseline rate under both arms (the
textbook formula, e.g. Bloom 1995). A comparison with a fixed published rate (a historical
baseline, no sampling error of its own) is ``k = None``: the ``1/(k·n)`` term vanishes.

Matching is ignored: matched comparison groups built with replacement, weights or clustering
lose precision that this formula does not see. ``design_effect`` (≥ 1, a variance multiplier)
lets a caller allow for it; the default 1 is the optimistic figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import norm

DEFAULT_ALPHA = 0.05
DEFAULT_POWER = 0.8


class PowerInputError(ValueError):
    """An input outside its range; the message names it."""


@dataclass(frozen=True, slots=True)
class MinimumDetectableEffect:
    """The smallest difference in rates that a study of this size would detect with the stated
    power; ``points`` is in percentage points (0–100 scale)."""

    cohort_size: int
    baseline_rate: float
    comparison_ratio: float | None
    alpha: float
    power: float
    design_effect: float
    proportion: float

    @property
    def points(self) -> float:
        return self.proportion * 100

    @property
    def whole_points(self) -> int:
        """Rounded up to a whole point: a change of this size or more can be shown."""
        return math.ceil(round(self.points, 9))

    def detects(self, change_points: float) -> bool:
        """Whether a change of ``change_points`` percentage points reaches the MDE."""
        return change_points >= self.points


def minimum_detectable_effect(
    cohort_size: int,
    baseline_rate: float,
    *,
    comparison_ratio: float | None = 1.0,
    alpha: float = DEFAULT_ALPHA,
    power: float = DEFAULT_POWER,
    design_effect: float = 1.0,
) -> MinimumDetectableEffect:
    """The MDE of a binary outcome for ``cohort_size`` people at ``baseline_rate`` (a proportion,
    0 < p < 1) against ``comparison_ratio`` × as many comparison people (``None``: a fixed
    reference rate)."""
    if cohort_size < 1:
        raise PowerInputError(f"The cohort size must be at least 1 (got {cohort_size}).")
    if not 0 < baseline_rate < 1:
        raise PowerInputError(f"The baseline rate must lie between 0 and 1 (got {baseline_rate}).")
    if comparison_ratio is not None and comparison_ratio <= 0:
        raise PowerInputError(f"The comparison ratio must be positive (got {comparison_ratio}).")
    if not 0 < alpha < 1:
        raise PowerInputError(f"The significance level must lie between 0 and 1 (got {alpha}).")
    if not 0 < power < 1:
        raise PowerInputError(f"The power must lie between 0 and 1 (got {power}).")
    if design_effect < 1:
        raise PowerInputError(f"The design effect must be at least 1 (got {design_effect}).")
    inverse_sizes = 1 / cohort_size
    if comparison_ratio is not None:
        inverse_sizes += 1 / (comparison_ratio * cohort_size)
    multiplier = float(norm.ppf(1 - alpha / 2) + norm.ppf(power))
    spread = math.sqrt(baseline_rate * (1 - baseline_rate) * inverse_sizes * design_effect)
    return MinimumDetectableEffect(
        cohort_size=cohort_size,
        baseline_rate=baseline_rate,
        comparison_ratio=comparison_ratio,
        alpha=alpha,
        power=power,
        design_effect=design_effect,
        proportion=multiplier * spread,
    )


def detectable_change_sentence(effect: MinimumDetectableEffect, *, a_year: bool) -> str:
    """The MDE in plain English, e.g. “With 200 people a year, a reoffending measure can detect
    only a change of 14 points or more.”"""
    period = " a year" if a_year else ""
    return (
        f"With {effect.cohort_size:,} people{period}, a reoffending measure can detect only a "
        f"change of {effect.whole_points} points or more."
    )
