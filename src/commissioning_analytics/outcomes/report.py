"""Text and JSON renderings of an :class:`~.evaluation.Evaluation` (the CLI's output)."""

from __future__ import annotations

import json
from typing import Any

from commissioning_analytics.outcomes.evaluation import Evaluation
from commissioning_analytics.outcomes.numbers import plain


def to_json(evaluation: Evaluation) -> str:
    return json.dumps(evaluation.to_dict(), indent=2, allow_nan=False)


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _p(value: float | None) -> str:
    """A p-value in plain digits: "less than 0.0001" rather than "1.2e-05"."""
    if value is None:
        return "n/a"
    return "less than 0.0001" if value < 0.0001 else plain(value, 2)


def to_text(evaluation: Evaluation) -> str:
    data = evaluation.to_dict()
    lines = [
        f"Outcome: {data['outcome']} ({data['outcome_type']})",
        f"Cohort: {data['n_treated']:,} people; comparison pool: {data['n_pool']:,} people",
        f"Matched: {data['n_matched_treated']:,} cohort members "
        f"({data['share_matched']:.0%}) with {data['n_matched_comparison']:,} comparison people",
        "",
        f"Cohort mean:               {_number(data['treated_mean'], 4)}",
        f"Matched comparison mean:   {_number(data['comparison_mean'], 4)}",
        f"Effect (cohort − comparison): {_number(data['effect'], 4)} "
        f"(95% CI {_number(data['ci_low'], 4)} to {_number(data['ci_high'], 4)}; "
        f"p = {_p(data['p_value'])})",
        "",
        data["statement"],
        "",
        f"{'Covariate':<24}{'SMD before':>12}{'SMD after':>12}",
    ]
    for row in data["balance"]:
        lines.append(
            f"{row['covariate']:<24}{_number(row['smd_before']):>12}{_number(row['smd_after']):>12}"
        )
    lines.extend(_time_to_event_lines(data["time_to_event"]))
    lines.extend(_subgroup_lines(data["subgroups"]))
    if data["warnings"]:
        lines.append("")
        lines.extend(f"Warning: {warning}" for warning in data["warnings"])
    return "\n".join(lines)


def _days(value: float | None) -> str:
    return "not reached" if value is None else f"{plain(value, 6)} days"


def _time_to_event_lines(tte: dict[str, Any] | None) -> list[str]:
    if tte is None:
        return []
    events, median = tte["events"], tte["median_days"]
    lines = [
        "",
        f"Time to first event ({tte['duration']}, {tte['event']}), matched sample:",
        f"  Events: cohort {events['treated']:,}; "
        f"matched comparison (weighted) {events['comparison_weighted']:,.1f}",
        f"  Median time: cohort {_days(median['treated'])}; "
        f"comparison {_days(median['comparison'])}",
    ]
    if tte["log_rank"] is not None:
        lr = tte["log_rank"]
        lines.append(
            f"  Log-rank test: chi-square {_number(lr['statistic'], 2)} on 1 df, "
            f"p = {_p(lr['p_value'])}"
        )
    if tte["cox"] is not None:
        cox = tte["cox"]
        lines.append(
            f"  Cox hazard ratio (cohort vs comparison): {_number(cox['hazard_ratio'])} "
            f"(95% CI {_number(cox['ci_low'])} to {_number(cox['ci_high'])}; "
            f"p = {_p(cox['p_value'])})"
        )
        lines.append(
            f"  Standard error of log hazard ratio: {_number(cox['standard_error'])} "
            f"({cox['variance']}; model-based {_number(cox['model_standard_error'])})"
        )
    return lines


def _subgroup_lines(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = [
        "",
        "Subgroups (matched cohort members; effect with 95% CI; * = differs from the rest):",
        f"{'Variable':<14}{'Group':<16}{'Matched':>8}  {'Effect':>8}  95% CI",
    ]
    for row in rows:
        if row["effect"] is None:
            result = f"{'':>8}  {row['note']}"
        else:
            interval = f"{_number(row['ci_low'], 4)} to {_number(row['ci_high'], 4)}"
            flag = "*" if row["disparity"] else ""
            result = f"{_number(row['effect'], 4):>8}  {interval:<20}{flag}"
        line = f"{row['variable']:<14}{row['group']:<16}{row['n_matched']:>8,}  {result}"
        lines.append(line.rstrip())
    return lines
