"""The data tables next to the study page's charts (OUT-1, OUT-2, EQU-2): the same numbers
as the charts, as text, so that nobody needs to read a chart.

The Kaplan–Meier table gives the survival and the number still at risk every 30 days of the
follow-up year (the usual "numbers at risk" table); :func:`km_grid` is also how a published
result's curves are coarsened (see :func:`.presentation.published_result`).
"""

from __future__ import annotations

from typing import Any

from commissioning.outcomes_web.charts import FOLLOW_UP_DAYS, group_label, percent
from commissioning.outcomes_web.formatting import (
    MISSING,
    count,
    difference,
    number,
    p_value,
    share,
)

GRID_STEP_DAYS = 30


def overlap_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """One row per propensity score band: the people of each group in it."""
    overlap = result.get("overlap") or {}
    edges = overlap.get("edges") or []
    logit_scale = bool(overlap.get("logit_edges"))
    rows = []
    for i in range(len(edges) - 1):
        band = f"{edges[i]:.2f} to {edges[i + 1]:.2f}"
        if logit_scale:  # unequal bands on the probability scale: percentages read apart
            band = f"{percent(edges[i])} to {percent(edges[i + 1])}"
        rows.append(
            {
                "band": band,
                **{
                    key: count(_item(overlap.get(key), i))
                    for key in ("treated", "pool", "matched_comparison")
                },
            }
        )
    return rows


def _item(values: list[Any] | None, i: int) -> Any:
    return values[i] if values and i < len(values) else None


def grid_days(points: list[dict[str, Any]]) -> list[int]:
    """Day 0, every 30 days, and the end of the follow-up (365 days, or the last time)."""
    end = int(max([FOLLOW_UP_DAYS] + [p["time"] for p in points]))
    days = list(range(0, end + 1, GRID_STEP_DAYS))
    return days if days[-1] == end else [*days, end]


def km_at(points: list[dict[str, Any]], day: float) -> dict[str, Any]:
    """The Kaplan–Meier curve at ``day``: survival and its interval from the last step at or
    before it (1 before the first), and the number at risk at the first step at or after it
    (nobody is censored before the end of the follow-up year); ``None`` when unknown."""
    before = [p for p in points if p["time"] <= day]
    after = [p for p in points if p["time"] >= day]
    last = before[-1] if before else None
    return {
        "time": day,
        "survival": last["survival"] if last else 1.0,
        "ci_low": last["ci_low"] if last else 1.0,
        "ci_high": last["ci_high"] if last else 1.0,
        "at_risk": after[0]["at_risk"] if after else None,
    }


def km_grid(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [km_at(points, day) for day in grid_days(points)] if points else []


def _survival_text(point: dict[str, Any]) -> str:
    main = share(point["survival"], True)
    if point["ci_low"] is None or point["ci_high"] is None:
        return main
    return f"{main} ({share(point['ci_low'], True)} to {share(point['ci_high'], True)})"


def km_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """Survival (with its 95% interval) and people at risk, every 30 days, by group."""
    tte = result.get("time_to_event") or {}
    curves = tte.get("kaplan_meier") or {}
    treated, comparison = curves.get("treated") or [], curves.get("comparison") or []
    if not treated and not comparison:
        return []
    rows = []
    for day in grid_days(treated + comparison):
        t, c = km_at(treated, day), km_at(comparison, day)
        rows.append(
            {
                "day": str(day),
                "treated_survival": _survival_text(t) if treated else MISSING,
                "treated_at_risk": count(t["at_risk"]),
                "comparison_survival": _survival_text(c) if comparison else MISSING,
                "comparison_at_risk": count(c["at_risk"]),
            }
        )
    return rows


def km_facts(result: dict[str, Any]) -> list[tuple[str, str]]:
    """Medians, events, the log-rank test and the Cox model, as (label, value) rows."""
    tte = result.get("time_to_event") or {}
    if not tte:
        return []
    median = tte.get("median_days") or {}
    events = tte.get("events") or {}
    log_rank = tte.get("log_rank") or {}
    cox = tte.get("cox") or {}

    def days(value: Any) -> str:
        return "not reached in the follow-up" if value is None else f"{value:,.0f} days"

    interval = MISSING
    if cox.get("ci_low") is not None and cox.get("ci_high") is not None:
        interval = f"{number(cox['ci_low'], 2)} to {number(cox['ci_high'], 2)}"
    return [
        ("Median time to first proven reoffence: cohort", days(median.get("treated"))),
        (
            "Median time to first proven reoffence: matched comparison",
            days(median.get("comparison")),
        ),
        ("Cohort members with a proven reoffence", count(events.get("treated"))),
        (
            "Matched comparison people with a proven reoffence (weighted)",
            count(events.get("comparison_weighted")),
        ),
        ("Log-rank test statistic", number(log_rank.get("statistic"), 2)),
        ("Log-rank test p-value", p_value(log_rank.get("p_value"))),
        ("Cox hazard ratio (cohort to matched comparison)", number(cox.get("hazard_ratio"), 2)),
        ("Hazard ratio 95% confidence interval", interval),
        ("Hazard ratio p-value", p_value(cox.get("p_value"))),
        ("Hazard ratio standard error (log scale)", hazard_ratio_error(cox)),
    ]


def hazard_ratio_error(cox: dict[str, Any]) -> str:
    """The standard error behind the hazard ratio's interval, and why it is the robust one
    (issue 17): results stored before the robust variance show the number alone."""
    error = number(cox.get("standard_error"), 3)
    model = cox.get("model_standard_error")
    if not str(cox.get("variance", "")).startswith("robust") or model is None:
        return error
    return (
        f"{error}, allowing for people matched together and for comparison people matched "
        f"to more than one cohort member; the interval and p-value use it (counting each "
        f"match as a separate person would give {number(model, 3)})"
    )


def subgroup_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """One row per subgroup; a disparity is written out in words."""
    binary = result.get("outcome_type") == "binary"
    rows = []
    for row in result.get("subgroups") or []:
        low, high = row.get("ci_low"), row.get("ci_high")
        interval = MISSING
        if low is not None and high is not None:
            interval = f"{difference(low, binary)} to {difference(high, binary)}"
        if row.get("disparity"):
            flag = (
                "Yes: the effect differs from the rest of the cohort "
                f"(p-value {p_value(row.get('disparity_p_value'))})"
            )
        else:
            flag = "No"
        rows.append(
            {
                "group": group_label(row),
                "n_cohort": count(row.get("n_cohort")),
                "n_matched": count(row.get("n_matched")),
                "treated_mean": share(row.get("treated_mean"), binary),
                "comparison_mean": share(row.get("comparison_mean"), binary),
                "effect": difference(row.get("effect"), binary),
                "interval": interval,
                "p_value": p_value(row.get("p_value")),
                "disparity": flag,
                "note": row.get("note") or "",
            }
        )
    return rows
