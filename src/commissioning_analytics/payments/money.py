"""Money rules: ``Decimal`` pounds, quantised once per statement line to the penny with a named
rounding mode (style.md convention 4)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

ROUNDING = ROUND_HALF_UP
ROUNDING_NAME = "ROUND_HALF_UP"
PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_penny(amount: Decimal) -> Decimal:
    """The one rounding step: to the penny, half up (0.005 → 0.01)."""
    return amount.quantize(PENNY, rounding=ROUNDING)


def pounds(amount: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"£1,234.50"`` (for explanations)."""
    return f"£{amount:,.2f}"


@cache
def percent(share: Decimal) -> str:
    """A share as a percentage for people: ``Decimal("0.125")`` → ``"12.5%"``."""
    return f"{(share * 100).normalize():f}%"
