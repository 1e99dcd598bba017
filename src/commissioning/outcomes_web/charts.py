"""Geometry of the study page's charts (OUT-1, OUT-2, EQU-2): pure functions from a stored
result to the coordinates of server-rendered inline SVG, no JavaScript.

Every chart has an ``aria-label`` that says what it shows, and its numbers are in a data table
next to it (:mod:`.chart_tables`). Series differ by line style or marker shape as well as by
colour, and every colour has at least 3:1 contrast against white (GOV.UK palette): blue
``#1d70b8``, black ``#0b0c0c``, dark grey ``#505a5f``.

Survival curves and the overlap histogram take their numbers as stored; a published result's
counts may be the suppression text ``"<5"``, which is drawn as nothing (the table says ``<5``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from commissioning.outcomes_web.formatting import p_value

WIDTH = 640
BLUE, BLACK, GREY = "#1d70b8", "#0b0c0c", "#505a5f"
SMD_THRESHOLD = 0.1


@dataclass(frozen=True)
class Axis:
    """A linear map from data values ``lo``–``hi`` to pixels ``start``–``end``."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo or 1.0
        return round(self.start + (value - self.lo) / span * (self.end - self.start), 1)


def nice_step(span: float, count: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``count`` ticks."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw - 1e-12)


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    step = nice_step(hi - lo, count)
    first = math.ceil(lo / step - 1e-9) * step
    values, value = [], first
    while value <= hi + 1e-9:
        values.append(round(value, 10) + 0.0)
        value += step
    return values


def _tick_label(value: float, step: float) -> str:
    digits = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{value:.{digits}f}".replace("-", "−")


def _axis_ticks(axis: Axis, count: int = 5, scale: float = 1.0) -> list[dict[str, Any]]:
    values = ticks(axis.lo, axis.hi, count)
    step = nice_step(axis.hi - axis.lo, count)
    return [{"at": axis(v), "label": _tick_label(v * scale, step * scale)} for v in values]


# ------------------------------------------------------------------------------- Love plot

LOVE_LEFT, LOVE_RIGHT, LOVE_ROW, LOVE_TOP = 190.0, 620.0, 26.0, 16.0


def love_plot(result: dict[str, Any]) -> dict[str, Any] | None:
    """|SMD| of each covariate before (open circle) and after (filled square) matching, with
    the 0.1 line: points left of it are balanced."""
    rows = result.get("balance") or []
    if not rows:
        return None
    values = [abs(b[k]) for b in rows for k in ("smd_before", "smd_after") if b[k] is not None]
    top = max(0.2, math.ceil(max(values, default=0.0) * 10 - 1e-9) / 10)
    axis = Axis(0.0, top, LOVE_LEFT, LOVE_RIGHT)
    points = []
    for i, b in enumerate(rows):
        before, after = b["smd_before"], b["smd_after"]
        points.append(
            {
                "covariate": b["covariate"],
                "y": round(LOVE_TOP + (i + 0.5) * LOVE_ROW, 1),
                "before": None if before is None else axis(abs(before)),
                "after": None if after is None else axis(abs(after)),
            }
        )
    plot_bottom = LOVE_TOP + len(rows) * LOVE_ROW
    balanced = sum(1 for b in rows if b["smd_after"] is not None and abs(b["smd_after"]) <= 0.1)
    label = (
        "Love plot: the absolute standardised mean difference of each covariate before matching "
        f"(open circles) and after matching (filled squares). {balanced} of {len(rows)} "
        f"covariates are at or below the {SMD_THRESHOLD} line after matching."
    )
    return {
        "width": WIDTH,
        "height": plot_bottom + 44,
        "left": LOVE_LEFT,
        "right": LOVE_RIGHT,
        "top": LOVE_TOP,
        "bottom": plot_bottom,
        "threshold": axis(SMD_THRESHOLD),
        "ticks": _axis_ticks(axis),
        "points": points,
        "label": label,
    }


# ---------------------------------------------------------------- propensity score overlap

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 60.0, 620.0, 20.0, 240.0
OVERLAP_SERIES = (
    ("treated", "Cohort", BLUE, "", 3),
    ("pool", "Whole comparison pool", GREY, "2 3", 2),
    ("matched_comparison", "Matched comparison", BLACK, "8 4", 2),
)


def shares(counts: list[Any]) -> list[float]:
    """Each bin's share of the group; suppressed (text) counts count as 0 and are not drawn."""
    numbers = [c if isinstance(c, (int, float)) else 0.0 for c in counts]
    total = sum(numbers)
    return [n / total if total else 0.0 for n in numbers]


def step_path(edges: list[float], heights: list[float], x: Axis, y: Axis) -> str:
    """An SVG path outlining a histogram: up and across each bin, back to the baseline."""
    parts = [f"M {x(edges[0])} {y(0.0)}"]
    for i, height in enumerate(heights):
        parts.append(f"V {y(height)} H {x(edges[i + 1])}")
    parts.append(f"V {y(0.0)}")
    return " ".join(parts)


PROBABILITY_TICKS = (
    0.00001, 0.0001, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5,
    0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 0.99999,
)  # fmt: skip
MAX_PROBABILITY_TICKS = 7


def percent(probability: float) -> str:
    """A probability as a percentage with two significant figures on its smaller side (0.012%,
    4.5%, 50%, 99.95%), so neighbouring bands near 0% or 100% read apart."""
    pct = 100.0 * probability
    tail = min(pct, 100.0 - pct)
    digits = 0 if tail <= 0 or tail >= 10 else min(6, 1 - math.floor(math.log10(tail)))
    return f"{pct:.{digits}f}%"


def _logit(probability: float) -> float:
    return math.log(probability / (1.0 - probability))


def probability_ticks(axis: Axis) -> list[dict[str, Any]]:
    """Ticks of a logit axis at round probabilities, labelled as percentages (issue 17): at most
    7; the two ends of the axis when no round probability falls within it."""
    inside = [p for p in PROBABILITY_TICKS if axis.lo - 1e-9 <= _logit(p) <= axis.hi + 1e-9]
    if len(inside) < 2:
        ends = (axis.lo, axis.hi)
        return [{"at": axis(v), "label": percent(1.0 / (1.0 + math.exp(-v)))} for v in ends]
    keep = inside[:: math.ceil(len(inside) / MAX_PROBABILITY_TICKS)]
    return [{"at": axis(_logit(p)), "label": f"{100 * p:g}%"} for p in keep]


def overlap_chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """Histograms (as each group's share per bin) of the propensity score of the cohort, the
    whole pool and the matched comparison: matching should make the last look like the
    first. Results with ``logit_edges`` are drawn on the logit scale with the ticks labelled
    as probabilities; older ones on the probability scale they were binned on."""
    overlap = result.get("overlap")
    if not overlap or len(overlap.get("edges", [])) < 2:
        return None
    logit_scale = len(overlap.get("logit_edges") or []) == len(overlap["edges"])
    edges = overlap["logit_edges"] if logit_scale else overlap["edges"]
    series = {key: shares(overlap.get(key) or []) for key, *_ in OVERLAP_SERIES}
    top = max([max(s, default=0.0) for s in series.values()] + [0.01])
    top = math.ceil(top / nice_step(top, 4)) * nice_step(top, 4)
    x = Axis(edges[0], edges[-1], PLOT_LEFT, PLOT_RIGHT)
    y = Axis(0.0, top, PLOT_BOTTOM, PLOT_TOP)
    lines = [
        {
            "key": key,
            "name": name,
            "colour": colour,
            "dash": dash,
            "stroke": stroke,
            "path": step_path(edges, series[key], x, y),
        }
        for key, name, colour, dash, stroke in OVERLAP_SERIES
        if overlap.get(key)
    ]
    label = (
        "Propensity score overlap: the share of the cohort (solid blue line), of the whole "
        "comparison pool (dotted grey line) and of the matched comparison (dashed black line) "
        "in each band of the propensity score. Where the dashed line follows the solid line, "
        "the matched comparison is like the cohort."
    )
    chart = _frame(x, y, lines, label, y_scale=100.0)
    chart["x_title"] = "Propensity score"
    if logit_scale:
        chart["x_ticks"] = probability_ticks(x)
        chart["x_title"] = "Propensity score (chance of being in the cohort)"
        chart["label"] += (
            " The horizontal scale is stretched near 0% and 100%, so that people with very "
            "small or very large chances are spread out rather than crowded into one band."
        )
    return chart


def _frame(
    x: Axis, y: Axis, lines: list[dict[str, Any]], label: str, y_scale: float = 1.0
) -> dict[str, Any]:
    return {
        "width": WIDTH,
        "height": PLOT_BOTTOM + 50,
        "left": PLOT_LEFT,
        "right": PLOT_RIGHT,
        "top": PLOT_TOP,
        "bottom": PLOT_BOTTOM,
        "x_ticks": _axis_ticks(x),
        "y_ticks": _axis_ticks(y, 4, y_scale),
        "lines": lines,
        "label": label,
    }


# ----------------------------------------------------------------------- Kaplan–Meier curves

KM_SERIES = (
    ("treated", "Cohort", BLUE, "", 3),
    ("comparison", "Matched comparison", BLACK, "8 4", 2),
)
FOLLOW_UP_DAYS = 365


def survival_path(points: list[dict[str, Any]], x: Axis, y: Axis, end: float) -> str:
    """A Kaplan–Meier step line: flat at the last survival until each time, then down."""
    parts = [f"M {x(0.0)} {y(1.0)}"]
    for point in points:
        parts.append(f"H {x(point['time'])} V {y(point['survival'])}")
    parts.append(f"H {x(end)}")
    return " ".join(parts)


def km_chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """Survival without a proven reoffence (the share not yet reoffended) by day of follow-up,
    for the cohort (solid) and the matched comparison (dashed)."""
    tte = result.get("time_to_event")
    if not tte or not tte.get("kaplan_meier"):
        return None
    curves = tte["kaplan_meier"]
    points = [p for key, *_ in KM_SERIES for p in curves.get(key) or []]
    end = max([FOLLOW_UP_DAYS] + [p["time"] for p in points])
    lowest = min([1.0] + [p["survival"] for p in points])
    floor = max(0.0, math.floor(lowest * 10 - 1e-9) / 10)
    x = Axis(0.0, float(end), PLOT_LEFT, PLOT_RIGHT)
    y = Axis(floor, 1.0, PLOT_BOTTOM, PLOT_TOP)
    lines = [
        {
            "key": key,
            "name": name,
            "colour": colour,
            "dash": dash,
            "stroke": stroke,
            "path": survival_path(curves.get(key) or [], x, y, end),
        }
        for key, name, colour, dash, stroke in KM_SERIES
        if curves.get(key)
    ]
    label = (
        "Kaplan–Meier curves: the share of people without a proven reoffence by day since the "
        "start, for the cohort (solid blue line) and the matched comparison (dashed black "
        f"line). {survival_summary(tte)}"
    )
    return _frame(x, y, lines, label, y_scale=100.0)


def survival_summary(tte: dict[str, Any]) -> str:
    """The log-rank test and Cox hazard ratio in words."""
    parts = []
    log_rank = tte.get("log_rank") or {}
    if log_rank.get("p_value") is not None:
        parts.append(f"Log-rank test p-value {p_value(log_rank['p_value'])}.")
    cox = tte.get("cox") or {}
    if cox.get("hazard_ratio") is not None:
        ratio = f"{cox['hazard_ratio']:.2f}"
        interval = ""
        if cox.get("ci_low") is not None and cox.get("ci_high") is not None:
            interval = f" (95% confidence interval {cox['ci_low']:.2f} to {cox['ci_high']:.2f})"
        parts.append(
            f"Cox hazard ratio {ratio}{interval}: below 1 means the cohort reoffended later or "
            "less than the matched comparison."
        )
    return " ".join(parts)


# ------------------------------------------------------------------------ subgroup forest

FOREST_LEFT, FOREST_RIGHT, FOREST_ROW, FOREST_TOP = 230.0, 620.0, 30.0, 16.0
VARIABLE_LABELS = {"sex": "Sex", "ethnicity": "Ethnicity", "area": "Area", "age band": "Age band"}


def group_label(row: dict[str, Any]) -> str:
    """E.g. "Sex: female" or "Age band: 18–20" (a range of ages with an en dash)."""
    variable = VARIABLE_LABELS.get(row["variable"], row["variable"])
    group = str(row["group"])
    if row["variable"] == "age band":
        group = group.replace("-", "–")
    return f"{variable}: {group}"


def forest_chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """Each subgroup's effect (square) and 95% interval (line) against no difference (dashed);
    a flagged disparity is named in the row label, not only shown."""
    rows = [r for r in result.get("subgroups") or [] if r.get("effect") is not None]
    if not rows:
        return None
    binary = result.get("outcome_type") == "binary"
    scale = 100.0 if binary else 1.0
    values = [v for r in rows for v in (r["ci_low"], r["ci_high"], r["effect"]) if v is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    pad = (hi - lo) * 0.05 or 0.01
    axis = Axis(lo - pad, hi + pad, FOREST_LEFT, FOREST_RIGHT)
    drawn = []
    for i, row in enumerate(rows):
        low, high = row["ci_low"], row["ci_high"]
        drawn.append(
            {
                "label": group_label(row) + (" (disparity)" if row.get("disparity") else ""),
                "y": round(FOREST_TOP + (i + 0.5) * FOREST_ROW, 1),
                "effect": axis(row["effect"]),
                "low": None if low is None else axis(low),
                "high": None if high is None else axis(high),
                "disparity": bool(row.get("disparity")),
            }
        )
    flagged = [group_label(r) for r in rows if r.get("disparity")]
    unit = "percentage points" if binary else "outcome units"
    label = (
        f"Forest plot: the effect in {unit} (square) and its 95% confidence interval (line) for "
        "each subgroup; the dashed line is no difference. "
        + (
            f"Flagged as differing from the rest of the cohort: {', '.join(flagged)}."
            if flagged
            else "No subgroup is flagged as differing from the rest of the cohort."
        )
    )
    bottom = FOREST_TOP + len(rows) * FOREST_ROW
    return {
        "width": WIDTH,
        "height": bottom + 44,
        "left": FOREST_LEFT,
        "right": FOREST_RIGHT,
        "top": FOREST_TOP,
        "bottom": bottom,
        "zero": axis(0.0),
        "ticks": _axis_ticks(axis, 5, scale),
        "rows": drawn,
        "unit": unit,
        "label": label,
    }
