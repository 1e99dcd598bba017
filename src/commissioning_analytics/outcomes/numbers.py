"""JSON-safe numbers for the evaluation's dictionaries: JSON has no inf or NaN."""

from __future__ import annotations

import math


def finite(value: float) -> float | None:
    """``value`` as a float, or ``None`` when it is infinite or undefined."""
    number = float(value)
    return number if math.isfinite(number) else None
