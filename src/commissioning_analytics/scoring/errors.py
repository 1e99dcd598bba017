"""Exception type and number formatting shared by the scoring modules (EVA-1 … EVA-5, PRO-9)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

POINTS = Decimal("0.01")
"""Published scores are quantised once, to 2 decimal places, with ROUND_HALF_UP."""


class ScoringError(ValueError):
    """A criteria set, a score or a price cannot be scored; the message names what is wrong."""


def to_points(value: float) -> Decimal:
    """Quantise a computed score to published points (2 dp, half up).

    Scores are computed in binary floating point (numpy); rounding to 9 dp first removes
    representation noise (e.g. 33.334999999… for 33.335) before the single half-up rounding.
    """
    return Decimal(f"{value:.9f}").quantize(POINTS, rounding=ROUND_HALF_UP)


def percent(value: Decimal | float) -> str:
    """A weight or share as readable text: ``Decimal("12.50")`` → ``"12.5%"``."""
    text = f"{Decimal(str(value)).normalize():f}"
    return f"{text}%"
