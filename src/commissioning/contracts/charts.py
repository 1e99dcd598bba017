"""Geometry of the working-capital fan chart (PBR-5): pure functions from the core's stress-test
result to the coordinates of a server-rendered inline SVG, no JavaScript.

The chart shows one member's closing cash month by month across the simulated paths: the
median (a solid line), the middle half of paths (25th–75th percentiles, dark band) and 90% of
paths (5th–95th, light band), starting from its reserves at month 0, with a dashed line at £0
where reserves run out. Its numbers are in a data table next to it (:func:`fan_table`).
"""

from __future__ import annotations

import math
from typing import Any

from commissioning.outcomes_web.charts import Axis, nice_step, ticks
from commissioning_analytics.cashflow.stress import FAN_PERCENTILES, MemberStress

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 80.0, 620.0, 20.0, 260.0
LIGHT_BAND, DARK_BAND, MEDIAN, ZERO_LINE = "#d2e2f1", "#5694ca", "#0b0c0c", "#d4351c"


def money_label(value: float) -> str:
    """A compact axis label: ``1_500_000`` → ``"£1.5m"``, ``-250_000`` → ``"−£250k"``."""
    sign = "−" if value < 0 else ""
    size = abs(value)
    if size >= 1_000_000:
        text = f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".") + "m"
    elif size >= 1_000:
        text = f"{size / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{size:.0f}"
    return f"{sign}£{text}"


def series(stress: MemberStress) -> dict[int, list[float]]:
    """Each fan percentile's cash per month, with month 0 (the reserves) first."""
    return {
        q: [stress.reserves, *(float(v) for v in row)]
        for q, row in zip(FAN_PERCENTILES, stress.fan.tolist(), strict=True)
    }


def _points(values: list[float], x: Axis, y: Axis) -> list[str]:
    return [f"{x(float(month))},{y(value)}" for month, value in enumerate(values)]


def band_points(lower: list[float], upper: list[float], x: Axis, y: Axis) -> str:
    """A polygon's points: along ``upper`` left to right, back along ``lower``."""
    return " ".join(_points(upper, x, y) + list(reversed(_points(lower, x, y))))


def fan_chart(stress: MemberStress, name: str) -> dict[str, Any]:
    """The fan chart of ``stress`` (one member's result) labelled with ``name``."""
    data = series(stress)
    months = len(data[50]) - 1
    values = [v for row in data.values() for v in row]
    lo, hi = min(min(values), 0.0), max(max(values), 0.0)
    if hi - lo < 1:
        hi = lo + 1
    step = nice_step(hi - lo, 5)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    x = Axis(0.0, float(max(months, 1)), LEFT, RIGHT)
    y = Axis(lo, hi, BOTTOM, TOP)
    end = data[50][-1]
    label = (
        f"Fan chart of {name}'s cash over {months} months: the solid line is the median path, "
        "the dark band holds the middle half of the simulated paths and the light band 90% of "
        f"them. Cash starts at its free reserves of {money_label(stress.reserves)} and ends at "
        f"{money_label(end)} on the median path; free reserves run out below the dashed £0 line "
        f"in {stress.ruin_probability:.1%} of paths."
    )
    return {
        "width": WIDTH,
        "height": BOTTOM + 50,
        "left": LEFT,
        "right": RIGHT,
        "top": TOP,
        "bottom": BOTTOM,
        "zero": y(0.0),
        "outer": band_points(data[5], data[95], x, y),
        "inner": band_points(data[25], data[75], x, y),
        "median": "M " + " L ".join(p.replace(",", " ") for p in _points(data[50], x, y)),
        "y_ticks": [{"at": y(v), "label": money_label(v)} for v in ticks(lo, hi, 5)],
        "x_ticks": [
            {"at": x(v), "label": f"{v:.0f}"} for v in ticks(0.0, float(months), 6) if v <= months
        ],
        "colours": {
            "light": LIGHT_BAND,
            "dark": DARK_BAND,
            "median": MEDIAN,
            "zero": ZERO_LINE,
        },
        "label": label,
    }


def fan_table(stress: MemberStress) -> list[dict[str, Any]]:
    """The chart's numbers: for each month, cash at the 5th, 25th, 50th, 75th and 95th
    percentiles of the paths, in whole pounds."""
    data = series(stress)
    return [
        {
            "month": month,
            "values": [money_text(data[q][month]) for q in FAN_PERCENTILES],
        }
        for month in range(len(data[50]))
    ]


def money_text(value: float) -> str:
    rounded = round(value)
    return f"−£{-rounded:,}" if rounded < 0 else f"£{rounded:,}"
