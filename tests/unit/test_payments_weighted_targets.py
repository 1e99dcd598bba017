"""An at-risk share earned partly on several measures, each with its weight (PBR-1, PBR-2;
issue 15): each target met earns its weight's share of the at-risk amount. Every figure is
worked out by hand in the test's comment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from commissioning_analytics.payments import (
    PaymentsFormatError,
    Statement,
    calculate,
    parse_mechanism,
    parse_observed,
)

TARGETS = [
    {"measure": "reconviction", "target": "5.0", "weight": "0.5"},
    {"measure": "housed", "target": "40", "weight": "0.3"},
    {"measure": "employed", "target": "20", "weight": "0.2"},
]


def resettlement(mode: str = "clawback", **at_risk: Any) -> dict[str, Any]:
    """£400,000 a year paid quarterly in arrears (£100,000 a quarter); 10% (£40,000 a year) at
    risk on three measures weighted 50/30/20: a 5-point cut in reconviction against a 58.0%
    baseline, 40% of the cohort housed and 20% in work."""
    return {
        "format_version": 1,
        "id": "resettlement",
        "name": "Resettlement earned on three measures",
        "period": "quarter",
        "term_periods": 8,
        "parties": [
            {"id": "c", "name": "Commissioner", "role": "commissioner"},
            {"id": "p", "name": "Prime", "role": "prime"},
        ],
        "measures": [
            {
                "id": "reconviction",
                "kind": "binary",
                "comparison": "baseline",
                "improvement": "percentage_points",
                "baseline": "58.0",
            },
            {"id": "housed", "kind": "intermediate"},
            {"id": "employed", "kind": "intermediate"},
        ],
        "service_fee": {
            "annual_value": "400000.00",
            "frequency": "quarterly",
            "timing": "arrears",
            "at_risk": {"share": "0.10", "mode": mode, "targets": TARGETS, **at_risk},
        },
    }


def quarter(n: int, *measures: str) -> dict[str, Any]:
    """Quarter ``n``; in it, results on ``measures`` for a cohort of 100: 52.0% reconvicted
    (a 6.0-point cut: met), 30 housed (30%: missed), 25 in work (25%: met)."""
    year, month = 2026 + (n - 1) // 4, 1 + 3 * ((n - 1) % 4)
    cohort = {"cohort": f"q{n}", "cohort_size": 100}
    results = {
        "reconviction": {"measure": "reconviction", **cohort, "observed": "52.0"},
        "housed": {"measure": "housed", **cohort, "achieved": {"all": 30}},
        "employed": {"measure": "employed", **cohort, "achieved": {"all": 25}},
    }
    return {
        "period": n,
        "start": f"{year}-{month:02d}-01",
        "end": f"{year}-{month + 2:02d}-28",
        "outcomes": [results[m] for m in measures],
    }


YEAR_ONE = [quarter(1), quarter(2), quarter(3), quarter(4, "reconviction", "housed", "employed")]


def run(document: dict[str, Any], periods: list[dict[str, Any]]) -> Statement:
    mechanism = parse_mechanism(document)
    observed = {"format_version": 1, "mechanism": mechanism.id, "periods": periods}
    return calculate(mechanism, parse_observed(observed, mechanism))


def at_risk_lines(statement: Statement) -> list[tuple[int, str, Decimal]]:
    return [
        (line.period, line.kind, line.amount)
        for line in statement.lines
        if line.rule == "service_fee.at_risk"
    ]


def test_two_of_three_measures_met_earn_exactly_70_percent_and_claw_back_30() -> None:
    # Reconviction (50%) and work (20%) met, housing (30%) missed: 70% earned.
    # 30% of the £40,000.00 at risk = £12,000.00 repaid.
    statement = run(resettlement(), YEAR_ONE)
    assert at_risk_lines(statement) == [(4, "clawback", Decimal("12000.00"))]
    why = statement.lines[-1].explanation
    assert why.startswith(
        "reconviction (50%), cohort q4: 52.0% vs baseline 58.0%, improvement 6.0 percentage "
        "points; target 5.0 met; housed (30%), cohort q4: 30 of 100 achieved (30.0% achieving); "
        "target 40 missed; employed (20%)"
    )
    assert why.endswith(
        "70% earned, so repays 30% of the £40,000.00 at risk on a year's service fee"
    )
    assert statement.is_conserved()


def test_two_of_three_measures_met_release_exactly_70_percent_of_the_withheld_share() -> None:
    # Each £100,000 instalment pays £90,000 and withholds £10,000: £40,000 by quarter 4.
    # 70% earned releases £28,000.00; £12,000.00 is forfeited.
    statement = run(resettlement("withheld"), YEAR_ONE)
    fees = [line.amount for line in statement.lines if line.kind == "service_fee"]
    assert fees == [Decimal("90000.00")] * 4
    assert at_risk_lines(statement) == [(4, "fee_release", Decimal("28000.00"))]
    assert statement.lines[-1].explanation.endswith(
        "70% earned of the £40,000.00 withheld since the last evaluation: releases "
        "£28,000.00, and £12,000.00 is forfeited (stays with the payer)"
    )
    assert statement.is_conserved()


def test_every_measure_met_repays_nothing() -> None:
    targets = [{**t, "target": "30"} if t["measure"] == "housed" else t for t in TARGETS]
    statement = run(resettlement(targets=targets), YEAR_ONE)
    assert at_risk_lines(statement) == []
    assert statement.notes[-1].explanation.endswith("target 20 met: nothing repaid")


def test_a_period_without_a_result_on_every_measure_is_not_judged() -> None:
    periods = [*YEAR_ONE[:3], quarter(4, "reconviction", "employed")]
    statement = run(resettlement("withheld"), periods)
    assert at_risk_lines(statement) == []
    assert statement.notes[-1].explanation == (
        "not judged: no result on housed in this period, and the weighted targets are judged "
        "together"
    )


def refused(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PaymentsFormatError) as caught:
        parse_mechanism(document)
    return [f"{e.path}: {e.message}" for e in caught.value.errors]


def test_weights_not_adding_up_to_100_percent_are_refused() -> None:
    targets = [{**t, "weight": "0.1"} if t["measure"] == "employed" else t for t in TARGETS]
    assert refused(resettlement(targets=targets)) == [
        "service_fee.at_risk.targets: weights add up to 90%, not 100%"
    ]


def test_malformed_weighted_targets_are_refused_with_the_field_path() -> None:
    assert refused(resettlement(measure="housed", target="40")) == [
        "service_fee.at_risk.measure: give either measure and target, or targets, not both",
        "service_fee.at_risk.target: give either measure and target, or targets, not both",
    ]
    assert refused(resettlement(sliding_scale={"share_per_unit": "0.1"})) == [
        "service_fee.at_risk.sliding_scale: cannot be combined with several weighted targets"
    ]
    repeated = [TARGETS[0], {**TARGETS[1], "measure": "reconviction"}, TARGETS[2]]
    assert refused(resettlement(targets=repeated)) == [
        "service_fee.at_risk.targets[1].measure: repeats the measure 'reconviction'"
    ]
    unknown = [TARGETS[0], {**TARGETS[1], "measure": "nothing"}, TARGETS[2]]
    assert refused(resettlement(targets=unknown)) == [
        "service_fee.at_risk.targets[1].measure: names no measure in 'measures': 'nothing'"
    ]
    assert refused(resettlement(targets=[{**TARGETS[0], "weight": "1"}])) == [
        "service_fee.at_risk.targets: must have at least 2 item(s)"
    ]
    assert refused(resettlement(targets=[{**TARGETS[0], "weight": "50%"}, TARGETS[1]])) == [
        "service_fee.at_risk.targets[0].weight: must be a share between 0 and 1 written as "
        'text, like "0.10"'
    ]
    single = resettlement()
    del single["service_fee"]["at_risk"]["targets"]
    assert refused(single) == [
        "service_fee.at_risk.measure: is required (or give several weighted targets)",
        "service_fee.at_risk.target: is required (or give several weighted targets)",
    ]
