"""Text and JSON renderings of an :class:`~.evaluation.Evaluation` (the CLI's output)."""

from __future__ import annotations

import json

from commissioning_analytics.outcomes.evaluation import Evaluation


def to_json(evaluation: Evaluation) -> str:
    return json.dumps(evaluation.to_dict(), indent=2, allow_nan=False)


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


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
        f"p = {data['p_value']:.4g})",
        "",
        data["statement"],
        "",
        f"{'Covariate':<24}{'SMD before':>12}{'SMD after':>12}",
    ]
    for row in data["balance"]:
        lines.append(
            f"{row['covariate']:<24}{_number(row['smd_before']):>12}{_number(row['smd_after']):>12}"
        )
    if data["warnings"]:
        lines.append("")
        lines.extend(f"Warning: {warning}" for warning in data["warnings"])
    return "\n".join(lines)
