"""How concentrated a market's money is (MKT-1): the Herfindahl–Hirschman index and the four
largest providers' share, read against the Competition and Markets Authority's bands.

The HHI is the sum of the squared percentage shares: 10,000 for one provider, near 0 for very
many small ones. The bands are those of the CMA's merger assessment guidelines (CMA129, 2021,
which keep the thresholds of the OFT/CC guidelines, CC2 2010): below 1,000 unconcentrated,
1,000 to 2,000 moderately concentrated, above 2,000 highly concentrated.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
HHI_PLACES = Decimal("0.1")
SHARE_PLACES = Decimal("0.0001")


class Band(StrEnum):
    """The competition authority's concentration bands."""

    NONE = "none"
    UNCONCENTRATED = "unconcentrated"
    MODERATE = "moderate"
    HIGH = "high"


BAND_LABELS: dict[Band, str] = {
    Band.NONE: "No money recorded",
    Band.UNCONCENTRATED: "Unconcentrated",
    Band.MODERATE: "Moderately concentrated",
    Band.HIGH: "Highly concentrated",
}

MODERATE_FROM = Decimal(1000)
HIGH_ABOVE = Decimal(2000)


def _positive(amounts: Iterable[Decimal]) -> list[Decimal]:
    return [amount for amount in amounts if amount > 0]


def hhi(amounts: Iterable[Decimal]) -> Decimal | None:
    """The HHI (0 to 10,000, to one decimal place) of the providers' ``amounts``; ``None`` when
    no money was received, as a market with no money has no concentration."""
    money = _positive(amounts)
    total = sum(money, Decimal(0))
    if not total:
        return None
    index = sum(((amount / total) * HUNDRED) ** 2 for amount in money)
    return Decimal(index).quantize(HHI_PLACES, rounding=ROUND_HALF_UP)


def four_firm_share(amounts: Iterable[Decimal]) -> Decimal | None:
    """The share (0 to 1, four decimal places) of the money the four largest providers got."""
    money = sorted(_positive(amounts), reverse=True)
    total = sum(money, Decimal(0))
    if not total:
        return None
    return (sum(money[:4], Decimal(0)) / total).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def band(index: Decimal | None) -> Band:
    """The band an HHI falls in: 2,000 itself is moderately concentrated, as in the guidelines
    ("above 2,000" is high)."""
    if index is None:
        return Band.NONE
    if index < MODERATE_FROM:
        return Band.UNCONCENTRATED
    if index <= HIGH_ABOVE:
        return Band.MODERATE
    return Band.HIGH
