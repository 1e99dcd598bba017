"""Price scoring after the level-playing-field adjustment (EVA-4), vectorised over bids.

Steps, in order:

1. **Level playing field** — every bidder discloses the full cost of its bid; a public-sector
   bidder also declares the costs it does not bear (hidden subsidies: premises, pensions,
   overheads carried by its parent body). Those are added back:
   ``adjusted = declared price + hidden subsidy`` (public-sector bids only).
2. **Score** the adjusted prices by the published method, as a fraction ``r`` of the price weight
   ``W`` (``points = W × r``):

   * ``relative_to_lowest``: ``r = lowest adjusted price ÷ bid's adjusted price``.
   * ``price_per_quality_point``: each bid's cost per quality point
     ``c = adjusted price ÷ quality points`` (quality points: the bid's weighted score on the
     non-price criteria, 0 … 100 − W); ``r = lowest c ÷ bid's c``. A bid with no quality points
     has an infinite cost per point and scores 0.

3. **Abnormally low prices** (flagged for clarification, never rejected automatically): an
   adjusted price below ``fraction_of_others_mean`` (default 0.80) × the mean adjusted price of
   the *other* bids, or more than ``below_estimate`` (default 20%) below the commissioner's
   estimate, when one is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from commissioning_analytics.scoring.errors import ScoringError, percent, to_points

FloatArray = npt.NDArray[np.float64]


class PriceMethod(StrEnum):
    RELATIVE_TO_LOWEST = "relative_to_lowest"
    PRICE_PER_QUALITY_POINT = "price_per_quality_point"


@dataclass(frozen=True)
class BidPrice:
    """A bid's declared full-cost price (EVA-4) and, for public-sector bids, hidden subsidies."""

    bid_id: str
    price: Decimal
    is_public_sector: bool = False
    hidden_subsidy: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.price <= 0:
            raise ScoringError(f"Bid {self.bid_id!r}: price must be positive (got {self.price}).")
        if self.hidden_subsidy < 0:
            raise ScoringError(
                f"Bid {self.bid_id!r}: hidden subsidy cannot be negative "
                f"(got {self.hidden_subsidy})."
            )
        if self.hidden_subsidy and not self.is_public_sector:
            raise ScoringError(
                f"Bid {self.bid_id!r}: only public-sector bids declare hidden subsidies; other "
                "bidders include every cost in their full-cost price."
            )

    @property
    def adjusted(self) -> Decimal:
        """The level-playing-field price (EVA-4): declared price plus hidden subsidies."""
        return self.price + self.hidden_subsidy


@dataclass(frozen=True)
class AbnormallyLowRule:
    """When a price is flagged as abnormally low (documented in docs/scoring.md)."""

    fraction_of_others_mean: Decimal = Decimal("0.80")
    below_estimate: Decimal = Decimal("0.20")

    def __post_init__(self) -> None:
        if not 0 < self.fraction_of_others_mean <= 1:
            raise ScoringError("fraction_of_others_mean must be in (0, 1].")
        if not 0 <= self.below_estimate < 1:
            raise ScoringError("below_estimate must be in [0, 1).")


@dataclass(frozen=True)
class PriceLine:
    bid_id: str
    declared: Decimal
    hidden_subsidy: Decimal
    adjusted: Decimal
    points: Decimal
    abnormally_low_reasons: tuple[str, ...] = ()

    @property
    def abnormally_low(self) -> bool:
        return bool(self.abnormally_low_reasons)


@dataclass(frozen=True)
class PriceResult:
    """Price points per bid under one method and weight."""

    method: PriceMethod
    weight: Decimal
    lines: tuple[PriceLine, ...]

    @property
    def points_by_bid(self) -> dict[str, Decimal]:
        return {line.bid_id: line.points for line in self.lines}

    def line(self, bid_id: str) -> PriceLine:
        for line in self.lines:
            if line.bid_id == bid_id:
                return line
        raise ScoringError(f"No price for bid {bid_id!r}.")

    def summary(self) -> str:
        lines = [f"Price ({self.method.value}, weight {percent(self.weight)}):"]
        for line in self.lines:
            text = f"- {line.bid_id}: £{line.adjusted:,}"
            if line.hidden_subsidy:
                text += f" (declared £{line.declared:,} + hidden subsidy £{line.hidden_subsidy:,})"
            text += f" → {line.points} points"
            if line.abnormally_low:
                text += "; abnormally low: " + "; ".join(line.abnormally_low_reasons)
            lines.append(text)
        return "\n".join(lines)


def _check_unique(bids: Sequence[BidPrice]) -> None:
    if not bids:
        raise ScoringError("There are no bids to score.")
    ids = [b.bid_id for b in bids]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ScoringError(f"Each bid is priced once; repeated: {', '.join(duplicates)}.")


def price_fractions(
    adjusted: FloatArray, method: PriceMethod, quality_points: FloatArray | None = None
) -> FloatArray:
    """The fraction ``r`` of the price weight each bid earns (see module doc), vectorised.

    ``adjusted`` has shape (..., bids); ``quality_points`` the same shape (needed only for
    price per quality point). The minimum is taken along the last axis, so a grid of weightings
    (rows) is scored at once (used by :mod:`.sensitivity`).
    """
    prices = np.asarray(adjusted, dtype=np.float64)
    if method is PriceMethod.RELATIVE_TO_LOWEST:
        result: FloatArray = prices.min(axis=-1, keepdims=True) / prices
        return result
    if quality_points is None:
        raise ScoringError("Price per quality point needs each bid's quality points.")
    quality = np.broadcast_to(np.asarray(quality_points, dtype=np.float64), prices.shape)
    # lowest c ÷ c_i, written as quality-per-pound v_i ÷ highest v: the same number, with no
    # division by zero (0 quality points → v = 0 → r = 0).
    value = quality / prices
    best = value.max(axis=-1, keepdims=True)
    fractions = np.divide(value, best, out=np.zeros_like(value), where=best > 0)
    return np.asarray(fractions, dtype=np.float64)


def abnormally_low_reasons(
    bids: Sequence[BidPrice],
    estimate: Decimal | None = None,
    rule: AbnormallyLowRule | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Why each bid's adjusted price is abnormally low (empty when it is not), vectorised."""
    rule = rule or AbnormallyLowRule()
    prices = np.array([float(b.adjusted) for b in bids])
    n = prices.size
    reasons: list[list[str]] = [[] for _ in range(n)]
    if n >= 2:
        others_mean = (prices.sum() - prices) / (n - 1)
        fraction = float(rule.fraction_of_others_mean)
        for i in np.flatnonzero(prices < fraction * others_mean):
            mean = to_points(float(others_mean[i]))
            reasons[i].append(
                f"below {percent(rule.fraction_of_others_mean * 100)} of the other bids' "
                f"mean (£{mean:,})"
            )
    if estimate is not None:
        floor = (1 - rule.below_estimate) * estimate
        for i in np.flatnonzero(prices < float(floor)):
            reasons[i].append(
                f"more than {percent(rule.below_estimate * 100)} below the estimate (£{estimate:,})"
            )
    return tuple(tuple(r) for r in reasons)


def score_price(
    bids: Sequence[BidPrice],
    weight: Decimal,
    method: PriceMethod = PriceMethod.RELATIVE_TO_LOWEST,
    quality_points: Mapping[str, float] | None = None,
    estimate: Decimal | None = None,
    rule: AbnormallyLowRule | None = None,
) -> PriceResult:
    """Score every bid's price (EVA-4) out of ``weight`` points; see the module doc."""
    _check_unique(bids)
    adjusted = np.array([float(b.adjusted) for b in bids])
    quality = None
    if method is PriceMethod.PRICE_PER_QUALITY_POINT:
        if quality_points is None:
            raise ScoringError("Price per quality point needs each bid's quality points.")
        missing = [b.bid_id for b in bids if b.bid_id not in quality_points]
        if missing:
            raise ScoringError(f"No quality points for bid(s) {', '.join(missing)}.")
        quality = np.array([float(quality_points[b.bid_id]) for b in bids])
    points = float(weight) * price_fractions(adjusted, method, quality)
    flags = abnormally_low_reasons(bids, estimate, rule)
    lines = tuple(
        PriceLine(b.bid_id, b.price, b.hidden_subsidy, b.adjusted, to_points(p), why)
        for b, p, why in zip(bids, points, flags, strict=True)
    )
    return PriceResult(method, weight, lines)
