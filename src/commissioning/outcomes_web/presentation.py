"""What the study page and the downloads show of a stored result (OUT-1, OUT-4).

Counts are published with the core's suppression rule (1–4 people shown as "<5"); binary
outcomes are shown as percentages and their effect in percentage points. The chart is a
forest-style interval: its numbers are also in the results table.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from commissioning_analytics.outcomes.safeguards import publish_count

CHART_WIDTH = 640
CHART_LEFT = 40
CHART_RIGHT = 600


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def _number(value: Any, digits: int = 3) -> str:
    return "not available" if value is None else f"{value:,.{digits}f}".replace("-", "−")


def _share(value: Any, binary: bool) -> str:
    if value is None:
        return "not available"
    return f"{value * 100:.1f}%" if binary else _number(value, 2)


def _difference(value: Any, binary: bool) -> str:
    if value is None:
        return "not available"
    text = f"{value * 100:+.1f} percentage points" if binary else f"{value:+.2f}"
    return text.replace("-", "−")


def _p_value(value: Any) -> str:
    if value is None:
        return "not available"
    return "less than 0.001" if value < 0.001 else f"{value:.3f}"


def _published(count: Any) -> Any:
    """A count under the core's suppression rule (already-suppressed text stays as it is)."""
    return count if count is None or isinstance(count, str) else publish_count(count)


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
    if "size" in pool_info:
        pool_info["size"] = _published(pool_info["size"])
    published["comparison_pool"] = pool_info
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
    for warning in result.get("warnings", []):
        writer.writerow(["warning", "", warning])
    return out.getvalue()
