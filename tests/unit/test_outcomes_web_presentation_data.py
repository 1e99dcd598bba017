"""Hand-made stored results with the survival, overlap and subgroup sections of the core's
``Evaluation.to_dict()`` (OUT-1, OUT-2, EQU-2), shared by the presentation, integration and
browser tests. No tests here."""

from __future__ import annotations

import copy
from typing import Any

KM_TREATED = [
    {"time": 10.0, "survival": 0.95, "ci_low": 0.90, "ci_high": 0.98, "at_risk": 100},
    {"time": 40.0, "survival": 0.90, "ci_low": 0.83, "ci_high": 0.94, "at_risk": 95},
    {"time": 200.0, "survival": 0.80, "ci_low": 0.71, "ci_high": 0.86, "at_risk": 90},
    {"time": 364.0, "survival": 0.78, "ci_low": 0.69, "ci_high": 0.85, "at_risk": 3},
]
KM_COMPARISON = [
    {"time": 5.0, "survival": 0.90, "ci_low": 0.84, "ci_high": 0.94, "at_risk": 100.0},
    {"time": 100.0, "survival": 0.70, "ci_low": 0.61, "ci_high": 0.78, "at_risk": 90.4},
    {"time": 300.0, "survival": 0.60, "ci_low": 0.50, "ci_high": 0.69, "at_risk": 4.4},
]
EDGES = [round(i / 20, 2) for i in range(21)]
TREATED_BINS = [0] * 10 + [3, 10, 20, 20, 20, 10, 10, 5, 2, 0]
POOL_BINS = [2000, 900, 500, 300, 200, 100, 60, 40, 20, 10, 8, 6, 5, 4, 3, 2, 1, 1, 0, 0]
MATCHED_BINS = [0.0] * 10 + [2.6, 11.0, 19.5, 20.0, 21.0, 9.0, 10.0, 4.9, 2.0, 0.0]


def subgroup(variable: str, group: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "variable": variable,
        "group": group,
        "n_cohort": 70,
        "n_matched": 66,
        "treated_mean": 0.2,
        "comparison_mean": 0.3,
        "effect": -0.1,
        "ci_low": -0.2,
        "ci_high": 0.0,
        "p_value": 0.05,
        "disparity": False,
        "disparity_p_value": 0.6,
        "note": "",
    }
    return row | values


SUBGROUPS = [
    subgroup(
        "sex",
        "female",
        n_cohort=3,
        n_matched=3,
        treated_mean=None,
        comparison_mean=None,
        effect=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
        disparity_p_value=None,
        note="fewer than 60 matched cohort members: no estimate",
    ),
    subgroup("sex", "male", n_cohort=97, n_matched=94),
    subgroup(
        "area",
        "london",
        effect=-0.3,
        ci_low=-0.45,
        ci_high=-0.15,
        p_value=0.0004,
        disparity=True,
        disparity_p_value=0.01,
    ),
]


def full_result(base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (an older stored result) with the new sections added."""
    result = copy.deepcopy(base)
    result["time_to_event"] = {
        "duration": "days_to_first",
        "event": "first_event",
        "kaplan_meier": {"treated": KM_TREATED, "comparison": KM_COMPARISON},
        "median_days": {"treated": None, "comparison": 250.0},
        "log_rank": {"statistic": 6.5, "p_value": 0.011},
        "cox": {
            "hazard_ratio": 0.62,
            "ci_low": 0.43,
            "ci_high": 0.89,
            "p_value": 0.01,
            "coefficient": -0.478,
            "standard_error": 0.18,
            "model_standard_error": 0.15,
            "variance": "robust, clustered on matched sets and reused comparison people",
        },
        "events": {"treated": 3, "comparison_weighted": 40.4},
    }
    result["overlap"] = {
        "edges": EDGES,
        "treated": TREATED_BINS,
        "pool": POOL_BINS,
        "matched_comparison": MATCHED_BINS,
    }
    result["subgroups"] = SUBGROUPS
    return copy.deepcopy(result)


BASE: dict[str, Any] = {
    "outcome": "reoffended",
    "outcome_type": "binary",
    "n_treated": 100,
    "n_pool": 5000,
    "n_matched_treated": 100,
    "n_matched_comparison": 100,
    "share_matched": 1.0,
    "caliper_width_logit": 0.4,
    "treated_mean": 0.22,
    "comparison_mean": 0.4,
    "effect": -0.18,
    "standard_error": 0.06,
    "ci_low": -0.3,
    "ci_high": -0.06,
    "confidence": 0.95,
    "p_value": 0.003,
    "balance": [
        {
            "covariate": "age",
            "smd_before": 0.45,
            "smd_after": 0.02,
            "variance_ratio_before": 1.2,
            "variance_ratio_after": 1.0,
        },
        {
            "covariate": "prior_offences",
            "smd_before": -0.3,
            "smd_after": -0.15,
            "variance_ratio_before": 1.5,
            "variance_ratio_after": 1.1,
        },
        {
            "covariate": "female",
            "smd_before": None,
            "smd_after": 0.0,
            "variance_ratio_before": None,
            "variance_ratio_after": None,
        },
    ],
    "propensity_model": {
        "terms": ["(intercept)", "age"],
        "coefficients": [0.1, 0.2],
        "converged": True,
        "iterations": 5,
    },
    "published_counts": {
        "matched_treated": 100,
        "matched_comparison": 100,
        "treated_with_outcome": 22,
        "comparison_with_outcome_weighted": 40,
    },
    "statement": "For 100 typical people who receive support, 18 fewer reoffend.",
    "warnings": [],
    "comparison_pool": {"label": "synthetic comparison pool", "seed": 2026, "size": 5000},
}
