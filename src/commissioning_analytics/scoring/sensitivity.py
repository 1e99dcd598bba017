"""Weight sensitivity (PRO-9): would the winner change if the weights moved?

Two sweeps, each vectorised over a grid of weightings (one row per grid point):

* **Price weight** ``P`` over a grid (default 20%, 25%, … 60%): the non-price weights are
  rescaled in proportion to their published weights, ``w_c(P) = w_c × (100 − P) ÷ (100 − P₀)``.
* **Social value weight** ``S`` over a grid (default 10%, 15%, … 40%, never below the EVA-2
  floor of 10%), price weight fixed: social value criteria share ``S`` in proportion to their
  published weights; the other quality criteria share ``100 − P₀ − S`` likewise.

Disqualification does not depend on weights, so only qualifying bids take part. At each grid
point totals are computed as in :mod:`.totals` (same price method, same tie-breaks). Where the
winner differs between neighbouring grid points, the weight at which the two bids' totals are
equal is found by linear interpolation between the grid points; it is exact whenever totals are
linear in the swept weight — always for the price weight (under both price methods), and for
social value under ``relative_to_lowest`` — and marked approximate otherwise. A winner that wins
only strictly between two grid points is not seen: use a finer grid.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from commissioning_analytics.scoring.criteria import (
    MIN_SOCIAL_VALUE_SHARE,
    CriteriaSet,
    CriterionKind,
)
from commissioning_analytics.scoring.errors import ScoringError, percent
from commissioning_analytics.scoring.matrix import (
    Excluded,
    FloatArray,
    Scores,
    cents,
    rank_order,
    score_matrix,
)
from commissioning_analytics.scoring.price import BidPrice, PriceMethod, price_fractions

DEFAULT_PRICE_GRID = tuple(Decimal(w) for w in range(20, 61, 5))
DEFAULT_SOCIAL_VALUE_GRID = tuple(Decimal(w) for w in range(10, 41, 5))


@dataclass(frozen=True)
class WinnerRange:
    """A run of grid weights over which the same bid wins."""

    winner: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class WinnerChange:
    """Between two grid weights the winner changes; ``at`` is where their totals meet."""

    previous: str
    next: str
    at: Decimal
    exact: bool


@dataclass(frozen=True)
class SensitivityResult:
    """Winner at each grid weight, the ranges where it holds, and where it changes."""

    parameter: str
    published_weight: Decimal
    grid: tuple[Decimal, ...]
    bid_ids: tuple[str, ...]
    totals: tuple[tuple[float, ...], ...]
    winners: tuple[str, ...]
    ranges: tuple[WinnerRange, ...]
    changes: tuple[WinnerChange, ...]

    @property
    def stable(self) -> bool:
        return len(self.ranges) == 1

    def summary(self) -> str:
        span = f"{percent(self.grid[0])}–{percent(self.grid[-1])}"
        head = f"{self.parameter.capitalize()} (published {percent(self.published_weight)}), "
        if self.stable:
            return head + f"swept over {span}: {self.winners[0]} wins throughout."
        lines = [head + f"swept over {span}: the winner changes."]
        lines += [
            f"- {r.winner} wins from {percent(r.low)} to {percent(r.high)}" for r in self.ranges
        ]
        for change in self.changes:
            how = "at" if change.exact else "at about"
            lines.append(
                f"- {change.next} overtakes {change.previous} {how} {percent(change.at)} "
                f"{self.parameter}"
            )
        return "\n".join(lines)


def price_weight_sensitivity(
    criteria: CriteriaSet,
    scores: Scores,
    prices: Sequence[BidPrice],
    method: PriceMethod = PriceMethod.RELATIVE_TO_LOWEST,
    grid: Sequence[Decimal] = DEFAULT_PRICE_GRID,
    excluded: Excluded | None = None,
) -> SensitivityResult:
    """Winners as the price weight moves over ``grid`` (percent), PRO-9."""
    if criteria.price is None:
        raise ScoringError("The criteria have no price criterion, so price weight cannot move.")
    points = _check_grid(grid, Decimal(0), Decimal(100), "price weight")
    base = float(criteria.price_weight)
    weights = np.array([float(c.weight) for c in criteria.weighted_judged])
    matrix_weights = np.outer((100.0 - points) / (100.0 - base), weights)
    return _sweep(
        criteria,
        scores,
        prices,
        method,
        parameter="price weight",
        published=criteria.price_weight,
        grid=grid,
        swept=points,
        price_weights=points,
        judged_weights=matrix_weights,
        exact=True,
        excluded=excluded,
    )


def social_value_sensitivity(
    criteria: CriteriaSet,
    scores: Scores,
    prices: Sequence[BidPrice] = (),
    method: PriceMethod = PriceMethod.RELATIVE_TO_LOWEST,
    grid: Sequence[Decimal] = DEFAULT_SOCIAL_VALUE_GRID,
    excluded: Excluded | None = None,
) -> SensitivityResult:
    """Winners as the social value weight moves over ``grid`` (percent, ≥ 10: EVA-2), PRO-9."""
    judged = criteria.weighted_judged
    is_sv = np.array([c.kind is CriterionKind.SOCIAL_VALUE for c in judged])
    weights = np.array([float(c.weight) for c in judged])
    sv_base = float(criteria.social_value_share)
    other_base = float(weights[~is_sv].sum())
    if other_base == 0:
        raise ScoringError(
            "Social value weight cannot move: there are no other quality criteria to balance it."
        )
    ceiling = Decimal(100) - criteria.price_weight
    points = _check_grid(grid, MIN_SOCIAL_VALUE_SHARE, ceiling, "social value weight", True)
    sv_scale = points / sv_base
    other_scale = (float(ceiling) - points) / other_base
    matrix_weights = np.where(is_sv, np.outer(sv_scale, weights), np.outer(other_scale, weights))
    exact = method is PriceMethod.RELATIVE_TO_LOWEST or criteria.price is None
    price_points = np.full(points.shape, float(criteria.price_weight))
    return _sweep(
        criteria,
        scores,
        prices,
        method,
        parameter="social value weight",
        published=criteria.social_value_share,
        grid=grid,
        swept=points,
        price_weights=price_points,
        judged_weights=matrix_weights,
        exact=exact,
        excluded=excluded,
    )


def _check_grid(
    grid: Sequence[Decimal], low: Decimal, high: Decimal, name: str, low_inclusive: bool = False
) -> FloatArray:
    if len(grid) < 2:
        raise ScoringError(f"The {name} grid needs at least two weights.")
    values = [Decimal(str(g)) for g in grid]
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ScoringError(f"The {name} grid must increase strictly.")
    for value in values:
        too_low = value < low if low_inclusive else value <= low
        if too_low or value >= high:
            bound = "at least" if low_inclusive else "above"
            raise ScoringError(
                f"A {name} of {percent(value)} is not possible: it must be {bound} "
                f"{percent(low)} and below {percent(high)}."
            )
    return np.array([float(v) for v in values])


def _sweep(
    criteria: CriteriaSet,
    scores: Scores,
    prices: Sequence[BidPrice],
    method: PriceMethod,
    *,
    parameter: str,
    published: Decimal,
    grid: Sequence[Decimal],
    swept: FloatArray,
    price_weights: FloatArray,
    judged_weights: FloatArray,
    exact: bool,
    excluded: Excluded | None = None,
) -> SensitivityResult:
    """Totals and winners for every grid row at once.

    ``price_weights`` has shape (grid,), ``judged_weights`` (grid, weighted criteria);
    ``swept`` is the weight being moved, used to place the change points.
    """
    matrix = score_matrix(criteria, scores, excluded)
    mask = matrix.qualified_mask
    bid_ids = tuple(b for b, ok in zip(matrix.bid_ids, mask, strict=True) if ok)
    if not bid_ids:
        raise ScoringError("No bid qualifies, so there is no winner to test.")
    quality = judged_weights @ matrix.fractions[mask].T  # (grid, bids)
    if criteria.price is not None:
        by_id = {p.bid_id: p for p in prices}
        missing = [b for b in bid_ids if b not in by_id]
        if missing:
            raise ScoringError(f"No price for bid(s) {', '.join(missing)}.")
        adjusted = np.array([float(by_id[b].adjusted) for b in bid_ids])
        fractions = price_fractions(np.broadcast_to(adjusted, quality.shape), method, quality)
        price = price_weights[:, None] * fractions
    else:
        adjusted = np.zeros(len(bid_ids))
        price = np.zeros_like(quality)
    totals = quality + price
    quality_cents = cents(quality)
    order = rank_order(quality_cents + cents(price), quality_cents, adjusted, bid_ids)
    winner_index = order[:, 0]
    values = tuple(Decimal(str(g)) for g in grid)
    winners = tuple(bid_ids[i] for i in winner_index)
    ranges: list[WinnerRange] = []
    changes: list[WinnerChange] = []
    start = 0
    for g in range(1, len(values) + 1):
        if g < len(values) and winners[g] == winners[start]:
            continue
        ranges.append(WinnerRange(winners[start], values[start], values[g - 1]))
        if g < len(values):
            a, b = int(winner_index[g - 1]), int(winner_index[g])
            d0 = totals[g - 1, a] - totals[g - 1, b]
            d1 = totals[g, a] - totals[g, b]
            at = swept[g] if d0 == d1 else swept[g - 1] + (swept[g] - swept[g - 1]) * d0 / (d0 - d1)
            changes.append(WinnerChange(bid_ids[a], bid_ids[b], _weight(at), exact))
            start = g
    return SensitivityResult(
        parameter,
        published,
        values,
        bid_ids,
        tuple(tuple(float(t) for t in row) for row in totals),
        winners,
        tuple(ranges),
        tuple(changes),
    )


def _weight(value: float) -> Decimal:
    return Decimal(f"{value:.9f}").quantize(Decimal("0.01"))
