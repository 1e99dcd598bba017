"""Moderated scores as a validated matrix, threshold disqualification, and the ranking order.

Shared by :mod:`.totals` (one weighting) and :mod:`.sensitivity` (a grid of weightings), so the
two always agree on who is disqualified and how ties are broken (PRO-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commissioning_analytics.scoring.criteria import CriteriaSet, CriterionKind
from commissioning_analytics.scoring.errors import ScoringError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

Scores = Mapping[str, Mapping[str, float]]
"""Moderated scores: bid id → criterion id → score on that criterion's scale."""


@dataclass(frozen=True)
class ScoreMatrix:
    """Validated moderated scores for every judged criterion of every bid.

    ``fractions`` has shape (bids, weighted criteria): each score ÷ its scale's maximum, in the
    order of ``criteria.weighted_judged``. ``disqualified`` maps a bid id to its reasons.
    """

    bid_ids: tuple[str, ...]
    raw: tuple[tuple[float, ...], ...]
    fractions: FloatArray
    disqualified: dict[str, tuple[str, ...]]

    @property
    def qualified_mask(self) -> npt.NDArray[np.bool_]:
        return np.array([b not in self.disqualified for b in self.bid_ids], dtype=bool)


Excluded = Mapping[str, Sequence[str]]
"""Bids excluded before scoring (e.g. failed selection, EVA-6): bid id → the reasons why."""

NOT_SCORED = float("nan")
"""An excluded bid's missing score in :attr:`ScoreMatrix.raw` and ``fractions``: it is never
ranked, so its quality points are unknown rather than zero."""


def score_matrix(
    criteria: CriteriaSet, scores: Scores, excluded: Excluded | None = None
) -> ScoreMatrix:
    """Check every bid has an on-scale score for every judged criterion; apply thresholds.

    A bid scoring below a criterion's declared minimum, or failing a pass/fail criterion, is
    disqualified with a reason naming the criterion (Procurement Act 2023 s.23(3); EVA-1). A bid
    in ``excluded`` is disqualified with the reasons given there first (EVA-6); it need not
    have every score (or be in ``scores`` at all): a bid that failed selection is not scored
    further, and its missing scores are :data:`NOT_SCORED`.
    """
    excluded = excluded or {}
    # A bid excluded before scoring need not be scored or priced (EVA-6): it may be absent.
    scores = {**{bid_id: {} for bid_id in excluded if bid_id not in scores}, **scores}
    if not scores:
        raise ScoringError("There are no bids to score.")
    judged = criteria.judged
    bid_ids = tuple(scores)
    raw: list[tuple[float, ...]] = []
    disqualified: dict[str, tuple[str, ...]] = {}
    for bid_id in bid_ids:
        bid_scores = scores[bid_id]
        unknown = sorted(set(bid_scores) - {c.id for c in judged})
        if unknown:
            raise ScoringError(
                f"Bid {bid_id!r} has scores for criteria that are not scored by evaluators: "
                f"{', '.join(unknown)}."
            )
        row: list[float] = []
        reasons: list[str] = list(excluded.get(bid_id, ()))
        for criterion in judged:
            if criterion.id not in bid_scores:
                if bid_id in excluded:
                    row.append(NOT_SCORED)
                    continue
                raise ScoringError(f"Bid {bid_id!r} has no moderated score for {criterion.id!r}.")
            score = bid_scores[criterion.id]
            try:
                criterion.scale.band_index(score)
            except ScoringError as error:
                raise ScoringError(f"Bid {bid_id!r}, criterion {criterion.id!r}: {error}") from None
            row.append(float(score))
            if criterion.minimum is not None and score < criterion.minimum:
                if criterion.kind is CriterionKind.PASS_FAIL:
                    reasons.append(f"failed the pass/fail criterion {criterion.name!r}")
                else:
                    reasons.append(
                        f"scored {score:g} ({criterion.scale.descriptor(score)}) on "
                        f"{criterion.name!r}, below the minimum of {criterion.minimum} "
                        f"({criterion.scale.descriptor(criterion.minimum)})"
                    )
        raw.append(tuple(row))
        if reasons:
            disqualified[bid_id] = tuple(reasons)
    weighted = [i for i, c in enumerate(judged) if c.kind is not CriterionKind.PASS_FAIL]
    maxima = np.array([float(judged[i].scale.maximum) for i in weighted])
    matrix = np.array(raw, dtype=np.float64).reshape(len(bid_ids), len(judged))
    fractions = matrix[:, weighted] / maxima
    return ScoreMatrix(bid_ids, tuple(raw), fractions, disqualified)


def cents(values: FloatArray) -> IntArray:
    """Published points (2 dp, half up) as integer hundredths, vectorised.

    Rounding ×100 to 7 places first removes binary noise (33.335 × 100 = 3333.4999…), matching
    :func:`.errors.to_points`.
    """
    return np.floor(np.round(np.asarray(values) * 100, 7) + 0.5).astype(np.int64)


def rank_order(
    total_cents: IntArray,
    quality_cents: IntArray,
    adjusted_prices: FloatArray,
    bid_ids: Sequence[str],
) -> IntArray:
    """Indices of bids from first to last, along the last axis (vectorised over leading axes).

    Ties on the published total are broken, in turn, by higher quality points, then lower
    adjusted price, then bid id (alphabetical) as a last resort that the commissioner must
    record (see docs/scoring.md).
    """
    id_rank = np.argsort(np.argsort(np.array(bid_ids, dtype=object)))
    shape = np.shape(total_cents)
    keys = (
        np.broadcast_to(id_rank, shape),
        np.broadcast_to(adjusted_prices, shape),
        -np.asarray(quality_cents),
        -np.asarray(total_cents),
    )
    order: IntArray = np.lexsort(keys, axis=-1)
    return order


def tie_break_reason(
    first: str,
    second: str,
    quality: tuple[int, int],
    price: tuple[float, float],
) -> str:
    """Why ``first`` ranks above ``second`` when their totals are equal."""
    if quality[0] != quality[1]:
        return (
            f"tied with {second} on total; ranked above on quality points "
            f"({quality[0] / 100:.2f} vs {quality[1] / 100:.2f})"
        )
    if price[0] != price[1]:
        return (
            f"tied with {second} on total and quality; ranked above on the lower adjusted "
            f"price (£{price[0]:,.2f} vs £{price[1]:,.2f})"
        )
    return (
        f"tied with {second} on total, quality and price; ordered by bid id ({first} before "
        f"{second}) — the commissioner must decide and record how this tie is resolved"
    )
