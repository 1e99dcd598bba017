"""What the study page and the downloads show of a stored result (OUT-1, OUT-2, OUT-4, EQU-2).

Counts are published with the core's suppression rule (1–4 people shown as "<5"); binary
outcomes are shown as percentages and their effect in percentage points. The interval chart's
numbers are also in the results table.

A published result (:func:`published_result`) also carries the survival analysis, the
propensity score histogram and the subgroup results, each through its own function: counts in
these breakdowns are suppressed *and rounded to the nearest 5* (so that a suppressed cell
cannot be recovered from a total), and the Kaplan–Meier curves are given only every 30 days
and to a whole percent.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from commissioning.outcomes_web.chart_tables import km_grid
from commissioning.outcomes_web.formatting import difference as _difference
from commissioning.outcomes_web.formatting import number as _number
from commissioning.outcomes_web.formatting import p_value as _p_value
from commissioning.outcomes_web.formatting import published as _published
from commissioning.outcomes_web.formatting import published_breakdown
from commissioning.outcomes_web.formatting import share as _share
from commissioning.outcomes_web.models import OutcomeStudy

CHART_WIDTH = 640
CHART_LEFT = 40
CHART_RIGHT = 600


@dataclass(frozen=True)
class Row:
    label: str
    value: str


PUBLISHED_KEYS: tuple[str, ...] = (
    "outcome",
    "outcome_type",
    "share_matched",
    "treated_mean",
    "comparison_mean",
    "effect",
    "standard_error",
    "ci_low",
    "ci_high",
    "confidence",
    "p_value",
    "statement",
    "warnings",
)
COUNT_KEYS = ("n_treated", "n_pool", "n_matched_treated", "n_matched_comparison")


def shown_result(study: OutcomeStudy, full: bool) -> dict[str, Any] | None:
    """The result a viewer sees: ``None`` until the study is done; the full result for whoever
    sees the study in full, the published (suppressed) one for everyone else (OUT-4)."""
    if study.status != OutcomeStudy.Status.DONE or not study.result:
        return None
    return study.result if full else published_result(study.result)


def published_result(result: dict[str, Any]) -> dict[str, Any]:
    """What a published study shows to everyone (OUT-4): every count under the core's
    suppression rule, the balance summary, and nothing person-level or model-internal."""
    published = {key: result.get(key) for key in PUBLISHED_KEYS}
    published |= {key: _published(result.get(key)) for key in COUNT_KEYS}
    published["published_counts"] = {
        key: _published(value) for key, value in result.get("published_counts", {}).items()
    }
    published["balance"] = [
        {"covariate": b["covariate"], "smd_before": b["smd_before"], "smd_after": b["smd_after"]}
        for b in result.get("balance", [])
    ]
    pool_info = dict(result.get("comparison_pool", {}))
    for count in ("size", "cohort_found", "cohort_not_found"):
        if count in pool_info:
            pool_info[count] = _published(pool_info[count])
    published["comparison_pool"] = pool_info
    published["time_to_event"] = _published_time_to_event(result.get("time_to_event"))
    published["overlap"] = _published_overlap(result.get("overlap"))
    published["subgroups"] = [_published_subgroup(row) for row in result.get("subgroups") or []]
    intermediate = result.get("intermediate")
    published["intermediate"] = (
        None if intermediate is None else [_published_intermediate(row) for row in intermediate]
    )
    return published


PUBLISHED_TIME_TO_EVENT_KEYS = ("duration", "event", "median_days", "log_rank", "cox")
PUBLISHED_SUBGROUP_KEYS = (
    "variable",
    "group",
    "treated_mean",
    "comparison_mean",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "disparity",
    "disparity_p_value",
    "note",
)


def _published_time_to_event(tte: dict[str, Any] | None) -> dict[str, Any] | None:
    """The survival analysis as published: each curve only every 30 days (each step of a full
    curve is one person's reoffence), numbers at risk rounded (:func:`published_breakdown`)
    and events suppressed (OUT-4)."""
    if not tte:
        return None
    published = {key: tte.get(key) for key in PUBLISHED_TIME_TO_EVENT_KEYS}
    curves = tte.get("kaplan_meier") or {}
    published["kaplan_meier"] = {
        group: [
            {
                "time": point["time"],
                **{key: _whole_percent(point[key]) for key in ("survival", "ci_low", "ci_high")},
                "at_risk": published_breakdown(point["at_risk"]),
            }
            for point in km_grid(curves.get(group) or [])
        ]
        for group in ("treated", "comparison")
    }
    published["events"] = {
        key: _published(value) for key, value in (tte.get("events") or {}).items()
    }
    return published


def _whole_percent(value: float | None) -> float | None:
    """A published survival share, to a whole percent: finer steps would let a reader count
    the people who reoffended in a 30-day interval."""
    return None if value is None else round(value, 2)


def _published_overlap(overlap: dict[str, Any] | None) -> dict[str, Any] | None:
    """The propensity score histogram, every bin's count suppressed and rounded (OUT-4)."""
    if not overlap:
        return None
    return {
        **{key: overlap[key] for key in ("scale", "logit_edges") if key in overlap},
        "edges": list(overlap.get("edges") or []),
        **{
            key: [published_breakdown(c) for c in overlap.get(key) or []]
            for key in ("treated", "pool", "matched_comparison")
        },
    }


def _published_subgroup(row: dict[str, Any]) -> dict[str, Any]:
    """A subgroup's result with its numbers of people suppressed and rounded (OUT-4, EQU-2)."""
    published = {key: row.get(key) for key in PUBLISHED_SUBGROUP_KEYS}
    published["n_cohort"] = published_breakdown(row.get("n_cohort"))
    published["n_matched"] = published_breakdown(row.get("n_matched"))
    return published


INTERMEDIATE_FIGURES = (
    "treated_mean",
    "comparison_mean",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "note",
)
PUBLISHED_INTERMEDIATE_KEYS = ("measure", "label", *INTERMEDIATE_FIGURES)


def _published_intermediate(row: dict[str, Any]) -> dict[str, Any]:
    """An intermediate outcome's result with the number of people who have it recorded
    suppressed and rounded, as a breakdown's counts are (OUT-3, OUT-4)."""
    published = {key: row.get(key) for key in PUBLISHED_INTERMEDIATE_KEYS}
    published["n_recorded"] = published_breakdown(row.get("n_recorded"))
    return published


def result_rows(result: dict[str, Any]) -> list[Row]:
    binary = result["outcome_type"] == "binary"
    counts = result.get("published_counts", {})
    rows = [
        Row("Cohort mean" + (" (rate)" if binary else ""), _share(result["treated_mean"], binary)),
        Row("Matched comparison mean", _share(result["comparison_mean"], binary)),
        Row("Effect (cohort minus comparison)", _difference(result["effect"], binary)),
        Row(
            "95% confidence interval",
            f"{_difference(result['ci_low'], binary)} to {_difference(result['ci_high'], binary)}",
        ),
        Row("p-value", _p_value(result["p_value"])),
        Row("People in the cohort", str(_published(result["n_treated"]))),
        Row("Cohort members matched", str(counts.get("matched_treated", "not available"))),
        Row("Comparison people matched", str(counts.get("matched_comparison", "not available"))),
    ]
    if binary:
        rows.append(
            Row("Matched cohort members with the outcome", str(counts["treated_with_outcome"]))
        )
        rows.append(
            Row(
                "Matched comparison people with the outcome (weighted)",
                str(counts["comparison_with_outcome_weighted"]),
            )
        )
    return rows


def balance_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "covariate": b["covariate"],
            "smd_before": _number(b["smd_before"]),
            "smd_after": _number(b["smd_after"]),
            "balanced": "Yes"
            if b["smd_after"] is not None and abs(b["smd_after"]) <= 0.1
            else "No",
        }
        for b in result["balance"]
    ]


def interval_chart(result: dict[str, Any]) -> dict[str, Any] | None:
    """Positions (in a 640-wide SVG) of the effect, its interval and zero."""
    low, high, effect = result["ci_low"], result["ci_high"], result["effect"]
    if low is None or high is None or effect is None:
        return None
    binary = result["outcome_type"] == "binary"
    scale = 100.0 if binary else 1.0
    lo, hi = min(low, 0.0) * scale, max(high, 0.0) * scale
    pad = (hi - lo) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad

    def x(value: float) -> float:
        return round(CHART_LEFT + (value * scale - lo) / (hi - lo) * (CHART_RIGHT - CHART_LEFT), 1)

    unit = " percentage points" if binary else ""
    label = (
        f"Effect {_difference(effect, binary)}, 95% confidence interval "
        f"{_difference(low, binary)} to {_difference(high, binary)}; the dashed line is no "
        "difference."
    )
    return {
        "width": CHART_WIDTH,
        "zero": x(0.0),
        "low": x(low),
        "high": x(high),
        "effect": x(effect),
        "low_label": _difference(low, binary),
        "high_label": _difference(high, binary),
        "unit": unit,
        "label": label,
    }


def result_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


SCALARS = (
    "outcome",
    "outcome_type",
    "n_treated",
    "n_pool",
    "n_matched_treated",
    "n_matched_comparison",
    "share_matched",
    "caliper_width_logit",
    "treated_mean",
    "comparison_mean",
    "effect",
    "standard_error",
    "ci_low",
    "ci_high",
    "confidence",
    "p_value",
    "statement",
)


def result_csv(result: dict[str, Any]) -> str:
    """One ``section,name,value`` row per figure: the results, published counts, balance
    (SMD before and after per covariate) and warnings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "name", "value"])
    for key in SCALARS:
        writer.writerow(["result", key, "" if result.get(key) is None else result[key]])
    for key, value in result.get("published_counts", {}).items():
        writer.writerow(["published_count", key, value])
    for b in result["balance"]:
        for key in ("smd_before", "smd_after", "variance_ratio_before", "variance_ratio_after"):
            value = b.get(key)
            writer.writerow(["balance", f"{b['covariate']}:{key}", "" if value is None else value])
    _time_to_event_csv(writer, result.get("time_to_event"))
    _overlap_csv(writer, result.get("overlap"))
    for row in result.get("subgroups") or []:
        name = f"{row['variable']}={row['group']}"
        for key in SUBGROUP_CSV_KEYS:
            writer.writerow(["subgroup", f"{name}:{key}", _cell(row.get(key))])
    for row in result.get("intermediate") or []:
        for key in INTERMEDIATE_CSV_KEYS:
            writer.writerow(["intermediate", f"{row['measure']}:{key}", _cell(row.get(key))])
    for warning in result.get("warnings", []):
        writer.writerow(["warning", "", warning])
    return out.getvalue()


SUBGROUP_CSV_KEYS = (
    "n_cohort",
    "n_matched",
    "treated_mean",
    "comparison_mean",
    "effect",
    "ci_low",
    "ci_high",
    "p_value",
    "disparity",
    "disparity_p_value",
    "note",
)


INTERMEDIATE_CSV_KEYS = ("n_recorded", *INTERMEDIATE_FIGURES)


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _time_to_event_csv(writer: Any, tte: dict[str, Any] | None) -> None:
    if not tte:
        return
    medians = tte.get("median_days") or {}
    for group in ("treated", "comparison"):
        writer.writerow(["time_to_event", f"median_days:{group}", _cell(medians.get(group))])
    for section in ("log_rank", "cox", "events"):
        for key, value in (tte.get(section) or {}).items():
            writer.writerow(["time_to_event", f"{section}:{key}", _cell(value)])
    for group, points in (tte.get("kaplan_meier") or {}).items():
        for point in points:
            for key in ("survival", "ci_low", "ci_high", "at_risk"):
                name = f"{group}:day {point['time']:g}:{key}"
                writer.writerow(["kaplan_meier", name, _cell(point.get(key))])


def _overlap_csv(writer: Any, overlap: dict[str, Any] | None) -> None:
    if not overlap:
        return
    edges = overlap.get("edges") or []
    for key in ("treated", "pool", "matched_comparison"):
        for i, value in enumerate(overlap.get(key) or []):
            band = f"{edges[i]:g}-{edges[i + 1]:g}" if i + 1 < len(edges) else str(i)
            writer.writerow(["overlap", f"{key}:{band}", _cell(value)])
