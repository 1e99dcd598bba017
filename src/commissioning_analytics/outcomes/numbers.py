"""Numbers for the evaluation's dictionaries (JSON has no inf or NaN) and for people to read
(plain digits with thousands separators, never scientific notation)."""

from __future__ import annotations

import math


def finite(value: float) -> float | None:
    """``value`` as a float, or ``None`` when it is infinite or undefined."""
    number = float(value)
    return number if math.isfinite(number) else None


def plain(value: float, significant: int = 3) -> str:
    """``value`` to ``significant`` figures as people write it: 3333.3 → "3,330",
    3.3333 → "3.33", 0.4 → "0.4", 0.000123 → "0.000123"; never "3.33e+03" (issue 17)."""
    number = float(value)
    if not math.isfinite(number):
        return "not available"
    if number == 0:
        return "0"

    def decimals(x: float) -> int:
        return max(0, significant - 1 - math.floor(math.log10(abs(x))))

    rounded = round(number, significant - 1 - math.floor(math.log10(abs(number))))
    places = decimals(rounded) if rounded else 0
    text = f"{rounded:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
