"""Weighted totals from moderated scores and price, disqualification and ranking (PRO-9).

``quality points = Σ weight × score ÷ scale maximum`` over the weighted non-price criteria;
``total = quality points + price points`` (each published to 2 dp, half up), so a total lies
between 0 and 100. Disqualified bids (below a declared minimum, EVA-1 / PA 2023 s.23(3)) get no
total and no rank, and are left out of price scoring: the lowest price is the lowest
*qualifying* price.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from commissioning_analytics.scoring.criteria import CriteriaSet
from commissioning_analytics.scoring.errors import ScoringError, percent, to_points
from commissioning_analytics.scoring.matrix import (
    Excluded,
    Scores,
    cents,
    rank_order,
    score_matrix,
    tie_break_reason,
)
from commissioning_analytics.scoring.price import (
    AbnormallyLowRule,
    BidPrice,
    PriceMethod,
    PriceResult,
    score_price,
)


@dataclass(frozen=True)
class BidOutcome:
    """One bid's result: scores per criterion, points, total, rank or disqualification."""

    bid_id: str
    scores: tuple[tuple[str, float], ...]
    quality_points: Decimal | None
    """None for a bid excluded before every judged criterion was scored (EVA-6)."""
    price_points: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    disqualified_reasons: tuple[str, ...] = ()
    abnormally_low_reasons: tuple[str, ...] = ()
    tie_note: str = ""

    @property
    def disqualified(self) -> bool:
        return bool(self.disqualified_reasons)

    def summary(self) -> str:
        if self.disqualified:
            return f"{self.bid_id}: disqualified — " + "; ".join(self.disqualified_reasons)
        parts = f"quality {self.quality_points}"  # ranked bids are always fully scored
        if self.price_points is not None:
            parts += f" + price {self.price_points}"
        text = f"{self.rank}. {self.bid_id}: {self.total} ({parts})"
        if self.tie_note:
            text += f"; {self.tie_note}"
        if self.abnormally_low_reasons:
            text += "; price flagged abnormally low: " + "; ".join(self.abnormally_low_reasons)
        return text


@dataclass(frozen=True)
class Evaluation:
    """Totals and ranking for every bid: ranked bids first, then disqualified bids."""

    criteria: CriteriaSet
    method: PriceMethod
    outcomes: tuple[BidOutcome, ...]
    price: PriceResult | None

    @property
    def ranked(self) -> tuple[BidOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.disqualified)

    @property
    def winner(self) -> BidOutcome | None:
        ranked = self.ranked
        return ranked[0] if ranked else None

    def outcome(self, bid_id: str) -> BidOutcome:
        for outcome in self.outcomes:
            if outcome.bid_id == bid_id:
                return outcome
        raise ScoringError(f"No bid {bid_id!r} in this evaluation.")

    def summary(self) -> str:
        price = f"price {percent(self.criteria.price_weight)} ({self.method.value})"
        lines = [f"Evaluation of {len(self.outcomes)} bids, {price}:"]
        lines += [f"- {o.summary()}" for o in self.outcomes]
        winner = self.winner
        lines.append(f"Winner: {winner.bid_id}." if winner else "No bid qualifies.")
        return "\n".join(lines)


def evaluate(
    criteria: CriteriaSet,
    scores: Scores,
    prices: Sequence[BidPrice] = (),
    method: PriceMethod = PriceMethod.RELATIVE_TO_LOWEST,
    estimate: Decimal | None = None,
    rule: AbnormallyLowRule | None = None,
    excluded: Excluded | None = None,
) -> Evaluation:
    """Totals and ranking from moderated scores (EVA-5) and prices (EVA-4) — PRO-9. Bids in
    ``excluded`` (failed selection, EVA-6) are disqualified with the reasons given."""
    matrix = score_matrix(criteria, scores, excluded)
    weights = np.array([float(c.weight) for c in criteria.weighted_judged])
    quality = matrix.fractions @ weights
    price_by_bid = {p.bid_id: p for p in prices}
    if len(price_by_bid) != len(prices):
        ids = [p.bid_id for p in prices]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ScoringError(f"Each bid is priced once; repeated: {', '.join(repeated)}.")
    qualified = [b for b in matrix.bid_ids if b not in matrix.disqualified]
    if criteria.price is not None:
        # A disqualified bid is never priced, so it need not state a price (EVA-6).
        missing = [b for b in qualified if b not in price_by_bid]
        if missing:
            raise ScoringError(f"No price for bid(s) {', '.join(missing)}.")
    if criteria.price is None and price_by_bid:
        raise ScoringError("Prices were given but the criteria have no price criterion.")
    extra = sorted(set(price_by_bid) - set(matrix.bid_ids))
    if extra:
        raise ScoringError(f"Prices given for bid(s) with no scores: {', '.join(extra)}.")

    quality_by_bid = dict(zip(matrix.bid_ids, quality.tolist(), strict=True))
    price_result = None
    if criteria.price is not None and qualified:
        price_result = score_price(
            [price_by_bid[b] for b in qualified],
            criteria.price.weight,
            method,
            quality_points=quality_by_bid,
            estimate=estimate,
            rule=rule,
        )
    judged_ids = [c.id for c in criteria.judged]
    scores_by_bid = {
        bid_id: tuple(
            (c, score) for c, score in zip(judged_ids, raw, strict=True) if not math.isnan(score)
        )
        for bid_id, raw in zip(matrix.bid_ids, matrix.raw, strict=True)
    }  # a score an excluded bid never received is left out
    outcomes = _ranked_outcomes(qualified, scores_by_bid, quality_by_bid, price_result)
    outcomes += [
        BidOutcome(
            bid_id,
            scores_by_bid[bid_id],
            None if math.isnan(quality_by_bid[bid_id]) else to_points(quality_by_bid[bid_id]),
            disqualified_reasons=reasons,
        )
        for bid_id, reasons in matrix.disqualified.items()
    ]
    return Evaluation(criteria, method, tuple(outcomes), price_result)


def _ranked_outcomes(
    qualified: list[str],
    scores_by_bid: dict[str, tuple[tuple[str, float], ...]],
    quality_by_bid: dict[str, float],
    price_result: PriceResult | None,
) -> list[BidOutcome]:
    if not qualified:
        return []
    quality_cents = cents(np.array([quality_by_bid[b] for b in qualified]))
    if price_result is not None:
        lines = [price_result.line(b) for b in qualified]
        price_cents = np.array([int(line.points * 100) for line in lines], dtype=np.int64)
        adjusted = np.array([float(line.adjusted) for line in lines])
    else:
        price_cents = np.zeros(len(qualified), dtype=np.int64)
        adjusted = np.zeros(len(qualified))
    total_cents = quality_cents + price_cents
    order = rank_order(total_cents, quality_cents, adjusted, qualified)
    outcomes: list[BidOutcome] = []
    for rank, index in enumerate(order.tolist(), start=1):
        note = ""
        if rank > 1:
            above = int(order[rank - 2])
            if total_cents[above] == total_cents[index]:
                note = f"tied with {qualified[above]} on total; see its tie note"
        if rank < len(order):
            below = int(order[rank])
            if total_cents[below] == total_cents[index]:
                note = tie_break_reason(
                    qualified[index],
                    qualified[below],
                    (int(quality_cents[index]), int(quality_cents[below])),
                    (float(adjusted[index]), float(adjusted[below])),
                )
        line = price_result.line(qualified[index]) if price_result else None
        outcomes.append(
            BidOutcome(
                qualified[index],
                scores_by_bid[qualified[index]],
                Decimal(int(quality_cents[index])).scaleb(-2),
                line.points if line else None,
                Decimal(int(total_cents[index])).scaleb(-2),
                rank,
                abnormally_low_reasons=line.abnormally_low_reasons if line else (),
                tie_note=note,
            )
        )
    return outcomes
